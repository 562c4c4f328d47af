from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "lvchuang.targets"
    verbose_name = _("覆盖目标与进度")

    def ready(self) -> None:
        # Any write to what coverage counts makes the cached grids stale (targets/caching.py).
        from django.db.models.signals import post_delete, post_save

        from lvchuang.organisations.models import Department, Unit
        from lvchuang.targets.caching import registry_changed
        from lvchuang.titles.models import Title

        for model in (Title, Unit, Department):
            post_save.connect(registry_changed, sender=model, dispatch_uid=f"coverage-{model.__name__}-saved")
            post_delete.connect(
                registry_changed, sender=model, dispatch_uid=f"coverage-{model.__name__}-deleted"
            )
