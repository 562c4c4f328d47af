"""The REST API: every app contributes its viewsets to one router, so `/api/` lists them all."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from lvchuang.accounts.api import register as register_accounts
from lvchuang.agenda.api import register as register_agenda
from lvchuang.applications.api import register as register_applications
from lvchuang.assessments.api import register as register_assessments
from lvchuang.audit.api import register as register_audit
from lvchuang.campaigns.api import register as register_campaigns
from lvchuang.ledgers.api import register as register_ledgers
from lvchuang.meetings.api import register as register_meetings
from lvchuang.naming.api import register as register_naming
from lvchuang.notices.api import register as register_notices
from lvchuang.organisations.api import register as register_organisations
from lvchuang.regions.api import register as register_regions
from lvchuang.reports.api import register as register_reports
from lvchuang.reviews.api import register as register_reviews
from lvchuang.standards.api import register as register_standards
from lvchuang.supervision.api import register as register_supervision
from lvchuang.targets.api import register as register_targets
from lvchuang.titles.api import register as register_titles

router = DefaultRouter()
for register in (
    register_regions,
    register_organisations,
    register_accounts,
    register_standards,
    register_assessments,
    register_audit,
    register_reviews,
    register_campaigns,
    register_applications,
    register_notices,
    register_titles,
    register_naming,
    register_supervision,
    register_targets,
    register_meetings,
    register_reports,
    register_agenda,
    register_ledgers,
):
    register(router)

urlpatterns = [
    path("", include(router.urls)),
    path("auth/", include("lvchuang.accounts.api_urls")),
]
