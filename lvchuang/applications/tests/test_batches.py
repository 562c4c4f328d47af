"""District batches (申报表): what goes in, the stamped scan, the deadline and its override, the city's return,
and the 申报表 itself as Excel and PDF."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from conftest import CampaignWorld
from lvchuang.applications import batches, documents, services
from lvchuang.applications.models import Application, Batch, Status
from lvchuang.applications.tests.conftest import IN_APPLICATION, approved, pdf_scan
from lvchuang.assessments.tests.test_reports import embedded_fonts, pdf_text
from lvchuang.campaigns.models import Action
from lvchuang.campaigns.services import record_override

LATE = datetime.date(2026, 10, 3)


def _ready_batch(cw: CampaignWorld) -> tuple[Batch, Application]:
    application = approved(cw)
    batch = batches.create_batch(by=cw.user("furong"), campaign=cw.campaign, office=cw.world.furong_office)
    batches.add_applications(by=cw.user("furong"), batch=batch, applications=[application])
    batches.upload_seal_scan(by=cw.user("furong"), batch=batch, upload=pdf_scan())
    batch.refresh_from_db()
    return batch, application


def test_it_numbers_batches_by_district_and_year(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    first = batches.create_batch(by=cw.user("furong"), campaign=cw.campaign, office=cw.world.furong_office)
    second = batches.create_batch(by=cw.user("furong"), campaign=cw.campaign, office=cw.world.furong_office)
    assert (first.number, second.number) == ("芙蓉区-2026-1", "芙蓉区-2026-2")
    assert first.created_by == cw.user("furong")


def test_it_refuses_a_batch_for_a_sibling_district(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    with pytest.raises(PermissionDenied):
        batches.create_batch(by=cw.user("tianxin"), campaign=cw.campaign, office=cw.world.furong_office)
    assert not Batch.objects.exists()


def test_it_adds_only_approved_applications_of_its_own_district(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    ours = approved(cw)
    theirs = approved(cw, cw.world.tianxin_unit)
    batch = batches.create_batch(by=cw.user("furong"), campaign=cw.campaign, office=cw.world.furong_office)
    assert list(batches.addable_applications(batch)) == [ours]
    with pytest.raises(ValidationError, match="西牌楼社区居委会"):
        batches.add_applications(by=cw.user("furong"), batch=batch, applications=[theirs])
    assert batches.add_applications(by=cw.user("furong"), batch=batch, applications=[ours]) == 1
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.batch == batch
    assert theirs.batch is None
    other = batches.create_batch(by=cw.user("furong"), campaign=cw.campaign, office=cw.world.furong_office)
    with pytest.raises(ValidationError, match="已列入申报表"):
        batches.add_applications(by=cw.user("furong"), batch=other, applications=[ours])
    batches.remove_application(by=cw.user("furong"), batch=batch, application=ours)
    ours.refresh_from_db()
    assert ours.batch is None


def test_it_refuses_a_submitted_application_that_is_not_approved_yet(campaign_world: CampaignWorld) -> None:
    from lvchuang.applications.tests.conftest import submitted

    cw = campaign_world
    application = submitted(cw)
    batch = batches.create_batch(by=cw.user("furong"), campaign=cw.campaign, office=cw.world.furong_office)
    with pytest.raises(ValidationError, match="已审核通过"):
        batches.add_applications(by=cw.user("furong"), batch=batch, applications=[application])


def test_it_stores_the_seal_scan_privately_with_its_digest(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    batch, _application = _ready_batch(cw)
    assert batch.seal_scan.name.startswith("batches/")
    assert "盖章" not in batch.seal_scan.name
    assert batch.seal_scan.name.endswith(".pdf")
    assert batch.seal_scan_name == "盖章申报表.pdf"
    assert len(batch.seal_scan_sha256) == 64


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("申报表.pdf", b"MZ\x90\x00 not a pdf at all"),
        SimpleUploadedFile("申报表.docx", b"PK\x03\x04whatever"),
        SimpleUploadedFile("申报表.png", b"%PDF-1.4\n%%EOF\n"),
        SimpleUploadedFile("申报表.pdf", b""),
    ],
)
def test_it_refuses_a_seal_scan_that_is_not_a_pdf_or_an_image(campaign_world: CampaignWorld, upload) -> None:
    cw = campaign_world
    batch = batches.create_batch(by=cw.user("furong"), campaign=cw.campaign, office=cw.world.furong_office)
    with pytest.raises(ValidationError):
        batches.upload_seal_scan(by=cw.user("furong"), batch=batch, upload=upload)
    batch.refresh_from_db()
    assert not batch.seal_scan


def test_it_refuses_a_seal_scan_over_the_size_limit(campaign_world: CampaignWorld, settings) -> None:
    cw = campaign_world
    settings.EVIDENCE_MAX_FILE_MB = 1
    batch = batches.create_batch(by=cw.user("furong"), campaign=cw.campaign, office=cw.world.furong_office)
    big = SimpleUploadedFile("大.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="上限"):
        batches.upload_seal_scan(by=cw.user("furong"), batch=batch, upload=big)


def test_it_needs_an_application_and_a_scan_before_submitting(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    batch = batches.create_batch(by=cw.user("furong"), campaign=cw.campaign, office=cw.world.furong_office)
    with pytest.raises(ValidationError, match="还没有申报"):
        batches.submit_batch(by=cw.user("furong"), batch=batch, today=IN_APPLICATION)
    batches.add_applications(by=cw.user("furong"), batch=batch, applications=[approved(cw)])
    with pytest.raises(ValidationError, match="扫描件"):
        batches.submit_batch(by=cw.user("furong"), batch=batch, today=IN_APPLICATION)
    batch.refresh_from_db()
    assert batch.status == Batch.Status.DRAFT


def test_a_late_batch_is_refused_and_accepted_after_an_override(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    batch, _application = _ready_batch(cw)
    with pytest.raises(ValidationError, match="已于"):
        batches.submit_batch(by=cw.user("furong"), batch=batch, today=LATE)
    batch.refresh_from_db()
    assert batch.status == Batch.Status.DRAFT

    record_override(
        by=cw.user("city"),
        campaign=cw.campaign,
        action=Action.BATCH,
        until=datetime.date(2026, 10, 8),
        reason="芙蓉区盖章延误，顺延一周",
        region=cw.world.furong,
    )
    window = batches.batch_window(batch, today=LATE)
    assert window.is_open
    assert window.override is not None
    batches.submit_batch(by=cw.user("furong"), batch=batch, today=LATE)
    batch.refresh_from_db()
    assert batch.status == Batch.Status.SUBMITTED
    assert batch.submitted_by == cw.user("furong")
    assert batch.submitted_at is not None


def test_an_override_for_a_sibling_district_does_not_open_the_batch(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    batch, _application = _ready_batch(cw)
    record_override(
        by=cw.user("city"),
        campaign=cw.campaign,
        action=Action.BATCH,
        until=datetime.date(2026, 10, 8),
        reason="天心区延期",
        region=cw.world.tianxin,
    )
    with pytest.raises(ValidationError):
        batches.submit_batch(by=cw.user("furong"), batch=batch, today=LATE)


def test_the_city_returns_a_batch_with_a_comment_and_only_the_city(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    batch, _application = _ready_batch(cw)
    batches.submit_batch(by=cw.user("furong"), batch=batch, today=IN_APPLICATION)
    with pytest.raises(PermissionDenied):
        batches.return_batch(by=cw.user("furong"), batch=batch, comment="自己退回")
    with pytest.raises(ValidationError):
        batches.return_batch(by=cw.user("city"), batch=batch, comment=" ")
    batches.return_batch(by=cw.user("city"), batch=batch, comment="缺少区领导小组盖章")
    batch.refresh_from_db()
    assert batch.status == Batch.Status.DRAFT
    assert batch.return_comment == "缺少区领导小组盖章"
    assert batch.submitted_at is None


def test_a_submitted_batch_cannot_change(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    batch, application = _ready_batch(cw)
    batches.submit_batch(by=cw.user("furong"), batch=batch, today=IN_APPLICATION)
    with pytest.raises(ValidationError, match="已报送"):
        batches.remove_application(by=cw.user("furong"), batch=batch, application=application)


def test_the_sector_route_reaches_the_city_through_the_departments_batch(world) -> None:
    """市教育局's school: submitted, approved by sector staff, sent in the department's batch, checked."""
    from lvchuang.campaigns.models import Program
    from lvchuang.campaigns.services import create_campaign
    from lvchuang.organisations.models import Unit

    school: Unit = world.school
    campaign = create_campaign(
        by=world.user("city"),
        program=Program.objects.get(code="county-green-unit"),
        year=2026,
        office=world.city_office,
    )
    cw = CampaignWorld(
        world=world, program=campaign.program, district_program=campaign.program, campaign=campaign
    )
    cw.complete_assessment(school)
    july = datetime.date(2026, 7, 15)
    application = services.create_application(by=world.user("sector"), campaign=campaign, unit=school)
    assert application.route == "sector"
    services.submit_application(by=world.user("sector"), application=application, today=july)
    with pytest.raises(PermissionDenied):
        services.approve_application(by=world.user("tianxin"), application=application, today=july)
    services.approve_application(by=world.user("sector"), application=application, today=july)
    batch = batches.create_batch(
        by=world.user("sector"), campaign=campaign, department=world.education_bureau
    )
    assert batch.number == "长沙市教育局-2026-1"
    batches.add_applications(by=world.user("sector"), batch=batch, applications=[application])
    batches.upload_seal_scan(by=world.user("sector"), batch=batch, upload=pdf_scan())
    batches.submit_batch(by=world.user("sector"), batch=batch, today=july)
    services.check_application(
        by=world.user("city"), application=application, today=datetime.date(2026, 8, 20)
    )
    application.refresh_from_db()
    assert application.status == Status.CHECKED
    assert list(application.events.values_list("action", "by__username")) == [
        ("create", "sector"),
        ("submit", "sector"),
        ("approve", "sector"),
        ("check", "city"),
    ]


# --- the 申报表 ------------------------------------------------------------------------------------------


@pytest.fixture
def form_batch(campaign_world: CampaignWorld) -> Batch:
    cw = campaign_world
    unit = cw.world.furong_unit
    unit.household_count = 2310
    unit.contact_name = "王主任"
    unit.contact_phone = "0731-84420000"
    unit.save()
    application = approved(cw)
    services.save_goals(
        by=cw.user("unit"),
        application=application,
        goals="年内节能灯具普及率达到 90%，垃圾分类参与率达到 70%。",
        measures="组建志愿者队伍，每月开展一次宣传活动。",
    )
    batch = batches.create_batch(
        by=cw.user("furong"),
        campaign=cw.campaign,
        office=cw.world.furong_office,
        contact_name="李科长",
        contact_phone="0731-85550000",
    )
    batches.add_applications(by=cw.user("furong"), batch=batch, applications=[application])
    return batch


def test_the_excel_form_has_the_title_the_table_and_the_seal_block(form_batch: Batch) -> None:
    form = documents.form_of(form_batch)
    workbook = load_workbook(io.BytesIO(documents.xlsx_of(form)))
    sheet = workbook.active
    assert sheet is not None
    values: list[list[Any]] = [
        [cell for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)
    ]
    assert values[0] == ["长沙市节能环保社区申报表"]
    assert "芙蓉区创建办" in values[1][0]
    assert "2026" in values[1][0]
    assert "芙蓉区-2026-1" in values[1][0]
    headings = ["序号", "单位名称", "所在街道/地区", "户数", "自评得分", "创建目标摘要", "联系人", "联系电话"]
    row = values.index(headings)
    number, name, place, households, score, goals, contact, phone = values[row + 1]
    assert (number, name, place, households) == (1, "识字岭社区居委会", "文艺路街道", 2310)
    assert score == 100
    assert goals.startswith("年内节能灯具普及率")
    assert (contact, phone) == ("王主任", "0731-84420000")
    flat = [str(cell) for line in values for cell in line]
    assert "审核意见：" in flat
    assert "（盖章）" in flat
    assert sheet.page_setup.orientation == "landscape"
    setup = sheet.sheet_properties.pageSetUpPr
    assert setup is not None
    assert setup.fitToPage


def test_the_pdf_form_embeds_the_font_and_labels_the_seal(form_batch: Batch) -> None:
    content = documents.pdf_of(documents.form_of(form_batch))
    text = pdf_text(content).replace("\n", "")
    for expected in (
        "长沙市节能环保社区申报表",
        "芙蓉区创建办",
        "识字岭社区居委会",
        "文艺路街道",
        "审核意见",
        "（盖章）",
    ):
        assert expected in text, expected
    [font] = embedded_fonts(content)
    assert font.endswith("+NotoSansCJKSC")
