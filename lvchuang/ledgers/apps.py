from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgersConfig(AppConfig):
    name = "lvchuang.ledgers"
    verbose_name = _("能源资源台账")
