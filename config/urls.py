from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

urlpatterns = [
    path("", include("lvchuang.web.urls")),
    path("regions/", include("lvchuang.regions.urls")),
    path("organisations/", include("lvchuang.organisations.urls")),
    path("accounts/", include("lvchuang.accounts.urls")),
    path("standards/", include("lvchuang.standards.urls")),
    path("assessments/", include("lvchuang.assessments.urls")),
    path("audit/", include("lvchuang.audit.urls")),
    # campaigns, applications and reviews add their includes here
    path("applications/", include("lvchuang.applications.urls")),
    path("public/goals/", include("lvchuang.applications.public_urls")),
    path("reviews/", include("lvchuang.reviews.urls")),
    path("campaigns/", include("lvchuang.campaigns.urls")),
    path("notices/", include("lvchuang.notices.urls")),
    path("titles/", include("lvchuang.titles.urls")),
    path("naming/", include("lvchuang.naming.urls")),
    path("supervision/", include("lvchuang.supervision.urls")),
    path("targets/", include("lvchuang.targets.urls")),
    path("meetings/", include("lvchuang.meetings.urls")),
    path("reports/", include("lvchuang.reports.urls")),
    path("agenda/", include("lvchuang.agenda.urls")),
    path("ledgers/", include("lvchuang.ledgers.urls")),
    # the public portal: no login, cacheable (goals and notices have their own includes above it)
    path("public/notices/", include("lvchuang.notices.public_urls")),
    path("public/", include("lvchuang.portal.urls")),
    # The language switch needs no CSRF token: the public portal's shared cached pages carry none, and choosing
    # a language changes nothing but a cookie.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("api/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Our template drops the Google Fonts links of drf-spectacular's: every asset comes from the sidecar.
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html"),
        name="api-redoc",
    ),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "lvchuang 绿创 · 管理后台"
admin.site.site_title = "绿创管理后台"
