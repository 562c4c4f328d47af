from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "lvchuang.supervision"
    verbose_name = _("复核与整改")
