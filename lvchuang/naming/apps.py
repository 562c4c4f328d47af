from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NamingConfig(AppConfig):
    name = "lvchuang.naming"
    verbose_name = _("命名、奖励与备案")
