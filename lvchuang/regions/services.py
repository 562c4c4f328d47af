"""Importing administrative divisions: all rows or none, with a row-level report of everything refused."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import asdict

from auditlog.context import set_actor
from django.db import transaction

from lvchuang.accounts.models import User
from lvchuang.lib.divisions import (
    DivisionRow,
    Level,
    RowError,
    check_tree,
    path_of,
    township_kind,
    village_kind,
)
from lvchuang.regions.models import DivisionImport, Region

BATCH_SIZE = 2000
# Stay well below SQLite's limit on query parameters when looking codes up.
LOOKUP_CHUNK = 5000
REGION_FIELDS = ("name", "level", "kind", "parent_id", "path", "code_year", "is_active")


def _kind_of(row: DivisionRow) -> str:
    if row.level == Level.TOWNSHIP:
        return township_kind(row.code)
    if row.level == Level.VILLAGE:
        return village_kind(row.code)
    return ""


def import_divisions(
    *,
    rows: Sequence[DivisionRow],
    errors: Sequence[RowError] = (),
    source: str,
    scope: str = "",
    code_year: int,
    by: User | None = None,
) -> DivisionImport:
    """Create or update the regions in `rows`. Any parse error or broken parent link refuses the whole file.

    Re-importing the same rows changes nothing (every row is counted as unchanged).
    """
    rows = sorted(rows, key=lambda row: (row.level, row.code))
    parent_codes = {row.parent_code for row in rows if row.parent_code}
    existing_codes = set(_ids_by_code(parent_codes))
    problems = [*errors, *check_tree(rows, existing_codes)]
    record = DivisionImport(source=source[:300], scope=scope, code_year=code_year, rows_read=len(rows), by=by)
    if problems:
        record.outcome = DivisionImport.Outcome.REFUSED
        record.errors = [asdict(problem) for problem in sorted(problems, key=lambda p: (p.line or 0, p.code))]
        with set_actor(by):
            record.save()
        return record

    with transaction.atomic(), set_actor(by):
        current = _regions_by_code([row.code for row in rows])
        ids = {code: region.pk for code, region in current.items()}
        ids.update(_ids_by_code(existing_codes - ids.keys()))
        for level in Level:
            level_rows = [row for row in rows if row.level == level]
            to_create: list[Region] = []
            to_update: list[Region] = []
            for row in level_rows:
                wanted = {
                    "name": row.name,
                    "level": int(row.level),
                    "kind": _kind_of(row),
                    "parent_id": ids[row.parent_code] if row.parent_code else None,
                    "path": path_of(row.code),
                    "code_year": code_year,
                    "is_active": True,
                }
                region = current.get(row.code)
                if region is None:
                    to_create.append(Region(code=row.code, **wanted))
                elif any(getattr(region, name) != value for name, value in wanted.items()):
                    for name, value in wanted.items():
                        setattr(region, name, value)
                    to_update.append(region)
                else:
                    record.unchanged += 1
            Region.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
            Region.objects.bulk_update(to_update, REGION_FIELDS, batch_size=BATCH_SIZE)
            record.created += len(to_create)
            record.updated += len(to_update)
            ids.update(_ids_by_code([region.code for region in to_create]))
        record.outcome = DivisionImport.Outcome.APPLIED
        record.save()
    return record


def _chunks(codes: Collection[str]) -> Iterator[list[str]]:
    ordered = sorted(codes)
    for start in range(0, len(ordered), LOOKUP_CHUNK):
        yield ordered[start : start + LOOKUP_CHUNK]


def _regions_by_code(codes: Collection[str]) -> dict[str, Region]:
    found: dict[str, Region] = {}
    for chunk in _chunks(codes):
        found.update((r.code, r) for r in Region.objects.filter(code__in=chunk).only("code", *REGION_FIELDS))
    return found


def _ids_by_code(codes: Collection[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(codes):
        found.update(Region.objects.filter(code__in=chunk).values_list("code", "id"))
    return found
