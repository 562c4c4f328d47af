"""Standards in and out of the platform: Excel in the layout offices use, and YAML and JSON with the same content.

Excel — sheet "评价标准": a header block of label | value rows (标准名称, 版本, 满分, 合格线, 加分上限, 适用单位,
then optionally 标准代码, 对应称号, 依据文件, 说明, 修订说明, 待确认), a blank row, then one row per item under the
header 编号 | 上级编号 | 类型 | 名称 | 分值 | 评分细则 | 佐证材料 | 待确认, parents before their children, and a
ninth column 自动判断 when some item is answered by the system (written only then; read when present).
Sheet "等次": 等次 | 最低分.

YAML and JSON — one mapping: the standard's fields, `version`, `grade_bands`, and `items` nested by `children`.
The built-in defaults (`defaults/*.yaml`) are files of this format.

Reading never writes: a file is parsed into a `StandardDocument`, every row is checked, then the whole version is
checked by the scoring engine's rules. Each problem is reported in Chinese with its sheet and row (or, for YAML and
JSON, the position of the item); only a file without any problem yields a document to import.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from lvchuang.organisations.models import Unit
from lvchuang.standards.document import (
    KINDS,
    ZERO,
    BandSpec,
    ItemSpec,
    StandardDocument,
    check,
    format_points,
)
from lvchuang.standards.models import Item
from lvchuang.standards.selectors import KIND_SHORT_LABELS

FORMAT_TAG = "lvchuang-standard/1"
ITEMS_SHEET = "评价标准"
BANDS_SHEET = "等次"
ITEM_COLUMNS = ("编号", "上级编号", "类型", "名称", "分值", "评分细则", "佐证材料", "待确认")
COMPUTED_COLUMN = "自动判断"  # the optional ninth column
BAND_COLUMNS = ("等次", "最低分")
REQUIRED_HEADER = ("标准名称", "版本", "满分", "合格线", "加分上限", "适用单位")
OPTIONAL_HEADER = ("标准代码", "对应称号", "依据文件", "说明", "修订说明", "待确认")

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "yaml": "application/yaml; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
MAX_POINTS = Decimal("9999.99")  # the columns hold 6 digits, 2 after the point
LIMITS = {
    "code": 20,
    "title": 300,
    "name": 120,
    "label": 60,
    "band": 30,
    "standard_code": 60,
    "title_name": 120,
}
LIMITS["source"] = 300

# Every way offices write a kind: the stored value, its short and full Chinese names, and common synonyms.
KIND_ALIASES: dict[str, str] = {
    **{kind: kind for kind in KINDS},
    **{label: kind for kind, label in KIND_SHORT_LABELS.items()},
    "★": "veto",
    "必须完成项（★）": "veto",
    "一票否决": "veto",
    "一票否决项": "veto",
    "否决项": "veto",
    "条目": "scored",
    "评分项": "scored",
    "基本条件（不满足即不通过）": "gate",
    "必须完成项（★，不得为零分）": "veto",
}
# An item the system answers (`Item.ComputedBy`): written as its code or its Chinese name.
COMPUTED_ALIASES: dict[str, str] = {
    **{value: value for value in Item.ComputedBy.values},
    **{str(label): value for value, label in Item.ComputedBy.choices},
}
TRUE_WORDS = {"是", "待确认", "y", "yes", "true", "1", "√", "✓"}
FALSE_WORDS = {"", "否", "n", "no", "false", "0"}


@dataclass(frozen=True)
class RowError:
    """One problem of a file. `sheet` is the Excel sheet (or, for YAML and JSON, the part of the file); `row` the
    sheet's row number (or the item's position in the file), None for the file as a whole."""

    sheet: str
    row: int | None
    message: str
    excel: bool = True

    @property
    def where(self) -> str:
        if self.row is None:
            return f"“{self.sheet}”" if self.sheet else "文件"
        return f"“{self.sheet}”表第 {self.row} 行" if self.excel else f"{self.sheet}第 {self.row} 项"

    def __str__(self) -> str:
        return f"{self.where}：{self.message}"


@dataclass
class ReadResult:
    document: StandardDocument | None
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.document is not None and not self.errors


# --- export -----------------------------------------------------------------------------------------------------


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(format_points(value))


def _flag(value: bool) -> str:
    return "是" if value else ""


def applies_to_text(kinds: Iterable[str]) -> str:
    labels = dict(Unit.Kind.choices)
    return "、".join(str(labels.get(kind, kind)) for kind in kinds)


def to_mapping(document: StandardDocument) -> dict[str, Any]:
    """The YAML / JSON shape of a document (items nested by `children`)."""
    nodes: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for item in document.items:
        node: dict[str, Any] = {"code": item.code, "title": item.title, "kind": item.kind}
        node["points"] = _number(item.max_points)
        if item.guidance:
            node["guidance"] = item.guidance
        if item.evidence_required:
            node["evidence"] = item.evidence_required
        if item.needs_confirmation:
            node["needs_confirmation"] = True
        if item.computed_by:
            node["computed_by"] = item.computed_by
        nodes[item.code] = node
        if item.parent_code:
            nodes[item.parent_code].setdefault("children", []).append(node)
        else:
            roots.append(node)
    return {
        "format": FORMAT_TAG,
        "code": document.code,
        "name": document.name,
        "title_name": document.title_name,
        "description": document.description,
        "source": document.source,
        "version": {
            "label": document.label,
            "total_points": _number(document.total_points),
            "pass_line": _number(document.pass_line),
            "bonus_cap": _number(document.bonus_cap),
            "applies_to": list(document.applies_to),
            "needs_confirmation": document.needs_confirmation,
            "notes": document.notes,
        },
        "grade_bands": [{"name": band.name, "min_score": _number(band.min_score)} for band in document.bands],
        "items": roots,
    }


class _Dumper(yaml.SafeDumper):
    """Multi-line texts as literal blocks, so notes and guidance stay readable in the file."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


def export_yaml(document: StandardDocument) -> str:
    return yaml.dump(to_mapping(document), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def export_json(document: StandardDocument) -> str:
    return json.dumps(to_mapping(document), ensure_ascii=False, indent=2) + "\n"


def export_xlsx(document: StandardDocument) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = ITEMS_SHEET
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DCEFE3")
    header: list[tuple[str, Any]] = [
        ("标准名称", document.name),
        ("版本", document.label),
        ("满分", _number(document.total_points)),
        ("合格线", _number(document.pass_line)),
        ("加分上限", _number(document.bonus_cap)),
        ("适用单位", applies_to_text(document.applies_to)),
        ("标准代码", document.code),
        ("对应称号", document.title_name),
        ("依据文件", document.source),
        ("说明", document.description),
        ("修订说明", document.notes),
        ("待确认", _flag(document.needs_confirmation)),
    ]
    for label, value in header:
        sheet.append([label, value])
        sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.append([])
    computed = any(item.computed_by for item in document.items)
    sheet.append([*ITEM_COLUMNS, COMPUTED_COLUMN] if computed else list(ITEM_COLUMNS))
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = bold
        cell.fill = header_fill
    for item in document.items:
        sheet.append(
            [
                item.code,
                item.parent_code,
                KIND_SHORT_LABELS[item.kind],
                item.title,
                _number(item.max_points),
                item.guidance,
                item.evidence_required,
                _flag(item.needs_confirmation),
                *([_computed_label(item.computed_by)] if computed else []),
            ]
        )
        for column in (1, 2):  # codes are text: "1.10" must not become the number 1.1
            sheet.cell(row=sheet.max_row, column=column).number_format = "@"
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGHI", (10, 10, 12, 40, 8, 50, 40, 8, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"A{header_row + 1}"
    kinds = DataValidation(
        type="list", formula1='"' + ",".join(KIND_SHORT_LABELS.values()) + '"', allow_blank=False
    )
    kinds.add(f"C{header_row + 1}:C{max(header_row + 500, sheet.max_row)}")
    sheet.add_data_validation(kinds)

    bands = workbook.create_sheet(BANDS_SHEET)
    bands.append(list(BAND_COLUMNS))
    for cell in bands[1]:
        cell.font = bold
        cell.fill = header_fill
    for band in document.bands:
        bands.append([band.name, _number(band.min_score)])
    bands.column_dimensions["A"].width = 16
    bands.column_dimensions["B"].width = 10

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export(document: StandardDocument, fmt: str) -> bytes:
    if fmt == "xlsx":
        return export_xlsx(document)
    if fmt == "yaml":
        return export_yaml(document).encode("utf-8")
    if fmt == "json":
        return export_json(document).encode("utf-8")
    raise ValueError(fmt)


# --- reading values ---------------------------------------------------------------------------------------------


class _Bad(ValueError):
    """A value that cannot be read; the message is the Chinese explanation."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _points(value: Any, what: str) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        return ZERO
    if isinstance(value, bool):
        raise _Bad(f"{what}“{value}”不是数字")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise _Bad(f"{what}“{value}”不是数字") from None
    if not number.is_finite():
        raise _Bad(f"{what}“{value}”不是数字")
    if number < 0:
        raise _Bad(f"{what}不能为负数（现为 {format_points(number)}）")
    if number > MAX_POINTS:
        raise _Bad(f"{what} {format_points(number)} 太大（最多 {format_points(MAX_POINTS)}）")
    if number != number.quantize(Decimal("0.01")):
        raise _Bad(f"{what} {value} 最多保留两位小数")
    return number.quantize(Decimal("0.01"))


def _kind(value: Any) -> str:
    text = _text(value)
    kind = KIND_ALIASES.get(text) or KIND_ALIASES.get(text.lower())
    if kind is None:
        names = "、".join(KIND_SHORT_LABELS.values())
        raise _Bad(f"类型“{text}”无效，应为{names}之一（或 area、scored、veto、gate、bonus）")
    return kind


def _computed_label(value: str) -> str:
    return str(Item.ComputedBy(value).label) if value else ""


def _computed(value: Any) -> str:
    text = _text(value)
    if not text:
        return ""
    if text not in COMPUTED_ALIASES:
        names = "、".join(f"“{label}”" for label in Item.ComputedBy.labels)
        raise _Bad(f"自动判断“{text}”无效，应为{names}之一，或留空")
    return COMPUTED_ALIASES[text]


def _yes(value: Any, what: str = "待确认") -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise _Bad(f"{what}应填“是”或留空，而不是“{_text(value)}”")


def _unit_kinds(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        parts = [part.strip() for part in value.replace("，", "、").replace(",", "、").split("、")]
    elif isinstance(value, list):
        parts = [_text(part) for part in value]
    else:
        raise _Bad("适用单位应为单位类别的列表")
    known: dict[str, str] = {}
    for kind, label in Unit.Kind.choices:
        known[kind] = kind
        known[str(label)] = kind
        known[str(label).split("（")[0]] = kind
    kinds: list[str] = []
    for part in parts:
        if not part:
            continue
        if part not in known:
            names = "、".join(str(label).split("（")[0] for label in Unit.Kind.labels)
            raise _Bad(f"适用单位“{part}”无效，应为{names}之一")
        if known[part] not in kinds:
            kinds.append(known[part])
    return tuple(kinds)


def _limited(value: Any, what: str, limit: int, required: bool = False) -> str:
    text = _text(value)
    if required and not text:
        raise _Bad(f"{what}不能为空")
    if len(text) > limit:
        raise _Bad(f"{what}最多 {limit} 个字（现有 {len(text)} 个）")
    return text


# --- the common part: rows in, a checked document out -------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    """One item as read, before any checking; `sheet` and `row` say where it came from."""

    sheet: str
    row: int
    code: Any
    parent_code: Any
    kind: Any
    title: Any
    points: Any
    guidance: Any
    evidence: Any
    needs_confirmation: Any
    computed_by: Any = None


@dataclass
class _Reader:
    excel: bool
    errors: list[RowError] = field(default_factory=list)

    def error(self, sheet: str, row: int | None, message: str) -> None:
        self.errors.append(RowError(sheet, row, message, excel=self.excel))

    def items(self, rows: list[_Row]) -> tuple[list[ItemSpec], dict[str, tuple[str, int]]]:
        specs: list[ItemSpec] = []
        where: dict[str, tuple[str, int]] = {}
        for raw in rows:
            problems: list[str] = []

            def read(reader: Any, *args: Any, problems: list[str] = problems) -> Any:
                try:
                    return reader(*args)
                except _Bad as bad:
                    problems.append(str(bad))
                    return None

            code = read(_limited, raw.code, "编号", LIMITS["code"], True)
            parent_code = read(_limited, raw.parent_code, "上级编号", LIMITS["code"])
            kind = read(_kind, raw.kind)
            title = read(_limited, raw.title, "名称", LIMITS["title"], True)
            points = read(_points, raw.points, "分值")
            flag = read(_yes, raw.needs_confirmation)
            computed = read(_computed, raw.computed_by)
            if kind == "gate" and points:
                problems.append(f"基本条件只判断是否满足，分值必须为 0（现为 {format_points(points)}）")
            if code and code in where:
                problems.append(f"编号 {code} 与{self._where(where[code])}重复")
            if code and parent_code == code:
                problems.append("上级编号不能是自己")
            elif parent_code and parent_code not in where:
                later = any(_text(other.code) == parent_code for other in rows)
                problems.append(
                    f"上级编号 {parent_code} 应写在本行之前" if later else f"上级编号 {parent_code} 不存在"
                )
            for problem in problems:
                self.error(raw.sheet, raw.row, problem)
            if code and code not in where:
                where[code] = (raw.sheet, raw.row)
            if not problems:
                specs.append(
                    ItemSpec(
                        code=code,
                        title=title,
                        kind=kind,
                        max_points=points,
                        parent_code=parent_code,
                        guidance=_text(raw.guidance),
                        evidence_required=_text(raw.evidence),
                        needs_confirmation=flag,
                        computed_by=computed,
                    )
                )
        return specs, where

    def _where(self, place: tuple[str, int]) -> str:
        _sheet, row = place
        return f"第 {row} 行" if self.excel else f"第 {row} 项"

    def bands(self, rows: list[tuple[str, int, Any, Any]]) -> list[BandSpec]:
        bands: list[BandSpec] = []
        names: dict[str, int] = {}
        scores: dict[Decimal, int] = {}
        for sheet, row, raw_name, raw_score in rows:
            try:
                name = _limited(raw_name, "等次", LIMITS["band"], required=True)
                score = _points(raw_score, "最低分")
            except _Bad as bad:
                self.error(sheet, row, str(bad))
                continue
            if name in names:
                self.error(sheet, row, f"等次“{name}”与第 {names[name]} {'行' if self.excel else '项'}重复")
                continue
            if score in scores:
                self.error(
                    sheet,
                    row,
                    f"最低分 {format_points(score)} 与第 {scores[score]} {'行' if self.excel else '项'}相同",
                )
                continue
            names[name], scores[score] = row, row
            bands.append(BandSpec(name, score))
        return sorted(bands, key=lambda band: band.min_score, reverse=True)

    def finish(
        self,
        *,
        header: dict[str, Any],
        header_sheet: str,
        items: list[ItemSpec],
        where: dict[str, tuple[str, int]],
        bands: list[BandSpec],
    ) -> ReadResult:
        document = StandardDocument(
            code=header.get("code", ""),
            name=header.get("name", ""),
            title_name=header.get("title_name", ""),
            description=header.get("description", ""),
            source=header.get("source", ""),
            label=header.get("label", ""),
            total_points=header.get("total_points", ZERO),
            pass_line=header.get("pass_line", ZERO),
            bonus_cap=header.get("bonus_cap", ZERO),
            applies_to=header.get("applies_to", ()),
            needs_confirmation=header.get("needs_confirmation", False),
            notes=header.get("notes", ""),
            items=tuple(items),
            bands=tuple(bands),
        )
        if self.errors:
            return ReadResult(None, self.errors)
        # Every row reads well: now the version as a whole, by the scoring engine's rules.
        for problem in check(document):
            sheet, row = (
                where.get(problem.code, (header_sheet, None)) if problem.code else (header_sheet, None)
            )
            self.error(sheet, row, problem.message)
        return ReadResult(None if self.errors else document, self.errors)


def _header_values(reader: _Reader, sheet: str, rows: Mapping[str, tuple[int | None, Any]]) -> dict[str, Any]:
    """The standard's and version's fields from label → (row, value); each bad value is an error on its row."""
    fields: dict[str, Any] = {}
    readers: list[tuple[str, str, Any]] = [
        ("标准名称", "name", lambda v: _limited(v, "标准名称", LIMITS["name"], required=True)),
        ("版本", "label", lambda v: _limited(v, "版本", LIMITS["label"])),
        ("满分", "total_points", lambda v: _points(v, "满分")),
        ("合格线", "pass_line", lambda v: _points(v, "合格线")),
        ("加分上限", "bonus_cap", lambda v: _points(v, "加分上限")),
        ("适用单位", "applies_to", _unit_kinds),
        ("标准代码", "code", lambda v: _limited(v, "标准代码", LIMITS["standard_code"])),
        ("对应称号", "title_name", lambda v: _limited(v, "对应称号", LIMITS["title_name"])),
        ("依据文件", "source", lambda v: _limited(v, "依据文件", LIMITS["source"])),
        ("说明", "description", _text),
        ("修订说明", "notes", _text),
        ("待确认", "needs_confirmation", _yes),
    ]
    for label, name, read in readers:
        if label not in rows:
            continue
        row, value = rows[label]
        try:
            fields[name] = read(value)
        except _Bad as bad:
            reader.error(sheet, row, str(bad))
    return fields


# --- Excel ------------------------------------------------------------------------------------------------------


def read_xlsx(content: bytes) -> ReadResult:
    reader = _Reader(excel=True)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        reader.error("", None, f"无法读取 Excel 文件（{type(error).__name__}），请确认它是 .xlsx 格式。")
        return ReadResult(None, reader.errors)
    try:
        if ITEMS_SHEET not in workbook.sheetnames:
            names = "、".join(workbook.sheetnames)
            reader.error("", None, f"找不到名为“{ITEMS_SHEET}”的工作表（文件中有：{names}）。")
            return ReadResult(None, reader.errors)
        rows = [tuple(row) for row in workbook[ITEMS_SHEET].iter_rows(values_only=True)]
        band_rows = (
            [tuple(row) for row in workbook[BANDS_SHEET].iter_rows(values_only=True)]
            if BANDS_SHEET in workbook.sheetnames
            else None
        )
    finally:
        workbook.close()

    header: dict[str, tuple[int | None, Any]] = {}
    table_at: int | None = None
    for number, row in enumerate(rows, start=1):
        cells = [_text(cell) for cell in row]
        if not any(cells):
            continue
        if cells[0] == ITEM_COLUMNS[0]:
            table_at = number
            break
        label = cells[0]
        if label in REQUIRED_HEADER or label in OPTIONAL_HEADER:
            if label in header:
                reader.error(ITEMS_SHEET, number, f"“{label}”出现了两次")
            header[label] = (number, row[1] if len(row) > 1 else None)
        else:
            reader.error(
                ITEMS_SHEET,
                number,
                f"表头“{label}”无法识别，应为{'、'.join(REQUIRED_HEADER + OPTIONAL_HEADER)}之一，"
                f"条目表头行以“{ITEM_COLUMNS[0]}”开头",
            )
    for label in REQUIRED_HEADER:
        if label not in header:
            reader.error(ITEMS_SHEET, None, f"表头缺少“{label}”一行")
    if table_at is None:
        reader.error(ITEMS_SHEET, None, f"找不到条目表头行（{' | '.join(ITEM_COLUMNS)}）")
        return ReadResult(None, reader.errors)
    columns = tuple(_text(cell) for cell in rows[table_at - 1])
    expected = (
        (*ITEM_COLUMNS, COMPUTED_COLUMN)
        if columns[len(ITEM_COLUMNS) : len(ITEM_COLUMNS) + 1] == (COMPUTED_COLUMN,)
        else ITEM_COLUMNS
    )
    width = len(expected)
    if columns[:width] != expected or any(columns[width:]):
        reader.error(
            ITEMS_SHEET,
            table_at,
            f"条目表头应为“{' | '.join(ITEM_COLUMNS)}”，而不是“{' | '.join(c for c in columns if c)}”",
        )
        return ReadResult(None, reader.errors)

    fields = _header_values(reader, ITEMS_SHEET, header)
    item_rows = []
    for number, row in enumerate(rows[table_at:], start=table_at + 1):
        padded: list[Any] = [*row, *([None] * (width - len(row)))]
        if not any(_text(cell) for cell in padded):
            continue
        item_rows.append(_Row(ITEMS_SHEET, number, *padded[:width]))
    items, where = reader.items(item_rows)

    bands: list[BandSpec] = []
    if band_rows:
        heading = tuple(_text(cell) for cell in band_rows[0])[:2]
        if heading != BAND_COLUMNS:
            reader.error(
                BANDS_SHEET, 1, f"表头应为“{' | '.join(BAND_COLUMNS)}”，而不是“{' | '.join(heading)}”"
            )
        else:
            raw = [
                (BANDS_SHEET, number, row[0], row[1] if len(row) > 1 else None)
                for number, row in enumerate(band_rows[1:], start=2)
                if any(_text(cell) for cell in row)
            ]
            bands = reader.bands(raw)
    return reader.finish(header=fields, header_sheet=ITEMS_SHEET, items=items, where=where, bands=bands)


# --- YAML and JSON ------------------------------------------------------------------------------------------------

TOP_KEYS = {
    "format",
    "code",
    "name",
    "title_name",
    "description",
    "source",
    "version",
    "grade_bands",
    "items",
}
VERSION_KEYS = {
    "label",
    "total_points",
    "pass_line",
    "bonus_cap",
    "applies_to",
    "needs_confirmation",
    "notes",
}
ITEM_KEYS = {
    "code",
    "title",
    "kind",
    "points",
    "guidance",
    "evidence",
    "needs_confirmation",
    "computed_by",
    "children",
}
ITEM_PART, BAND_PART, VERSION_PART, STANDARD_PART = "条目", "等次", "版本信息", "标准信息"


def _flatten(nodes: Any, parent: str, reader: _Reader, rows: list[_Row]) -> None:
    if not isinstance(nodes, list):
        reader.error(ITEM_PART, None, "items 和 children 应为条目的列表")
        return
    for node in nodes:
        position = len(rows) + 1
        if not isinstance(node, Mapping):
            reader.error(ITEM_PART, position, "每个条目应为一组“字段: 值”")
            rows.append(_Row(ITEM_PART, position, None, parent, None, None, None, None, None, None))
            continue
        for key in sorted(set(node) - ITEM_KEYS):
            reader.error(ITEM_PART, position, f"未知字段“{key}”")
        rows.append(
            _Row(
                ITEM_PART,
                position,
                node.get("code"),
                parent,
                node.get("kind"),
                node.get("title"),
                node.get("points"),
                node.get("guidance"),
                node.get("evidence"),
                node.get("needs_confirmation"),
                node.get("computed_by"),
            )
        )
        if "children" in node:
            _flatten(node["children"], _text(node.get("code")), reader, rows)


def from_mapping(data: Any) -> ReadResult:
    """A document from the YAML / JSON shape, with every problem listed."""
    reader = _Reader(excel=False)
    if not isinstance(data, Mapping):
        reader.error("", None, "文件内容应为一组“字段: 值”（标准名称、版本、条目……）")
        return ReadResult(None, reader.errors)
    if data.get("format", FORMAT_TAG) != FORMAT_TAG:
        reader.error(STANDARD_PART, None, f"格式标记应为 {FORMAT_TAG}，而不是 {data.get('format')}")
    for key in sorted(set(data) - TOP_KEYS):
        reader.error(STANDARD_PART, None, f"未知字段“{key}”")
    version = data.get("version")
    if not isinstance(version, Mapping):
        reader.error(VERSION_PART, None, "缺少 version（版本、满分、合格线……）")
        version = {}
    for key in sorted(set(version) - VERSION_KEYS):
        reader.error(VERSION_PART, None, f"未知字段“{key}”")
    for key in ("total_points", "pass_line"):
        if key not in version:
            reader.error(VERSION_PART, None, f"缺少 {key}（{'满分' if key == 'total_points' else '合格线'}）")
    values: dict[str, tuple[int | None, Any]] = {
        "标准名称": (None, data.get("name")),
        "标准代码": (None, data.get("code")),
        "对应称号": (None, data.get("title_name")),
        "依据文件": (None, data.get("source")),
        "说明": (None, data.get("description")),
        "版本": (None, version.get("label")),
        "满分": (None, version.get("total_points")),
        "合格线": (None, version.get("pass_line")),
        "加分上限": (None, version.get("bonus_cap")),
        "适用单位": (None, version.get("applies_to")),
        "修订说明": (None, version.get("notes")),
        "待确认": (None, version.get("needs_confirmation")),
    }
    fields = _header_values(reader, VERSION_PART, values)
    rows: list[_Row] = []
    _flatten(data.get("items", []), "", reader, rows)
    items, where = reader.items(rows)
    raw_bands = data.get("grade_bands", [])
    band_rows: list[tuple[str, int, Any, Any]] = []
    if not isinstance(raw_bands, list):
        reader.error(BAND_PART, None, "grade_bands 应为等次的列表")
    else:
        for position, band in enumerate(raw_bands, start=1):
            if not isinstance(band, Mapping):
                reader.error(BAND_PART, position, "每个等次应有 name 和 min_score")
                continue
            for key in sorted(set(band) - {"name", "min_score"}):
                reader.error(BAND_PART, position, f"未知字段“{key}”")
            band_rows.append((BAND_PART, position, band.get("name"), band.get("min_score")))
    bands = reader.bands(band_rows)
    return reader.finish(header=fields, header_sheet=VERSION_PART, items=items, where=where, bands=bands)


def read_yaml(text: str) -> ReadResult:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f"第 {mark.line + 1} 行" if mark is not None else ""
        problem = getattr(error, "problem", None) or "格式错误"
        return ReadResult(
            None,
            [RowError("", None, f"YAML 格式错误{('（' + line + '）') if line else ''}：{problem}", False)],
        )
    return from_mapping(data)


def read_json(text: str) -> ReadResult:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return ReadResult(
            None, [RowError("", None, f"JSON 格式错误（第 {error.lineno} 行）：{error.msg}", False)]
        )
    return from_mapping(data)


def format_of(filename: str) -> str | None:
    name = filename.lower()
    for suffix, fmt in ((".xlsx", "xlsx"), (".yaml", "yaml"), (".yml", "yaml"), (".json", "json")):
        if name.endswith(suffix):
            return fmt
    return None


def read_file(filename: str, content: bytes) -> ReadResult:
    """Parse an uploaded file by its extension (.xlsx, .yaml / .yml, .json)."""
    fmt = format_of(filename)
    if fmt is None:
        return ReadResult(None, [RowError("", None, "只能导入 .xlsx、.yaml（.yml）或 .json 文件。")])
    if fmt == "xlsx":
        return read_xlsx(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ReadResult(None, [RowError("", None, "文件不是 UTF-8 编码的文本。", False)])
    return read_yaml(text) if fmt == "yaml" else read_json(text)
