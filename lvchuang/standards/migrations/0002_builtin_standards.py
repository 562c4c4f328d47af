"""Load the built-in standards from lvchuang/standards/defaults/*.yaml, each as a published version 1.

Reads the files with PyYAML and writes through the historical models only (no app code), so it keeps working
whatever later happens to the app. The files are the interchange format; `manage.py load_standards` loads the same
files through the services, and the tests check that every file reads and adds up. A standard whose code already
exists is skipped, so running it on a database that has them changes nothing.
"""

from decimal import Decimal
from pathlib import Path

import yaml
from django.db import migrations

DEFAULTS_DIR = Path(__file__).resolve().parent.parent / "defaults"


def _points(value):
    return Decimal(str(value if value is not None else 0))


def load_builtin_standards(apps, schema_editor):
    Standard = apps.get_model("standards", "Standard")
    StandardVersion = apps.get_model("standards", "StandardVersion")
    Item = apps.get_model("standards", "Item")
    GradeBand = apps.get_model("standards", "GradeBand")

    def add_items(version, nodes, parent):
        for order, node in enumerate(nodes or []):
            item = Item.objects.create(
                version=version,
                parent=parent,
                code=str(node["code"]),
                title=node["title"],
                kind=node["kind"],
                max_points=_points(node.get("points")),
                guidance=node.get("guidance", ""),
                evidence_required=node.get("evidence", ""),
                needs_confirmation=bool(node.get("needs_confirmation", False)),
                order=order,
            )
            add_items(version, node.get("children"), item)

    for path in sorted(DEFAULTS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if Standard.objects.filter(code=data["code"]).exists():
            continue
        standard = Standard.objects.create(
            code=data["code"],
            name=data["name"],
            title_name=data.get("title_name", ""),
            description=data.get("description", ""),
            source=data.get("source", ""),
        )
        meta = data["version"]
        version = StandardVersion.objects.create(
            standard=standard,
            number=1,
            label=meta.get("label") or "第 1 版",
            status="published",
            total_points=_points(meta["total_points"]),
            pass_line=_points(meta["pass_line"]),
            bonus_cap=_points(meta.get("bonus_cap")),
            applies_to=list(meta.get("applies_to") or []),
            needs_confirmation=bool(meta.get("needs_confirmation", False)),
            notes=meta.get("notes", ""),
        )
        add_items(version, data.get("items"), None)
        for band in data.get("grade_bands") or []:
            GradeBand.objects.create(version=version, name=band["name"], min_score=_points(band["min_score"]))


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_standards_versions_items_grades")]

    operations = [migrations.RunPython(load_builtin_standards, migrations.RunPython.noop)]
