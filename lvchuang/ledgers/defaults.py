"""Load the ledgers' reference tables from `defaults/*.yaml`: coefficients (`factors.yaml`) and data-quality rules
(`quality.yaml`).

Used by the data migration with historical models (`apps.get_model`) and by tests with the real ones, so this
module imports no model at import time. Loading is idempotent: each row is matched by its natural key and
updated or created; rows not in the files are left alone. A file that is not there is skipped.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"
MODEL_NAMES = (
    "ConversionFactor",
    "Density",
    "GridAssignment",
    "EmissionFactor",
    "QualityRule",
    "IntensityRange",
)
# (YAML section, model, natural key, decimal fields, date fields)
_TABLES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "conversion_factors",
        "ConversionFactor",
        ("carrier", "basis", "valid_from"),
        ("kgce_per_unit",),
        ("valid_from",),
    ),
    ("densities", "Density", ("carrier", "valid_from"), ("kg_per_litre",), ("valid_from",)),
    ("grid_assignments", "GridAssignment", ("province_code",), (), ()),
    ("emission_factors", "EmissionFactor", ("carrier", "year", "grid"), ("kgco2_per_unit",), ()),
    ("rules", "QualityRule", ("code",), (), ()),
    ("intensity_ranges", "IntensityRange", ("institution_type", "indicator"), ("low", "high"), ()),
)


def read_defaults(directory: Path = DEFAULTS_DIR) -> dict[str, list[dict[str, Any]]]:
    """The rows of every section of the YAML files present in `directory`, with shared defaults applied."""
    sections: dict[str, list[dict[str, Any]]] = {}
    for name in ("factors.yaml", "quality.yaml"):
        path = directory / name
        if not path.exists():
            continue
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        shared = document.get("grid_assignment_defaults", {})
        for section, *_rest in _TABLES:
            rows = [dict(row) for row in document.get(section) or []]
            if section == "grid_assignments":
                rows = [{**shared, **row} for row in rows]
            if rows:
                sections.setdefault(section, []).extend(rows)
    return sections


def load_defaults(*, models: Mapping[str, type] | None = None) -> None:
    """Write the default rows into the tables (historical models from a migration, or the real ones)."""
    if models is None:
        from lvchuang.ledgers import models as ledger_models

        models = {name: getattr(ledger_models, name) for name in MODEL_NAMES}
    sections = read_defaults()
    for section, model_name, natural_key, decimals, dates in _TABLES:
        model: Any = models[model_name]
        for row in sections.get(section, []):
            values = _typed(row, decimals, dates)
            lookup = {field: values.pop(field) for field in natural_key}
            model.objects.update_or_create(**lookup, defaults=values)


def _typed(row: Mapping[str, Any], decimals: Iterable[str], dates: Iterable[str]) -> dict[str, Any]:
    values = dict(row)
    for field in decimals:
        values[field] = Decimal(str(values[field]))  # str() keeps 0.1 as 0.1 when YAML read a float
    for field in dates:
        if not isinstance(values[field], datetime.date):
            values[field] = datetime.date.fromisoformat(str(values[field]))
    return values
