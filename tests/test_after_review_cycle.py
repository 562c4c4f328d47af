"""After review, through the REST API and the public pages, as the people in it would do it (seed 000, 003).

The city's 2026 shortlist of two communities goes on public notice for 7 working days; a resident objects to one
of them on the public form, the city investigates and upholds the objection, and that community leaves the list.
The notice closes after its last day and the city names the other community with a document number; its
certificate carries the number and the decision. In March 2027 the city re-inspects a sample of its titles, the
community fails and gets a rectification order due a month later (seed 003); it lets the date pass, the daily
check raises a revocation proposal, the city decides it, and the public verification page says the title is
revoked and why.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader
from rest_framework.test import APIClient

from conftest import CampaignWorld
from lvchuang.accounts.models import User
from lvchuang.applications import services as applications
from lvchuang.applications.models import Application, Batch, Status
from lvchuang.titles.models import Title

pytestmark = pytest.mark.django_db

CERTIFICATE_DOCUMENT = "长创建〔2026〕30号"
REVOCATION_DOCUMENT = "长创建〔2027〕5号"
REVOCATION_REASON = "复核不合格且逾期未完成整改，撤销称号"


def _at(day: datetime.date) -> time_machine.travel:
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(2), tzinfo=datetime.UTC),
        tick=False,  # 10:00 in Beijing
    )


def _client(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content.decode()
    return response.json()


def _shortlist(cw: CampaignWorld) -> dict[str, Application]:
    """识字岭 (芙蓉区) and the 天心区 community through application, the district batch, the check and review,
    then combined and ranked by the city: both pass, 识字岭 first and the demonstration candidate."""
    world, campaign = cw.world, cw.campaign
    admin = cw.user("admin")  # applies and recommends on behalf of units and streets without a login
    campaign.demonstration_quota = 1
    campaign.save(update_fields=["demonstration_quota"])
    made: dict[str, Application] = {}
    for name, unit, share in (
        ("识字岭", world.furong_unit, Decimal("0.95")),
        ("天心", world.tianxin_unit, Decimal("0.85")),
    ):
        with _at(datetime.date(2026, 6, 15)):
            cw.complete_assessment(unit, share=share)
            application = applications.create_application(by=admin, campaign=campaign, unit=unit)
            applications.submit_application(by=admin, application=application)
            applications.recommend_application(by=admin, application=application)
            applications.approve_application(by=admin, application=application)
        office = world.furong_office if unit == world.furong_unit else world.tianxin_office
        batch = Batch.objects.create(
            campaign=campaign,
            office=office,
            number=f"{office.name}第1批",
            status=Batch.Status.SUBMITTED,
            submitted_at=datetime.datetime(2026, 9, 29, tzinfo=datetime.UTC),
        )
        Application.objects.filter(pk=application.pk).update(batch=batch)
        made[name] = application
    city = _client(cw.user("city"))
    with _at(datetime.date(2026, 10, 15)):
        for application in made.values():
            _ok(city.post(f"/api/applications/{application.pk}/transition/", {"name": "check"}))
            _ok(city.post(f"/api/applications/{application.pk}/transition/", {"name": "start_review"}))
        _ok(city.post(f"/api/review-campaigns/{campaign.pk}/combine/"))
        _ok(city.post(f"/api/review-campaigns/{campaign.pk}/rank/"), 201)
    for application in made.values():
        application.refresh_from_db()
        assert application.status == Status.SHORTLISTED
    return made


def test_from_the_shortlist_to_a_revoked_title_on_the_verification_page(
    campaign_world: CampaignWorld,
) -> None:
    cw = campaign_world
    world, campaign = cw.world, cw.campaign
    shortlist = _shortlist(cw)
    city = _client(cw.user("city"))
    public = Client()

    # Tuesday 1 December: the notice goes up for 7 working days, to Wednesday 9 December.
    with _at(datetime.date(2026, 12, 1)):
        notice = _ok(
            city.post(
                "/api/notices/",
                {
                    "campaign": campaign.pk,
                    "title": "关于2026年度长沙市节能环保社区拟命名名单的公示",
                    "contact_phone": "0731-88660000",
                },
                format="json",
            ),
            201,
        )
        notice = _ok(city.post(f"/api/notices/{notice['id']}/publish/"))
    assert (notice["starts_on"], notice["ends_on"]) == ("2026-12-01", "2026-12-09")
    entries = {entry["unit_name"]: entry["id"] for entry in notice["entries"]}
    tianxin_entry = entries[world.tianxin_unit.name]

    # Thursday 3 December: a resident objects to the 天心区 community on the public form, without logging in.
    with _at(datetime.date(2026, 12, 3)):
        page = public.get(f"/public/notices/{notice['id']}/")
        assert world.furong_unit.name in page.content.decode()
        response = public.post(
            f"/public/notices/{notice['id']}/object/",
            {
                "entry": tianxin_entry,
                "name": "王建国",
                "phone": "13807310001",
                "content": "该社区今年夏天多次垃圾清运不及时、桶边满溢，居民投诉至今未解决。",
                "website": "",
            },
        )
        assert response.status_code in (200, 302), response.content.decode()
        # The notice cannot close while the case is open (nor before its last day).
        refused = city.post(f"/api/notices/{notice['id']}/close/")
        assert refused.status_code == 400
    objections = _ok(city.get("/api/objections/", {"notice": notice["id"]}))
    objections = objections.get("results", objections)
    assert [(o["unit_name"], o["status"], o["name"]) for o in objections] == [
        (world.tianxin_unit.name, "received", "王建国")
    ]
    case = objections[0]["id"]

    # Friday 4 December: the city investigates, upholds it with a written reply; the unit leaves the list.
    with _at(datetime.date(2026, 12, 4)):
        _ok(city.post(f"/api/objections/{case}/investigate/", {"findings": "调取清运台账，走访居民。"}))
        assert city.post(f"/api/notices/{notice['id']}/close/").status_code == 400  # a case is investigating
        _ok(
            city.post(
                f"/api/objections/{case}/decide/",
                {"upheld": True, "reply": "经核实，反映问题属实且未整改到位，该社区移出拟命名名单。"},
                format="json",
            )
        )
    shortlist["天心"].refresh_from_db()
    assert shortlist["天心"].status == Status.REJECTED
    assert "已移出" in public.get(f"/public/notices/{notice['id']}/").content.decode()

    # Thursday 10 December: the last day is over and no case is open — the notice closes.
    with _at(datetime.date(2026, 12, 10)):
        assert _ok(city.post(f"/api/notices/{notice['id']}/close/"))["status"] == "closed"

    # 15 December: the naming decision names the one community left, with its certificate number.
    with _at(datetime.date(2026, 12, 15)):
        decision = _ok(
            city.post(
                "/api/naming-decisions/",
                {
                    "notice": notice["id"],
                    "document_number": CERTIFICATE_DOCUMENT,
                    "decided_on": "2026-12-15",
                    "issuer": "长沙市创建节能环保社区工作领导小组",
                },
                format="json",
            ),
            201,
        )
    title = Title.objects.get(unit=world.furong_unit, program=campaign.program)
    assert title.status == Title.Status.VALID
    assert title.is_demonstration
    assert not Title.objects.filter(unit=world.tianxin_unit, campaign=campaign).exists()
    shortlist["识字岭"].refresh_from_db()
    assert shortlist["识字岭"].status == Status.NAMED
    # Seed 000: the demonstration community gets 10,000 yuan from each of the two bureaus.
    awards = _ok(city.get("/api/award-payments/", {"year": 2026}))
    awards = awards.get("results", awards)
    assert sorted((a["payer"], a["amount"], a["status"]) for a in awards) == [
        ("市环保局", 10000, "pending"),
        ("市能源局", 10000, "pending"),
    ]
    assert decision["id"]

    # The certificate: the unit, the title, the decision and the number are in the PDF's text.
    pdf = city.get(f"/api/titles/{title.pk}/certificate.pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    # pypdf reads the embedded CJK subset's glyphs with NUL padding and spacing: compare without them.
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    text = text.replace("\x00", "").replace(" ", "")
    for expected in (
        world.furong_unit.name,
        campaign.program.name,
        CERTIFICATE_DOCUMENT,
        title.certificate_number,
    ):
        assert expected in text, expected
    assert "有效" in public.get(f"/public/verify/{title.certificate_number}/").content.decode()

    # March 2027: the city re-inspects a sample of its titles; the community fails and must rectify in a month.
    with _at(datetime.date(2027, 3, 1)):
        reinspection = _ok(
            city.post(
                "/api/reinspections/",
                {
                    "office": world.city_office.pk,
                    "program": campaign.program.pk,
                    "year": 2027,
                    "name": "2027年长沙市节能环保社区回头看",
                    "kind": "sample",
                    "sample_size": 1,
                },
                format="json",
            ),
            201,
        )
        drawn = _ok(city.post(f"/api/reinspections/{reinspection['id']}/draw/", {"seed": "2027-回头看"}))
        assert drawn["sample"] == [str(title.pk)]
        assert _ok(city.get(f"/api/reinspections/{reinspection['id']}/verify/"))["matches"] is True
        inspection = drawn["inspections"][0]["id"]
        _ok(
            city.post(
                f"/api/inspections/{inspection}/record/",
                {
                    "result": "failed",
                    "inspected_on": "2027-03-01",
                    "findings": "垃圾分类桶站破损，能耗台账缺 3 个月。",
                    "requirements": "修复桶站并补齐台账，报送整改报告。",
                },
                format="json",
            )
        )
    title.refresh_from_db()
    assert title.status == Title.Status.UNDER_RECTIFICATION
    orders = _ok(city.get("/api/rectification-orders/"))
    orders = orders.get("results", orders)
    assert [(o["due_on"], o["status"]) for o in orders] == [("2027-04-01", "open")]

    # 5 April: no report came; the daily check marks the order overdue and proposes revocation.
    call_command("check_rectifications", "--date", "2027-04-05")
    proposals = _ok(city.get("/api/revocation-proposals/"))
    proposals = proposals.get("results", proposals)
    assert [(p["status"], p["proposed_by"]) for p in proposals] == [("proposed", None)]
    with _at(datetime.date(2027, 4, 8)):
        _ok(
            city.post(
                f"/api/revocation-proposals/{proposals[0]['id']}/decide/",
                {
                    "revoke": True,
                    "document_number": REVOCATION_DOCUMENT,
                    "reason": REVOCATION_REASON,
                    "note": "经领导小组研究决定。",
                },
                format="json",
            )
        )
    title.refresh_from_db()
    assert title.status == Title.Status.REVOKED
    # The unpaid awards are cancelled with the title.
    awards = _ok(city.get("/api/award-payments/", {"year": 2026}))
    assert {a["status"] for a in awards.get("results", awards)} == {"cancelled"}

    # Anyone scanning the certificate's QR code now reads that the title is revoked, why, and by which decision.
    revoked = public.get(f"/public/verify/{title.certificate_number}/")
    body = revoked.content.decode()
    assert revoked.status_code == 200
    assert "已撤销" in body
    assert REVOCATION_REASON in body
    assert REVOCATION_DOCUMENT in body
