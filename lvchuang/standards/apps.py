from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "lvchuang.standards"
    verbose_name = _("评价标准")
