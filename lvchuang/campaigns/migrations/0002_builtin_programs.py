"""Load the built-in programs from lvchuang/campaigns/defaults/programs.yaml.

Reads the file with PyYAML and writes through the historical models only (no app code). A program whose code
exists is left alone, so running it again changes nothing; prerequisites and exemptions are linked by code once
every program exists.
"""

from pathlib import Path

import yaml
from django.db import migrations

DEFAULTS = Path(__file__).resolve().parent.parent / "defaults" / "programs.yaml"
FIELDS = (
    "name",
    "level",
    "unit_kinds",
    "organ_types",
    "cooldown_years",
    "validity_years",
    "skip_level_allowed",
    "yearly_quota",
    "demonstration_quota",
    "awards",
    "calendar",
    "source",
    "needs_confirmation",
)


def load_builtin_programs(apps, schema_editor):
    Program = apps.get_model("campaigns", "Program")
    Standard = apps.get_model("standards", "Standard")
    entries = yaml.safe_load(DEFAULTS.read_text(encoding="utf-8"))["programs"]
    created = {}
    for entry in entries:
        if Program.objects.filter(code=entry["code"]).exists():
            continue
        values = {name: entry[name] for name in FIELDS if name in entry}
        created[entry["code"]] = Program.objects.create(
            code=entry["code"], standard=Standard.objects.get(code=entry["standard"]), **values
        )
    for entry in entries:
        program = created.get(entry["code"])
        if program is None:
            continue
        if entry.get("prerequisite"):
            program.prerequisite = Program.objects.get(code=entry["prerequisite"])
            program.save(update_fields=["prerequisite"])
        for code in entry.get("exempt_programs", []):
            program.exempt_programs.add(Program.objects.get(code=code))


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_programs_campaigns_stages_quotas"),
        ("standards", "0002_builtin_standards"),
    ]

    operations = [migrations.RunPython(load_builtin_programs, migrations.RunPython.noop)]
