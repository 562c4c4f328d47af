"""The default coefficient tables (GB/T 2589-2020, MEE/NBS CO₂ factors) and data-quality rules, from
`ledgers/defaults/*.yaml`. The loader imports no model: it is handed the historical ones."""

from typing import Any

from django.db import migrations

from lvchuang.ledgers.defaults import MODEL_NAMES, load_defaults


def load(apps: Any, schema_editor: Any) -> None:
    load_defaults(models={name: apps.get_model("ledgers", name) for name in MODEL_NAMES})


class Migration(migrations.Migration):
    dependencies = [("ledgers", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
