"""The registry as open data: one row per title, with stable English column names (CSV and JSON alike).

Codes rather than labels where a column has a fixed vocabulary (unit_kind, level, status), so a script written
against one year's file reads the next; names (unit, program, region) as they are. The status is the public
status of the day (`selectors.public_status`).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterable
from typing import TypedDict

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet

from lvchuang.portal.selectors import public_status
from lvchuang.titles.models import Title

LICENSE = "公开数据，可自由使用并注明来源"
# Rows fetched from the database at a time: the whole registry (about 10,000 titles) never sits in memory as
# model objects at once.
CHUNK_SIZE = 2000


class RegistryRow(TypedDict):
    certificate_number: str
    unit: str
    unit_kind: str
    region_code: str
    region_name: str
    program_code: str
    program: str
    level: str
    year: int
    named_on: datetime.date
    document_number: str
    valid_until: datetime.date | None
    status: str
    status_reason: str
    status_changed_on: datetime.date | None


COLUMNS: tuple[str, ...] = tuple(RegistryRow.__annotations__)


def row_of(title: Title) -> RegistryRow:
    status = public_status(title)
    return RegistryRow(
        certificate_number=title.certificate_number,
        unit=title.unit.name,
        unit_kind=title.unit.kind,
        region_code=title.unit.region.code,
        region_name=title.unit.region.name,
        program_code=title.program.code,
        program=title.program.name,
        level=title.program.level,
        year=title.year,
        named_on=title.named_on,
        document_number=title.document_number,
        valid_until=title.valid_until,
        status=status.code,
        status_reason=status.reason,
        status_changed_on=status.changed_on,
    )


def rows_of(titles: QuerySet[Title]) -> Iterable[RegistryRow]:
    """The rows of `titles`, read in one query (a server-side cursor where the database has one)."""
    for title in titles.iterator(chunk_size=CHUNK_SIZE):
        yield row_of(title)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def to_csv(rows: Iterable[RegistryRow]) -> str:
    """CSV with a header row; the caller adds the byte order mark that makes Excel read it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(row[column]) for column in COLUMNS])  # type: ignore[literal-required]
    return buffer.getvalue()


class Envelope(TypedDict):
    generated_at: datetime.datetime
    count: int
    license: str
    columns: list[str]
    results: list[RegistryRow]


def to_json(rows: Iterable[RegistryRow], *, generated_at: datetime.datetime) -> str:
    results = list(rows)
    envelope = Envelope(
        generated_at=generated_at,
        count=len(results),
        license=LICENSE,
        columns=list(COLUMNS),
        results=results,
    )
    return json.dumps(envelope, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
