"""The target check answers the 节约型机关 veto item: a self-assessment of an organ begun in 2026 is judged on its
2025 ledger against the city's 十四五 target (2025 versus 2020)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from lvchuang.assessments import services
from lvchuang.assessments.models import ItemResponse, SelfAssessment
from lvchuang.ledgers.target_services import create_annual_target_from_preset
from lvchuang.ledgers.tests.conftest import LedgerWorld
from lvchuang.ledgers.tests.test_indicators import a_year_of
from lvchuang.standards.models import Item, StandardVersion

IN_2026 = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)


@pytest.fixture
def organ_assessment(ledger_world: LedgerWorld) -> SelfAssessment:
    world = ledger_world.world
    create_annual_target_from_preset(by=world.user("city"), office=world.city_office, preset="shisiwu-2025")
    a_year_of(ledger_world.organ, 2020, electricity="100000", water="2400")
    version = StandardVersion.objects.get(
        standard__code="conservation-oriented-organ", status=StandardVersion.Status.PUBLISHED
    )
    with time_machine.travel(IN_2026, tick=False):
        return services.start_assessment(
            by=ledger_world.organ_clerk, unit=ledger_world.organ, version=version
        )


def target_item(assessment: SelfAssessment) -> Item:
    return Item.objects.get(version=assessment.version, code="1")


def answer_the_rest(assessment: SelfAssessment, by: object) -> None:
    """Every other leaf item at full points, every basic condition met."""
    for item in Item.objects.filter(version=assessment.version, children__isnull=True).exclude(
        computed_by=""
    ):
        assert item.code == "1"
    for item in Item.objects.filter(version=assessment.version, children__isnull=True, computed_by=""):
        if item.kind == Item.Kind.AREA:
            continue
        gate = item.kind == Item.Kind.GATE
        services.save_answer(
            by=by,  # type: ignore[arg-type]
            assessment=assessment,
            item=item,
            points=None if gate else item.max_points,
            met=True if gate else None,
            narrative="",
        )


def test_the_built_in_standard_marks_its_target_item_as_computed(organ_assessment: SelfAssessment) -> None:
    item = target_item(organ_assessment)
    assert item.kind == Item.Kind.VETO
    assert item.computed_by == Item.ComputedBy.LEDGER_TARGETS
    assert services.checked_year(organ_assessment) == 2025


def test_a_met_target_gives_full_points_and_passes_the_veto(
    ledger_world: LedgerWorld, organ_assessment: SelfAssessment
) -> None:
    a_year_of(ledger_world.organ, 2025, electricity="90000", water="2200")
    answer_the_rest(organ_assessment, ledger_world.organ_clerk)

    completed = services.complete_assessment(by=ledger_world.organ_clerk, assessment=organ_assessment)

    response = ItemResponse.objects.get(assessment=organ_assessment, item=target_item(organ_assessment))
    assert response.points == Decimal("5.00")
    assert response.updated_by is None  # answered by the system
    assert "结论：完成" in response.narrative
    assert completed.passed is True
    assert completed.total == Decimal("100.00")


def test_a_missed_target_gives_zero_and_fails_the_veto(
    ledger_world: LedgerWorld, organ_assessment: SelfAssessment
) -> None:
    a_year_of(ledger_world.organ, 2025, electricity="99000", water="2200")  # −1 % only
    answer_the_rest(organ_assessment, ledger_world.organ_clerk)

    completed = services.complete_assessment(by=ledger_world.organ_clerk, assessment=organ_assessment)

    response = ItemResponse.objects.get(assessment=organ_assessment, item=target_item(organ_assessment))
    assert response.points == Decimal("0.00")
    assert "结论：未完成" in response.narrative
    assert completed.passed is False
    assert completed.explanation[0].startswith("未通过：必须完成项「1 强化目标管理")


def test_an_unknown_check_leaves_the_item_unanswered_and_blocks_completion(
    ledger_world: LedgerWorld, organ_assessment: SelfAssessment
) -> None:
    answer_the_rest(organ_assessment, ledger_world.organ_clerk)  # no 2025 ledger yet

    with pytest.raises(ValidationError) as refused:
        services.complete_assessment(by=ledger_world.organ_clerk, assessment=organ_assessment)

    assert "条目 1 由系统自动判断，目前无法判断" in refused.value.messages[0]
    assert "2025 年能源消费数据" in refused.value.messages[0]
    services.refresh_computed_answers(assessment=organ_assessment)  # as the sheet does when it is shown
    response = ItemResponse.objects.get(assessment=organ_assessment, item=target_item(organ_assessment))
    assert response.points is None
    organ_assessment.refresh_from_db()
    assert organ_assessment.status == SelfAssessment.Status.DRAFT


def test_no_applicable_target_leaves_the_item_unanswered_with_the_reason(
    ledger_world: LedgerWorld, organ_assessment: SelfAssessment
) -> None:
    from lvchuang.ledgers.models import AnnualTarget

    AnnualTarget.objects.all().delete()
    services.refresh_computed_answers(assessment=organ_assessment)
    response = ItemResponse.objects.get(assessment=organ_assessment, item=target_item(organ_assessment))
    assert response.points is None
    assert response.narrative == "暂无法自动判断。2025 年没有适用于本单位的年度能耗指标。"


def test_the_unit_cannot_type_the_computed_item(
    ledger_world: LedgerWorld, organ_assessment: SelfAssessment
) -> None:
    item = target_item(organ_assessment)
    with pytest.raises(ValidationError, match="条目 1 由系统自动判断"):
        services.save_answer(
            by=ledger_world.organ_clerk,
            assessment=organ_assessment,
            item=item,
            points=Decimal("5"),
            met=None,
            narrative="已完成",
        )
    client = Client()
    client.force_login(ledger_world.organ_clerk)
    response = client.post(
        f"/assessments/{organ_assessment.pk}/items/{item.pk}/",
        {f"item-{item.pk}-points": "5", f"item-{item.pk}-narrative": "已完成"},
    )
    assert response.status_code == 200
    assert not ItemResponse.objects.filter(assessment=organ_assessment, item=item, points=5).exists()


def test_the_sheet_shows_the_systems_answer_and_no_form_for_it(
    ledger_world: LedgerWorld, organ_assessment: SelfAssessment
) -> None:
    a_year_of(ledger_world.organ, 2025, electricity="90000", water="2200")
    item = target_item(organ_assessment)
    client = Client()
    client.force_login(ledger_world.organ_clerk)

    page = client.get(f"/assessments/{organ_assessment.pk}/").content.decode()

    assert "系统自动判断" in page
    assert "考核 2025 年" in page
    assert "单位建筑面积能耗 2.46 → 2.21 kgce/m²" in page
    assert f'action="/assessments/{organ_assessment.pk}/items/{item.pk}/"' not in page
    assert ItemResponse.objects.get(assessment=organ_assessment, item=item).points == Decimal("5.00")


# --- the standard's files carry it ------------------------------------------------------------------------------


def test_the_interchange_formats_carry_the_computed_item(organ_assessment: SelfAssessment) -> None:
    import dataclasses
    import io

    from openpyxl import load_workbook

    from lvchuang.standards.document import check
    from lvchuang.standards.interchange import export, read_json, read_xlsx, read_yaml
    from lvchuang.standards.selectors import document_of

    document = document_of(organ_assessment.version)
    assert next(item for item in document.items if item.code == "1").computed_by == "ledger_targets"
    for fmt, read in (("yaml", read_yaml), ("json", read_json)):
        assert read(export(document, fmt).decode()).document == document
    workbook = export(document, "xlsx")
    assert read_xlsx(workbook).document == document
    sheet = load_workbook(io.BytesIO(workbook))["评价标准"]
    assert "能源资源台账：年度指标完成情况" in [cell.value for row in sheet.iter_rows() for cell in row]

    by_hand = dataclasses.replace(
        document, items=tuple(dataclasses.replace(item, computed_by="") for item in document.items)
    )
    old_layout = export(by_hand, "xlsx")  # eight columns, as before the column existed
    assert load_workbook(io.BytesIO(old_layout))["评价标准"].max_column == 8
    assert read_xlsx(old_layout).document == by_hand

    on_an_area = dataclasses.replace(
        document,
        items=tuple(
            dataclasses.replace(item, computed_by="ledger_targets") if item.code == "2" else item
            for item in document.items
        ),
    )
    assert any(
        "由系统自动判断，只能是没有子项的计分项或必须完成项" in problem.message
        for problem in check(on_an_area)
    )
