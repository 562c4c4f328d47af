from __future__ import annotations

from typing import Any

from auditlog.models import AbstractLogEntry
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(AbstractLogEntry):  # type: ignore[misc]
    """django-auditlog's entry (who, when, what, before/after) plus the region path of the record it is about.

    Every audited model says where it sits through `get_additional_data()["region_path"]`; keeping that path in
    its own indexed column lets an office list "everything changed in my subtree" with one prefix query.
    """

    region_path: models.CharField[str, str] = models.CharField(
        _("区划路径"), max_length=12, blank=True, default=""
    )

    class Meta(AbstractLogEntry.Meta):  # type: ignore[misc]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [
            models.Index(fields=["region_path"], name="audit_region_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["-timestamp"], name="audit_newest_first"),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        data = self.additional_data if isinstance(self.additional_data, dict) else {}
        self.region_path = str(data.get("region_path") or "")
        super().save(*args, **kwargs)
