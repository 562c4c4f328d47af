"""The six built-in standards: loaded by the data migration and by `load_standards`, idempotently, and sound."""

from __future__ import annotations

import importlib
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from lvchuang.campaigns.models import Program
from lvchuang.standards.defaults import default_documents, load_builtin_standards
from lvchuang.standards.document import check
from lvchuang.standards.models import Standard, StandardVersion
from lvchuang.standards.selectors import document_of

# code: (full marks, pass line, bonus cap, unit kinds)
EXPECTED: dict[str, tuple[Decimal, Decimal, Decimal, list[str]]] = {
    "energy-saving-community": (Decimal(100), Decimal(80), Decimal(0), ["community"]),
    "green-community": (Decimal(100), Decimal(70), Decimal(0), ["community"]),
    "conservation-oriented-organ": (Decimal(100), Decimal(80), Decimal(0), ["organ"]),
    "conservation-public-institution": (
        Decimal(100),
        Decimal(85),
        Decimal(10),
        ["organ", "public_institution", "school"],
    ),
    "green-unit": (
        Decimal(100),
        Decimal(80),
        Decimal(0),
        ["organ", "public_institution", "school", "enterprise", "military", "other"],
    ),
    "green-family": (Decimal(100), Decimal(80), Decimal(0), ["community"]),
}


def remove_all_standards() -> None:
    # The built-in programs point at the standards (campaigns/0002); they go first.
    Program.objects.update(prerequisite=None)
    Program.objects.all().delete()
    StandardVersion.objects.all().delete()
    Standard.objects.all().delete()


def test_the_migrations_load_the_six_built_in_standards_as_published_first_versions(db):
    versions = StandardVersion.objects.select_related("standard")
    assert {v.standard.code for v in versions} == set(EXPECTED)
    for version in versions:
        total, line, cap, kinds = EXPECTED[version.standard.code]
        assert version.standard.owner is None
        assert (version.number, version.status) == (1, StandardVersion.Status.PUBLISHED)
        assert (version.total_points, version.pass_line, version.bonus_cap) == (total, line, cap)
        assert version.applies_to == kinds
        assert version.needs_confirmation, version.standard.code
        assert "使用前须由创建办确认" in version.notes
        assert version.grade_bands.exists()


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_every_built_in_version_passes_its_own_consistency_check(db, code):
    version = StandardVersion.objects.get(standard__code=code)
    assert check(document_of(version)) == []


def test_the_migration_loads_exactly_what_the_files_say(db):
    files = {document.code: document for _path, document in default_documents()}
    for version in StandardVersion.objects.select_related("standard"):
        assert document_of(version) == files[version.standard.code]


def test_the_facts_that_are_verified_are_not_marked_to_confirm(db):
    organ = StandardVersion.objects.get(standard__code="conservation-oriented-organ")
    verified = organ.items.filter(needs_confirmation=False)
    assert set(verified.values_list("code", flat=True)) >= {"1", "2", "2.1.1", "2.2.4.4", "2.3.2"}
    target = organ.items.get(code="1")
    assert (target.kind, target.max_points) == ("veto", Decimal("5"))
    assert organ.items.filter(code__in=["3", "4", "5", "6", "7"], needs_confirmation=True).count() == 5

    institution = StandardVersion.objects.get(standard__code="conservation-public-institution")
    areas = dict(institution.items.filter(parent=None).values_list("title", "max_points"))
    assert areas == {
        "能源资源消耗指标": 35,
        "管理制度与实施": 29,
        "建筑及设备系统节能": 20,
        "节约用水": 9,
        "绿色消费": 7,
        "加分项": 10,
    }
    assert institution.items.filter(kind="veto").exists()
    assert institution.items.filter(kind="bonus").count() == 3

    community = StandardVersion.objects.get(standard__code="green-community")
    assert community.items.filter(parent=None, kind="area").count() == 5
    assert community.items.filter(kind="scored").count() == 16


def test_load_standards_is_idempotent(db):
    report = load_builtin_standards()
    assert (report.created, len(report.existing)) == ([], 6)

    remove_all_standards()
    assert len(load_builtin_standards().created) == 6
    again = load_builtin_standards()
    assert (again.created, len(again.existing)) == ([], 6)
    assert Standard.objects.count() == 6
    assert StandardVersion.objects.count() == 6


def test_the_data_migration_is_idempotent_and_needs_no_app_code(db):
    migration = importlib.import_module("lvchuang.standards.migrations.0002_builtin_standards")
    # 0004 marks the 节约型机关 target item as computed, which the files say and 0002 cannot (0003 adds the field).
    computed = importlib.import_module("lvchuang.standards.migrations.0004_organ_target_item_computed")
    remove_all_standards()
    migration.load_builtin_standards(apps, None)
    migration.load_builtin_standards(apps, None)
    computed.compute_the_target_item(apps, None)
    assert Standard.objects.count() == 6
    files = {document.code: document for _path, document in default_documents()}
    for version in StandardVersion.objects.select_related("standard"):
        assert document_of(version) == files[version.standard.code]
    for module in (migration, computed):
        lines = Path(str(module.__file__)).read_text(encoding="utf-8").splitlines()
        assert not [line for line in lines if line.startswith(("from lvchuang", "import lvchuang"))]


def test_the_command_says_what_it_did(db):
    out = StringIO()
    call_command("load_standards", stdout=out)
    assert "新增 0 个，已有 6 个" in out.getvalue()
