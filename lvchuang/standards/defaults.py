"""The built-in standards: one YAML file per standard in `defaults/`, in the interchange format.

They are loaded by the data migration `0002_builtin_standards` (which reads the same files without app code) and
by `manage.py load_standards` (also run by `load_demo`). Loading is idempotent: a standard whose code is already
there is left alone, whatever an administrator has done to it since. Each default is published as version 1 and
marked 待确认 where its numbers are not verified (facts §1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from lvchuang.standards import services
from lvchuang.standards.document import StandardDocument
from lvchuang.standards.interchange import read_yaml
from lvchuang.standards.models import Standard, StandardVersion

DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"


class BrokenDefault(Exception):
    """A file in `defaults/` does not read or does not add up: a bug to fix before shipping."""


@dataclass
class DefaultsReport:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


def default_documents(directory: Path = DEFAULTS_DIR) -> list[tuple[Path, StandardDocument]]:
    documents = []
    for path in sorted(directory.glob("*.yaml")):
        result = read_yaml(path.read_text(encoding="utf-8"))
        if result.document is None:
            problems = "；".join(str(error) for error in result.errors)
            raise BrokenDefault(f"{path.name}：{problems}")
        documents.append((path, result.document))
    return documents


@transaction.atomic
def load_builtin_standards(directory: Path = DEFAULTS_DIR) -> DefaultsReport:
    """Create each built-in standard that is not there yet, as the system (no user)."""
    report = DefaultsReport()
    for _path, document in default_documents(directory):
        if Standard.objects.filter(code=document.code).exists():
            report.existing.append(document.name)
            continue
        services.import_standard(
            by=None, owner=None, document=document, status=StandardVersion.Status.PUBLISHED
        )
        report.created.append(document.name)
    return report
