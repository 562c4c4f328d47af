from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "lvchuang.targets"
    verbose_name = _("覆盖目标与进度")
