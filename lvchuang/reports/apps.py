from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "lvchuang.reports"
    verbose_name = _("材料报送")
