"""Bulk import of monthly consumption (CSV or XLSX), all or nothing per file, idempotent, streamed.

Two layouts, told apart by the header row (column order free; spaces and full-width brackets tolerated):
- official (统计报表格式): one row per unit and month, a column per carrier and measure — 统一社会信用代码, 单位名称
  (informational), 年份, 月份, 电力(千瓦时), 天然气(立方米), …, 水(立方米). A blank cell is "not reported". A fuel
  reported in both kg and litres in one row is an error: one measure per fuel and month;
- long (长表格式): one row per value — 统一社会信用代码, 年份, 月份, 品种 (label or code), 数量, 计量单位.

One pass streams the file (csv reader over the decoded bytes, or openpyxl read-only on the first sheet), checks
every row in Python and writes each problem to the error report at once (a CSV file on disk: 行号, 列, 值, 问题).
Rows without a problem are staged in a temporary table in chunks — `COPY` on PostgreSQL, `executemany` on SQLite
— so nothing per row stays in memory; the importer's units are one dict of credit codes (memory follows units,
not rows). The pass runs outside any transaction, so the progress it records (`bytes_done`) is visible to the
page while the file is read; on PostgreSQL, where the connection is busy with the open `COPY`, through a second
connection.

Then, if the report is empty, one transaction writes the staged rows into `Consumption` with a single
`INSERT … SELECT … ON CONFLICT (unit, year, month, carrier) DO UPDATE … WHERE` changed, counts created, updated
and unchanged rows, runs the quality rules for the units and years written, and marks the batch done. A key named
twice in the file is an error naming both rows: PostgreSQL refuses an upsert that would touch a row twice, and
only then (or when the file is rejected anyway) are the duplicates looked up in the staging table; SQLite looks
them up before writing. Any problem rejects the whole file and writes nothing.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import logging
import re
import tempfile
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO, Any

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.db.utils import load_backend
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lvchuang.accounts.access import jurisdiction_of
from lvchuang.accounts.models import User
from lvchuang.ledgers import quality
from lvchuang.ledgers.models import (
    CANONICAL_MEASURE,
    LIQUID_CARRIERS,
    Carrier,
    Consumption,
    ImportBatch,
    Measure,
)
from lvchuang.ledgers.selectors import kept_ledger_units

logger = logging.getLogger(__name__)

Layout = ImportBatch.Layout
Status = ImportBatch.Status

# --- the two layouts -----------------------------------------------------------------------------------------

# The column names are part of the file format (the statistics form's), not translated text.
CODE, NAME, YEAR, MONTH = "统一社会信用代码", "单位名称", "年份", "月份"
CARRIER, AMOUNT, MEASURE = "品种", "数量", "计量单位"
INFORMATIONAL = frozenset({NAME, "序号", "备注"})

CARRIER_NAMES: dict[str, str] = {
    Carrier.ELECTRICITY.value: "电力",
    Carrier.NATURAL_GAS.value: "天然气",
    Carrier.RAW_COAL.value: "原煤",
    Carrier.GASOLINE.value: "汽油",
    Carrier.DIESEL.value: "柴油",
    Carrier.KEROSENE.value: "煤油",
    Carrier.LPG.value: "液化石油气",
    Carrier.HEAT.value: "热力",
    Carrier.WATER.value: "水",
}
MEASURE_NAMES: dict[str, str] = {
    Measure.KWH.value: "千瓦时",
    Measure.M3.value: "立方米",
    Measure.KG.value: "千克",
    Measure.LITRE.value: "升",
    Measure.GJ.value: "吉焦",
}
ALLOWED: frozenset[tuple[str, str]] = frozenset(
    {(str(carrier), str(measure)) for carrier, measure in CANONICAL_MEASURE.items()}
    | {(str(carrier), Measure.LITRE.value) for carrier in LIQUID_CARRIERS}
)


def column_name(carrier: str, measure: str) -> str:
    """The official layout's column of a carrier in a measure, e.g. 汽油(升)."""
    return f"{CARRIER_NAMES[carrier]}({MEASURE_NAMES[measure]})"


# Official columns in the order of the statistics form: kg before litres for each liquid fuel.
OFFICIAL_COLUMNS: tuple[tuple[str, str, str], ...] = tuple(
    (column_name(carrier, measure), carrier, measure)
    for carrier in CARRIER_NAMES
    for measure in (str(CANONICAL_MEASURE[carrier]), Measure.LITRE.value)
    if (carrier, measure) in ALLOWED
)
OFFICIAL_HEADER = (CODE, NAME, YEAR, MONTH, *(name for name, _carrier, _measure in OFFICIAL_COLUMNS))
LONG_HEADER = (CODE, YEAR, MONTH, CARRIER, AMOUNT, MEASURE)

# What a cell may say, exactly (the fast path looks these up as they come) ...
CARRIER_TEXT: dict[str, str] = {
    **{code: code for code in CARRIER_NAMES},
    **{n: c for c, n in CARRIER_NAMES.items()},
}
MEASURE_TEXT: dict[str, str] = {
    **{code: code for code in MEASURE_NAMES},
    **{n: c for c, n in MEASURE_NAMES.items()},
    "m³": Measure.M3.value,
    "公斤": Measure.KG.value,
}
# ... and after folding case (the slow path, for a row that did not pass as it came).
CARRIER_FOLDED = {key.casefold(): value for key, value in CARRIER_TEXT.items()}
MEASURE_FOLDED = {key.casefold(): value for key, value in MEASURE_TEXT.items()}
YEARS: dict[str, int] = {str(year): year for year in range(2000, 2101)}
MONTHS: dict[str, int] = {
    **{str(month): month for month in range(1, 13)},
    **{f"{m:02d}": m for m in range(1, 10)},
}

_amount_field = Consumption._meta.get_field("amount")
AMOUNT_PLACES: int = _amount_field.decimal_places
AMOUNT_WHOLE_DIGITS: int = _amount_field.max_digits - AMOUNT_PLACES
# An amount as most files write it; anything else goes through `_amount`. ASCII digits only: `\d` would let
# full-width and other digits through to the database.
AMOUNT_FAST = re.compile(rf"-?[0-9]{{1,{AMOUNT_WHOLE_DIGITS}}}(?:\.[0-9]{{1,{AMOUNT_PLACES}}})?").fullmatch
AMOUNT_LOOSE = re.compile(r"([+-]?)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.([0-9]*))?")
WHOLE_NUMBER = re.compile(r"([0-9]+)(?:\.0*)?")


def normalise_header(text: object) -> str:
    """A header cell as compared: no spaces anywhere, half-width brackets."""
    return "".join(str(text or "").split()).lstrip("\ufeff").replace("（", "(").replace("）", ")")


@dataclass(frozen=True)
class Header:
    layout: str
    index: dict[str, int]  # column name -> position
    official: tuple[tuple[int, str, str, str], ...] = ()  # (position, column name, carrier, measure)


class HeaderError(Exception):
    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        super().__init__(problems)
        self.problems = problems  # (column, value, problem)


def read_header(cells: list[str], chosen: str) -> Header:
    """The layout of a file from its header row (`chosen` is the importer's choice, blank for automatic)."""
    names = [normalise_header(cell) for cell in cells]
    index: dict[str, int] = {}
    problems: list[tuple[str, str, str]] = []
    official_names = {name: (carrier, measure) for name, carrier, measure in OFFICIAL_COLUMNS}
    known = {CODE, YEAR, MONTH, CARRIER, AMOUNT, MEASURE} | INFORMATIONAL | set(official_names)
    for position, name in enumerate(names):
        if not name:
            continue
        if name not in known:
            problems.append((name, cells[position].strip(), _("无法识别的列")))
        elif name in index:
            problems.append((name, cells[position].strip(), _("列名重复")))
        else:
            index[name] = position
    layout = chosen
    if not layout:
        if CARRIER in index or AMOUNT in index:
            layout = Layout.LONG
        elif official_names.keys() & index.keys():
            layout = Layout.OFFICIAL
        else:
            problems.append(("", "", _("无法识别格式：表头应为统计报表格式或长表格式（可下载模板）")))
            raise HeaderError(problems)
    required = (CODE, YEAR, MONTH) + ((CARRIER, AMOUNT, MEASURE) if layout == Layout.LONG else ())
    problems += [(name, "", _("缺少此列")) for name in required if name not in index]
    wrong = (official_names.keys() if layout == Layout.LONG else {CARRIER, AMOUNT, MEASURE}) & index.keys()
    problems += [(name, "", _("此列不属于所选格式")) for name in sorted(wrong)]
    if layout == Layout.OFFICIAL and not official_names.keys() & index.keys():
        problems.append(("", "", _("没有任何品种列")))
    if problems:
        raise HeaderError(problems)
    official = tuple(
        (index[name], name, carrier, measure) for name, carrier, measure in OFFICIAL_COLUMNS if name in index
    )
    return Header(layout, index, official)


# --- reading a file as rows of text --------------------------------------------------------------------------


class FileProblem(Exception):
    """The file cannot be read (encoding, not a spreadsheet, a broken CSV line): the whole file is refused."""


@dataclass
class Rows:
    rows: Iterator[tuple[int, list[str]]]  # (row number as a spreadsheet shows it, cells as text)
    position: Callable[[], int]  # bytes of the stored file read so far
    reader: object = None  # kept as long as the rows: a text wrapper closes the file when it is collected


XLSX_MAGIC = b"PK\x03\x04"


def _sniff_encoding(head: bytes) -> tuple[str, int]:
    """The text encoding of a CSV file (UTF-8 with or without BOM, UTF-16 with BOM, else GB18030) and the
    length of its BOM. Excel in China saves CSV as GBK, a subset of GB18030; the header row always has Chinese
    in it, so whether it decodes as UTF-8 tells them apart."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            return encoding, len(bom) if encoding == "utf-8" else 0
    first_line = head.split(b"\n", 1)[0]
    try:
        codecs.getincrementaldecoder("utf-8")().decode(first_line, final=False)
    except UnicodeDecodeError:
        return "gb18030", 0
    return "utf-8", 0


def _csv_rows(handle: IO[bytes]) -> Rows:
    head = handle.read(65536)
    encoding, bom = _sniff_encoding(head)
    handle.seek(bom)
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    first = head.split(b"\n", 1)[0].decode(encoding, errors="replace")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(text, delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 0
        try:
            for number, cells in enumerate(reader, start=1):  # `number` is read after the loop
                yield number, cells
        except UnicodeDecodeError as error:
            raise FileProblem(
                _("第 %(row)s 行附近有无法按 %(encoding)s 解码的字符，请另存为 UTF-8 或 GB18030 编码的 CSV。")
                % {"row": number + 1, "encoding": encoding.upper()}
            ) from error
        except csv.Error as error:
            raise FileProblem(
                _("第 %(row)s 行无法按 CSV 读取：%(error)s") % {"row": number + 1, "error": error}
            ) from error

    return Rows(rows(), handle.tell, text)


def _cell_text(value: object) -> str:
    """An Excel cell as the text a CSV would hold: whole numbers without `.0`, no float noise beyond 15 digits."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        text = format(value, ".15g")
        if "e" in text:
            text = format(float(text), f".{AMOUNT_PLACES + 12}f").rstrip("0").rstrip(".")
        return text
    return str(value)


def _xlsx_rows(handle: IO[bytes]) -> Rows:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except (InvalidFileException, zipfile.BadZipFile, KeyError, IndexError, OSError, ValueError) as error:
        raise FileProblem(_("无法读取该 Excel 文件，请另存为 .xlsx 后重试。")) from error
    furthest = 0

    def position() -> int:
        nonlocal furthest  # the zip's members are read in turns: report the furthest point reached
        furthest = max(furthest, handle.tell())
        return furthest

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [_cell_text(value) for value in values]
        except (zipfile.BadZipFile, OSError, ValueError, KeyError) as error:
            raise FileProblem(_("Excel 文件已损坏，无法读完。")) from error
        finally:
            workbook.close()

    return Rows(rows(), position)


def open_rows(handle: IO[bytes]) -> Rows:
    head = handle.read(4)
    handle.seek(0)
    return _xlsx_rows(handle) if head == XLSX_MAGIC else _csv_rows(handle)


# --- the error report ----------------------------------------------------------------------------------------

REPORT_HEADER = ("行号", "列", "值", "问题")
VALUE_SHOWN = 100  # characters of a bad value kept in the report


class ErrorReport:
    """The problems found, written to a temporary file as they are found (UTF-8 with BOM so Excel opens it)."""

    def __init__(self) -> None:
        self._raw = tempfile.TemporaryFile()  # noqa: SIM115  # closed by close(), after the batch keeps a copy
        self._text = io.TextIOWrapper(self._raw, encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._text)
        self._writer.writerow(REPORT_HEADER)
        self.bad_rows = 0  # rows with at least one problem
        self._last_row: int | None = -1

    def add(self, row: int | None, column: str, value: str, problem: str, *, counted: bool = False) -> None:
        """One problem of a row (None: of the whole file); rows come in order, so a row is counted when its first
        problem comes (`counted` for a row the caller counts itself)."""
        if row != self._last_row and not counted:
            self.bad_rows += 1
            self._last_row = row
        shown = value if len(value) <= VALUE_SHOWN else value[:VALUE_SHOWN] + "…"
        self._writer.writerow(("" if row is None else row, column, shown, problem))

    def file(self) -> IO[bytes]:
        self._text.flush()
        self._raw.seek(0)
        return self._raw

    def close(self) -> None:
        self._raw.close()


def first_errors(batch: ImportBatch, limit: int = 50) -> list[list[str]]:
    """The first rows of a batch's error report, for its page."""
    if not batch.error_report:
        return []
    try:
        with batch.error_report.storage.open(batch.error_report.name, "rb") as handle:
            text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
            return list(itertools.islice(csv.reader(text), 1, limit + 1))
    except FileNotFoundError:
        return []


# --- checking rows -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Messages:
    """Every message of the report, translated once per file rather than once per row."""

    required: str
    unit: str
    ambiguous: str
    year: str
    month: str
    carrier: str
    measure: str
    number: str
    decimals: str
    too_large: str
    not_in: str
    one_measure: str
    duplicate: str

    @classmethod
    def build(cls) -> Messages:
        return cls(
            required=_("必填"),
            unit=_("无权填报或不存在"),
            ambiguous=_("该代码对应多个单位，请联系管理员核对统一社会信用代码"),
            year=_("年份应为 2000–2100 之间的整数"),
            month=_("月份应为 1–12 之间的整数"),
            carrier=_("无法识别的品种，应为：%(names)s（或其代码）")
            % {"names": "、".join(CARRIER_NAMES.values())},
            measure=_("无法识别的计量单位，应为 kWh、m3、kg、L、GJ 或 千瓦时、立方米、千克、升、吉焦"),
            number=_("应为数字"),
            decimals=_("最多 %(places)s 位小数") % {"places": AMOUNT_PLACES},
            too_large=_("数值过大：整数部分最多 %(digits)s 位") % {"digits": AMOUNT_WHOLE_DIGITS},
            not_in=_("%(carrier)s不能以“%(measure)s”计量，应为%(allowed)s"),
            one_measure=_("同一月份的%(carrier)s只能按一种计量单位填报（千克或升）"),
            duplicate=_("与第 %(rows)s 行重复：同一单位、年份、月份、品种只能填报一次"),
        )

    def not_allowed(self, carrier: str, measure: str) -> str:
        allowed = [MEASURE_NAMES[m] for c, m in sorted(ALLOWED) if c == carrier]
        return self.not_in % {
            "carrier": CARRIER_NAMES[carrier],
            "measure": MEASURE_NAMES[measure],
            "allowed": _("或").join(allowed),
        }


Problem = tuple[str, str, str]  # (column, value, problem)


def _fold(text: str) -> str:
    """A cell as typed by a person: full-width digits and letters made ASCII, spaces trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def _amount(raw: str, messages: Messages) -> tuple[str | None, str | None]:
    """A quantity as the database takes it, or the problem: thousands separators, a plus sign, trailing zeros
    after the point and full-width digits are accepted; more than three decimals or an exponent are not."""
    text = _fold(raw)
    match = AMOUNT_LOOSE.fullmatch(text)
    if match is None or not (match[2] or match[3]):
        return None, messages.number
    sign, whole, fraction = match[1], match[2].replace(",", "").lstrip("0"), (match[3] or "").rstrip("0")
    if len(fraction) > AMOUNT_PLACES:
        return None, messages.decimals
    if len(whole) > AMOUNT_WHOLE_DIGITS:
        return None, messages.too_large
    return ("-" if sign == "-" else "") + (whole or "0") + ("." + fraction if fraction else ""), None


def _whole(raw: str, values: dict[str, int], suffix: str) -> int | None:
    text = _fold(raw).removesuffix(suffix)
    match = WHOLE_NUMBER.fullmatch(text)
    return values.get(str(int(match[1]))) if match else None


@dataclass
class Context:
    units: dict[str, int]  # credit code -> unit id (0 when the code names several units)
    messages: Messages

    def unit(self, raw: str) -> tuple[int | None, str | None]:
        code = _fold(raw).upper()
        if not code:
            return None, self.messages.required
        unit = self.units.get(code)
        if unit is None:
            return None, self.messages.unit
        if unit == 0:
            return None, self.messages.ambiguous
        return unit, None

    def key(self, cells: list[str], header: Header) -> tuple[tuple[int, int, int] | None, list[Problem]]:
        """The unit, year and month of a row, or its problems with them."""
        problems: list[Problem] = []
        raw = cells[header.index[CODE]]
        unit, problem = self.unit(raw)
        if problem:
            problems.append((CODE, raw, problem))
        raw_year = cells[header.index[YEAR]]
        year = _whole(raw_year, YEARS, "年")
        if year is None:
            problems.append(
                (YEAR, raw_year, self.messages.required if not raw_year.strip() else self.messages.year)
            )
        raw_month = cells[header.index[MONTH]]
        month = _whole(raw_month, MONTHS, "月")
        if month is None:
            problems.append(
                (MONTH, raw_month, self.messages.required if not raw_month.strip() else self.messages.month)
            )
        if problems:
            return None, problems
        assert unit is not None
        assert year is not None
        assert month is not None
        return (unit, year, month), []


def _padded(cells: list[str], width: int) -> list[str]:
    return cells + [""] * (width - len(cells)) if len(cells) < width else cells


def check_long_row(cells: list[str], header: Header, context: Context) -> tuple[list[str], list[Problem]]:
    """A long-layout row that did not pass the fast path: its staged line, or every problem in it."""
    messages = context.messages
    key, problems = context.key(cells, header)
    raw_carrier = cells[header.index[CARRIER]]
    carrier = CARRIER_FOLDED.get(_fold(raw_carrier).casefold())
    if carrier is None:
        problems.append(
            (CARRIER, raw_carrier, messages.required if not raw_carrier.strip() else messages.carrier)
        )
    raw_measure = cells[header.index[MEASURE]]
    measure = MEASURE_FOLDED.get(_fold(raw_measure).casefold())
    if measure is None:
        problems.append(
            (MEASURE, raw_measure, messages.required if not raw_measure.strip() else messages.measure)
        )
    elif carrier is not None and (carrier, measure) not in ALLOWED:
        problems.append((MEASURE, raw_measure, messages.not_allowed(carrier, measure)))
    raw_amount = cells[header.index[AMOUNT]]
    amount, problem = _amount(raw_amount, messages) if raw_amount.strip() else (None, messages.required)
    if problem:
        problems.append((AMOUNT, raw_amount, problem))
    if problems:
        return [], problems
    assert key is not None
    unit, year, month = key
    return [f"{unit}\t{year}\t{month}\t{carrier}\t{amount}\t{measure}\n"], []


def check_official_row(cells: list[str], header: Header, context: Context) -> tuple[list[str], list[Problem]]:
    """An official-layout row that did not pass the fast path: its staged lines, or every problem in it."""
    messages = context.messages
    key, problems = context.key(cells, header)
    lines: list[str] = []
    reported: dict[str, str] = {}  # carrier -> the column it was reported in
    for position, name, carrier, measure in header.official:
        raw = cells[position]
        if not raw.strip():
            continue
        if carrier in reported:
            problems.append((name, raw, messages.one_measure % {"carrier": CARRIER_NAMES[carrier]}))
        reported[carrier] = name
        amount, problem = _amount(raw, messages)
        if problem:
            problems.append((name, raw, problem))
        elif key is not None:
            unit, year, month = key
            lines.append(f"{unit}\t{year}\t{month}\t{carrier}\t{amount}\t{measure}\n")
    return ([], problems) if problems else (lines, [])


@dataclass
class Pass:
    """What reading the file found."""

    rows_read: int = 0
    staged: int = 0


CHUNK = 10_000  # rows read per write to the staging table (and per look at the clock for the progress)


def check_rows(
    rows: Iterator[tuple[int, list[str]]],
    header: Header,
    context: Context,
    report: ErrorReport,
    load: Callable[[list[str]], None],
    tick: Callable[[int], None],
) -> Pass:
    """Check every row; report the problems, stage the good rows (`load`) every `CHUNK` rows and call `tick` with
    the rows read so far.

    The loops are the import's hot path, one per layout: a row whose cells are exactly as expected (codes, years,
    months, carriers and measures found by dict lookups, amounts matched by one regex) becomes its staged line(s)
    at once; anything else takes the slow path (`_slow_row`), which trims, folds and explains."""
    check = _long_rows if header.layout == Layout.LONG else _official_rows
    return check(rows, header, context, report, load, tick)


def _slow_row(
    number: int, cells: list[str], header: Header, context: Context, report: ErrorReport, lines: list[str]
) -> bool:
    """A row the fast path did not take: its lines staged or its problems reported; False for a blank row."""
    if not any(cell.strip() for cell in cells):
        return False
    check = check_long_row if header.layout == Layout.LONG else check_official_row
    width = max(header.index.values()) + 1
    staged, problems = check(_padded(cells, width), header, context)
    for column, value, problem in problems:
        report.add(number, column, value, problem)
    lines += [f"{number}\t{line}" for line in staged]
    return True


def _long_rows(
    rows: Iterator[tuple[int, list[str]]],
    header: Header,
    context: Context,
    report: ErrorReport,
    load: Callable[[list[str]], None],
    tick: Callable[[int], None],
) -> Pass:
    index = header.index
    i_code, i_year, i_month = index[CODE], index[YEAR], index[MONTH]
    i_carrier, i_amount, i_measure = index[CARRIER], index[AMOUNT], index[MEASURE]
    width = max(index.values()) + 1
    units, years, months, carriers, measures = context.units, YEARS, MONTHS, CARRIER_TEXT, MEASURE_TEXT
    allowed, amount_ok = ALLOWED, AMOUNT_FAST
    lines: list[str] = []
    read = staged = 0
    for number, cells in rows:
        if not number % CHUNK:
            load(lines)
            staged += len(lines)
            lines = []
            tick(read)
        if len(cells) >= width:
            unit = units.get(cells[i_code])
            year = years.get(cells[i_year])
            month = months.get(cells[i_month])
            carrier = carriers.get(cells[i_carrier])
            measure = measures.get(cells[i_measure])
            amount = cells[i_amount]
            if unit and year and month and (carrier, measure) in allowed and amount_ok(amount):
                lines.append(f"{number}\t{unit}\t{year}\t{month}\t{carrier}\t{amount}\t{measure}\n")
                read += 1
                continue
        read += _slow_row(number, cells, header, context, report, lines)
    load(lines)
    return Pass(rows_read=read, staged=staged + len(lines))


def _official_rows(
    rows: Iterator[tuple[int, list[str]]],
    header: Header,
    context: Context,
    report: ErrorReport,
    load: Callable[[list[str]], None],
    tick: Callable[[int], None],
) -> Pass:
    index = header.index
    i_code, i_year, i_month = index[CODE], index[YEAR], index[MONTH]
    width = max(index.values()) + 1
    units, years, months, amount_ok = context.units, YEARS, MONTHS, AMOUNT_FAST
    columns = [(position, carrier, measure) for position, _name, carrier, measure in header.official]
    both = [  # the kg and litre columns of one fuel: at most one of them filled
        (kg, litre)
        for kg, carrier, measure in columns
        for litre, other, other_measure in columns
        if carrier == other and measure == Measure.KG and other_measure == Measure.LITRE
    ]
    lines: list[str] = []
    read = staged = 0
    for number, cells in rows:
        if not number % CHUNK:
            load(lines)
            staged += len(lines)
            lines = []
            tick(read)
        if len(cells) >= width:
            unit = units.get(cells[i_code])
            year = years.get(cells[i_year])
            month = months.get(cells[i_month])
            if unit and year and month and not any(cells[kg] and cells[litre] for kg, litre in both):
                row_lines = []
                for position, carrier, measure in columns:
                    amount = cells[position]
                    if amount:
                        if not amount_ok(amount):
                            break
                        row_lines.append(
                            f"{number}\t{unit}\t{year}\t{month}\t{carrier}\t{amount}\t{measure}\n"
                        )
                else:
                    lines += row_lines
                    read += 1
                    continue
        read += _slow_row(number, cells, header, context, report, lines)
    load(lines)
    return Pass(rows_read=read, staged=staged + len(lines))


# --- the staging table and the writers -----------------------------------------------------------------------

STAGING = "ledger_import_rows"
STAGING_COLUMNS = "row_number, unit_id, year, month, carrier, amount, measure"
TARGET = Consumption._meta.db_table


class DuplicateKeys(Exception):
    """The staged rows name a (unit, year, month, carrier) more than once."""


@dataclass
class Written:
    created: int = 0
    updated: int = 0
    unit_ids: set[int] = field(default_factory=set)  # units and years with a row created or changed
    years: set[int] = field(default_factory=set)


Duplicate = tuple[int, str, str]  # (row number, measure, amount) of one occurrence of a repeated key


def _upsert_sql(distinct: str, returning: str = "") -> str:
    """The one statement that writes the staged rows: only rows whose amount or measure changed are updated
    (`distinct` is the database's null-safe "differs": IS DISTINCT FROM, or IS NOT on SQLite)."""
    return (
        f"INSERT INTO {TARGET} AS existing (unit_id, year, month, carrier, amount, measure, batch_id,"
        " updated_by_id, updated_at) SELECT unit_id, year, month, carrier, amount, measure, %s, %s, %s"
        f" FROM {STAGING} WHERE true ON CONFLICT (unit_id, year, month, carrier) DO UPDATE SET"
        " amount = excluded.amount, measure = excluded.measure, batch_id = excluded.batch_id,"
        " updated_by_id = excluded.updated_by_id, updated_at = excluded.updated_at"
        f" WHERE existing.amount {distinct} excluded.amount OR existing.measure {distinct} excluded.measure"
        f"{returning}"
    )


class Staging:
    """The temporary table a file's validated rows wait in until the one write; each database fills, searches and
    writes it its own way (below)."""

    schema = ""  # where the database keeps temporary tables
    column_types: tuple[str, ...] = ()  # row_number, unit_id, year, month, carrier, amount, measure

    def __init__(self, db: BaseDatabaseWrapper) -> None:
        self.db = db

    def create(self) -> None:
        columns = ", ".join(
            f"{name} {kind} NOT NULL"
            for name, kind in zip(STAGING_COLUMNS.split(", "), self.column_types, strict=True)
        )
        with self.db.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.schema}.{STAGING}")
            cursor.execute(f"CREATE TEMPORARY TABLE {STAGING} ({columns})")

    def drop(self) -> None:
        with self.db.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.schema}.{STAGING}")

    def duplicate_rows(self) -> int:
        """How many rows of the file name a key another row names too."""
        with self.db.cursor() as cursor:
            cursor.execute(
                f"SELECT count(DISTINCT row_number) FROM (SELECT row_number, count(*) OVER (PARTITION BY"
                f" unit_id, year, month, carrier) AS times FROM {STAGING}) AS keyed WHERE times > 1"
            )
            row = cursor.fetchone()
        return int(row[0]) if row else 0


class PostgresStaging(Staging):
    """A temporary table filled by one `COPY` while the file is read."""

    schema = "pg_temp"
    column_types = (
        "integer",
        "bigint",
        "smallint",
        "smallint",
        "varchar(20)",
        "numeric(16, 3)",
        "varchar(4)",
    )

    @contextmanager
    def loader(self) -> Iterator[Callable[[list[str]], None]]:
        with (
            self.db.cursor() as cursor,
            cursor.copy(f"COPY {STAGING} ({STAGING_COLUMNS}) FROM STDIN") as copy,
        ):
            # The lines hold only validated digits and codes: nothing in them needs escaping.
            yield lambda lines: copy.write("".join(lines))

    def duplicates(self) -> Iterator[tuple[str, list[Duplicate]]]:
        sql = (
            "SELECT carrier, array_agg(row_number ORDER BY row_number), array_agg(measure ORDER BY row_number),"
            f" array_agg(amount::text ORDER BY row_number) FROM {STAGING} GROUP BY unit_id, year, month, carrier"
            " HAVING count(*) > 1 ORDER BY min(row_number)"
        )
        with self.db.chunked_cursor() as cursor:
            cursor.execute(sql)
            while chunk := cursor.fetchmany(2000):
                for carrier, rows, measures, amounts in chunk:
                    yield carrier, list(zip(rows, measures, amounts, strict=True))

    def write(self, *, batch_id: int, user_id: int, now: Any) -> Written:
        """One statement for the whole file. Counting from RETURNING: a row inserted has no xmax yet, a row
        updated has the updating transaction's; unchanged rows are not returned (the WHERE keeps them)."""
        returning = " RETURNING (existing.xmax = 0) AS created, existing.unit_id, existing.year"
        sql = (
            f"WITH written AS ({_upsert_sql('IS DISTINCT FROM', returning)})"
            " SELECT created, unit_id, year, count(*) FROM written GROUP BY created, unit_id, year"
        )
        written = Written()
        with self.db.cursor() as cursor:
            try:
                cursor.execute(sql, [batch_id, user_id, now])
            except DatabaseError as error:
                # "ON CONFLICT DO UPDATE command cannot affect row a second time": a key twice in the file.
                if getattr(error.__cause__, "sqlstate", None) == "21000":
                    raise DuplicateKeys from error
                raise
            for created, unit_id, year, count in cursor.fetchall():  # one row per unit and year written
                if created:
                    written.created += count
                else:
                    written.updated += count
                written.unit_ids.add(unit_id)
                written.years.add(year)
        return written


class SQLiteStaging(Staging):
    """A temporary table filled with `executemany` in chunks; duplicates are looked up before writing."""

    schema = "temp"
    column_types = ("integer", "integer", "integer", "integer", "varchar(20)", "decimal", "varchar(4)")

    @contextmanager
    def loader(self) -> Iterator[Callable[[list[str]], None]]:
        sql = f"INSERT INTO {STAGING} ({STAGING_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s)"
        with self.db.cursor() as cursor:
            yield lambda lines: cursor.executemany(sql, [line[:-1].split("\t") for line in lines])

    def duplicates(self) -> Iterator[tuple[str, list[Duplicate]]]:
        sql = (
            f"SELECT carrier, group_concat(row_number || ':' || measure || ':' || amount, ';') FROM {STAGING}"
            " GROUP BY unit_id, year, month, carrier HAVING count(*) > 1 ORDER BY min(row_number)"
        )
        with self.db.chunked_cursor() as cursor:
            cursor.execute(sql)
            while chunk := cursor.fetchmany(2000):
                for carrier, joined in chunk:
                    found = (item.split(":") for item in joined.split(";"))
                    yield carrier, sorted((int(row), measure, amount) for row, measure, amount in found)

    def write(self, *, batch_id: int, user_id: int, now: Any) -> Written:
        with self.db.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {STAGING} GROUP BY unit_id, year, month, carrier HAVING count(*) > 1 LIMIT 1"
            )
            if cursor.fetchone():
                raise DuplicateKeys
            # SQLite's upsert does not tell an insert from an update: count against the table before writing.
            cursor.execute(
                f"SELECT s.unit_id, s.year, sum(c.id IS NULL), sum(c.id IS NOT NULL AND (c.amount IS NOT s.amount"
                f" OR c.measure IS NOT s.measure)) FROM {STAGING} s LEFT JOIN {TARGET} c ON c.unit_id = s.unit_id"
                " AND c.year = s.year AND c.month = s.month AND c.carrier = s.carrier GROUP BY s.unit_id, s.year"
            )
            written = Written()
            for unit_id, year, created, updated in cursor.fetchall():
                written.created += created
                written.updated += updated
                if created or updated:
                    written.unit_ids.add(unit_id)
                    written.years.add(year)
            cursor.execute(_upsert_sql("IS NOT"), [batch_id, user_id, now])
        return written


@contextmanager
def staging_table(db: BaseDatabaseWrapper) -> Iterator[PostgresStaging | SQLiteStaging]:
    table = PostgresStaging(db) if db.vendor == "postgresql" else SQLiteStaging(db)
    table.create()
    try:
        yield table
    finally:
        table.drop()


# --- progress ------------------------------------------------------------------------------------------------


class Progress:
    """Records bytes read and rows read while the file is read, at most about once a second.

    The pass over the file runs outside any transaction, so an update is visible at once. On SQLite it goes
    through the same connection; on PostgreSQL that connection is busy with the open COPY, so a second one (a
    plain DatabaseWrapper of the same settings, closed at the end) carries it. Inside an enclosing transaction
    (a test, a caller's atomic block) nobody else could see it: nothing is written until the end."""

    INTERVAL = 1.0  # seconds

    def __init__(self, batch: ImportBatch, position: Callable[[], int]) -> None:
        self.batch_id = batch.pk
        self.size = batch.size
        self.position = position
        self.last = time.monotonic()
        self.db: BaseDatabaseWrapper | None = None
        self.own_connection = False
        if not connection.in_atomic_block:
            if connection.vendor == "postgresql":
                backend = load_backend(connection.settings_dict["ENGINE"])
                self.db = backend.DatabaseWrapper(dict(connection.settings_dict), "ledger_import_progress")
                self.own_connection = True
            else:
                self.db = connection

    def tick(self, rows_read: int, *, force: bool = False) -> None:
        if self.db is None:
            return
        now = time.monotonic()
        if not force and now - self.last < self.INTERVAL:
            return
        self.last = now
        done = min(self.position(), self.size)
        with self.db.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportBatch._meta.db_table} SET bytes_done = %s, rows_read = %s WHERE id = %s",
                [done, rows_read, self.batch_id],
            )

    def close(self) -> None:
        if self.own_connection and self.db is not None:
            self.db.close()


# --- the import ----------------------------------------------------------------------------------------------


def changeable_units(user: User) -> dict[str, int]:
    """Credit code -> unit id of every unit the user may import for (one query; a code held by several of them
    maps to 0 and is refused as ambiguous)."""
    units: dict[str, int] = {}
    scoped = kept_ledger_units(user).exclude(credit_code="")
    for code, unit_id in scoped.values_list("credit_code", "id").iterator(chunk_size=5000):
        key = code.strip().upper()
        units[key] = 0 if key in units and units[key] != unit_id else unit_id
    return units


def _finish(batch: ImportBatch, *, also: tuple[str, ...] = (), **changes: Any) -> ImportBatch:
    for name, value in changes.items():
        setattr(batch, name, value)
    batch.finished_at = timezone.now()
    batch.save(update_fields=[*changes, *also, "finished_at"])
    return batch


def _reject(batch: ImportBatch, report: ErrorReport, *, rows_read: int, message: str = "") -> ImportBatch:
    batch.error_report.save("errors.csv", File(report.file(), name="errors.csv"), save=False)
    return _finish(
        batch,
        also=("error_report",),
        status=Status.REJECTED,
        error_count=report.bad_rows,
        rows_read=rows_read,
        bytes_done=batch.size,
        created=0,
        updated=0,
        unchanged=0,
        message=message
        or _("发现 %(count)s 行有错误，未导入任何数据。请下载错误报告，改正后重新上传整个文件。")
        % {"count": report.bad_rows},
    )


def _report_duplicates(table: PostgresStaging | SQLiteStaging, header: Header, report: ErrorReport) -> None:
    """Every occurrence of a key named more than once, each naming the other rows (after the rows' own
    problems: the staged rows are grouped by key, not read in order)."""
    message = Messages.build().duplicate
    long = header.layout == Layout.LONG
    for carrier, occurrences in table.duplicates():
        for row, measure, amount in occurrences:
            others = "、".join(str(other) for other, _measure, _amount in occurrences if other != row)
            column = CARRIER if long else column_name(carrier, measure)
            value = CARRIER_NAMES[carrier] if long else amount
            report.add(row, column, value, message % {"rows": others}, counted=True)
    # Counted in the database: in the official layout one row may repeat several keys.
    report.bad_rows += table.duplicate_rows()


RECHECK_UNITS = 100  # units per run of the quality rules after an import


def recheck(written: Written) -> None:
    """Run the quality rules over what an import wrote, a slice of units at a time: the rules load the units'
    ledgers into memory, which must not grow with the file."""
    unit_ids = sorted(written.unit_ids)
    for start in range(0, len(unit_ids), RECHECK_UNITS):
        quality.recheck(unit_ids=unit_ids[start : start + RECHECK_UNITS], years=sorted(written.years))


def run_import(batch: ImportBatch) -> ImportBatch:
    """Read, check and write one uploaded file (the task's body): all or nothing, idempotent."""
    user = batch.uploaded_by
    report = ErrorReport()
    with override(settings.LANGUAGE_CODE), set_actor(user):
        try:
            if user is None:
                return _finish(batch, status=Status.FAILED, message=_("上传人已不存在，无法确定导入权限。"))
            batch.status = Status.RUNNING
            batch.save(update_fields=["status"])
            return _run(batch, user, report)
        except Exception:
            logger.exception("ledger import %s failed", batch.pk)
            return _finish(
                batch, status=Status.FAILED, message=_("处理失败，未导入任何数据。请稍后重试或联系管理员。")
            )
        finally:
            report.close()


def _run(batch: ImportBatch, user: User, report: ErrorReport) -> ImportBatch:
    with batch.file.storage.open(batch.file.name, "rb") as stored:
        handle: IO[bytes] = getattr(stored, "file", stored)
        try:
            source = open_rows(handle)
            header = _header(batch, source, report)
            if header is None:
                return _reject(batch, report, rows_read=0, message=_("表头有误，未导入任何数据。"))
            return _import_rows(batch, user, source, header, report)
        except FileProblem as problem:
            report.add(None, "", "", str(problem))
            return _reject(batch, report, rows_read=0, message=str(problem))


def _header(batch: ImportBatch, source: Rows, report: ErrorReport) -> Header | None:
    """The first row that is not blank, read as the header (None when it is wrong: its problems reported); the
    batch takes its layout."""
    for number, cells in source.rows:
        if any(cell.strip() for cell in cells):
            try:
                header = read_header(cells, batch.layout)
            except HeaderError as error:
                for column, value, problem in error.problems:
                    report.add(number, column, value, problem)
                return None
            if not batch.layout:
                batch.layout = header.layout
                batch.save(update_fields=["layout"])
            return header
    report.add(None, "", "", _("文件是空的"))
    return None


def _import_rows(
    batch: ImportBatch, user: User, source: Rows, header: Header, report: ErrorReport
) -> ImportBatch:
    """Check and stage every row, then write all of them or none."""
    context = Context(changeable_units(user), Messages.build())
    with staging_table(connection) as table:
        progress = Progress(batch, source.position)
        try:
            with table.loader() as load:
                found = check_rows(source.rows, header, context, report, load, progress.tick)
            progress.tick(found.rows_read, force=True)
        finally:
            progress.close()
        if found.rows_read == 0:
            report.add(None, "", "", _("表头下没有数据行"))
            return _reject(batch, report, rows_read=0, message=_("文件中没有数据行，未导入任何数据。"))
        if report.bad_rows:
            _report_duplicates(table, header, report)
            return _reject(batch, report, rows_read=found.rows_read)
        try:
            with transaction.atomic():
                written = table.write(batch_id=batch.pk, user_id=user.pk, now=timezone.now())
                recheck(written)
                return _done(batch, found, written)
        except DuplicateKeys:
            _report_duplicates(table, header, report)
            return _reject(batch, report, rows_read=found.rows_read)


def _done(batch: ImportBatch, found: Pass, written: Written) -> ImportBatch:
    unchanged = found.staged - written.created - written.updated
    return _finish(
        batch,
        status=Status.DONE,
        rows_read=found.rows_read,
        bytes_done=batch.size,
        created=written.created,
        updated=written.updated,
        unchanged=unchanged,
        error_count=0,
        message=_("已导入：新增 %(created)s 条，更新 %(updated)s 条，未变 %(unchanged)s 条。")
        % {"created": written.created, "updated": written.updated, "unchanged": unchanged},
    )


# --- uploading -----------------------------------------------------------------------------------------------

ACCEPTED_EXTENSIONS = (".csv", ".xlsx")


def can_import(user: User) -> bool:
    """Whoever keeps some unit's ledger may import (its clerks, the offices above it, the administrator)."""
    return kept_ledger_units(user).exists()


@transaction.atomic
def store_import(*, by: User, upload: UploadedFile, layout: str = "") -> ImportBatch:
    """Keep an uploaded file as a queued batch (its SHA-256 computed over the upload's chunks)."""
    if not can_import(by):
        raise PermissionDenied(_("您没有可以填报台账的单位。"))
    if layout not in ("", *Layout.values):
        raise ValidationError({"layout": _("格式应为统计报表格式或长表格式。")})
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower()
    if extension not in ACCEPTED_EXTENSIONS:
        raise ValidationError({"file": _("只能导入 CSV 或 XLSX 文件（Excel 请另存为 .xlsx）。")})
    if not upload.size:
        raise ValidationError({"file": _("文件是空的。")})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    batch = ImportBatch(
        original_name=name[:255],
        sha256=digest.hexdigest(),
        size=upload.size,
        layout=layout,
        uploaded_by=by,
    )
    batch.file.save(f"source{extension}", upload, save=False)
    batch.full_clean()
    with set_actor(by):
        batch.save()
    return batch


def start_import(*, by: User, upload: UploadedFile, layout: str = "") -> ImportBatch:
    """Store the file and queue its import once the batch is committed."""
    from lvchuang.ledgers.tasks import import_ledger_file  # the task module imports this one

    with transaction.atomic():
        batch = store_import(by=by, upload=upload, layout=layout)
        transaction.on_commit(lambda: import_ledger_file.enqueue(batch.pk))
    return batch


# --- whose batches -------------------------------------------------------------------------------------------


def visible_batches(user: User) -> QuerySet[ImportBatch]:
    """A batch is its uploader's (it may name units of several offices); the administrator sees all."""
    batches = ImportBatch.objects.select_related("uploaded_by")
    return batches if jurisdiction_of(user).is_admin else batches.filter(uploaded_by=user)


def access_batch_by_id(user: User, batch_id: Any) -> ImportBatch:
    try:
        return visible_batches(user).get(pk=batch_id)
    except (ImportBatch.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- templates -----------------------------------------------------------------------------------------------

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_FORMATS = ("csv", "xlsx")


def template_header(layout: str) -> tuple[str, ...]:
    return OFFICIAL_HEADER if layout == Layout.OFFICIAL else LONG_HEADER


def template_file(layout: str, fmt: str) -> tuple[bytes, str, str]:
    """An empty file of a layout (content, content type, file name); Http404 for an unknown one."""
    if layout not in Layout.values or fmt not in TEMPLATE_FORMATS:
        raise Http404
    header = template_header(layout)
    filename = f"ledger-{layout}.{fmt}"
    if fmt == "csv":
        text = io.StringIO(newline="")
        csv.writer(text).writerow(header)
        return text.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8", filename
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("台账")
    sheet.append(list(header))
    for column, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = max(10, len(name) * 2 + 2)
    notes = workbook.create_sheet(_("填写说明"))
    for line in template_notes(layout):
        notes.append(line)
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 70
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), XLSX_CONTENT_TYPE, filename


def template_notes(layout: str) -> list[list[str]]:
    """What the second sheet of an Excel template explains (only the first sheet is imported)."""
    lines = [
        [
            _("说明"),
            _("只导入第一个工作表；第一行是表头，列的顺序不限。整个文件有任何一行出错则全部不导入。"),
        ],
        [CODE, _("18 位统一社会信用代码；只能填报您有权填报的单位。")],
        [YEAR, _("2000–2100。")],
        [MONTH, _("1–12。")],
    ]
    if layout == Layout.OFFICIAL:
        lines += [
            [NAME, _("仅供核对，不导入。")],
            [
                _("品种列"),
                _("不填表示未填报；汽油、柴油、煤油同一月份只能填千克或升中的一列。最多 3 位小数。"),
            ],
        ]
    else:
        lines += [
            [CARRIER, "、".join(f"{name}（{code}）" for code, name in CARRIER_NAMES.items())],
            [AMOUNT, _("最多 3 位小数；负数和零照实填写，由数据质量规则提示核对。")],
            [MEASURE, "、".join(f"{name}（{code}）" for code, name in MEASURE_NAMES.items())],
            [_("计量单位"), _("汽油、柴油、煤油可填千克或升，其他品种只能用其规定的计量单位。")],
        ]
    return lines
