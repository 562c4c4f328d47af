"""Award payments (pending → paid or cancelled) and the filing with the level above (pending → filed)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lvchuang.naming.models import AwardPayment, Filing
from lvchuang.naming.services import (
    acknowledge_filing,
    cancel_payment,
    file_filing,
    record_payment,
    revoke_title,
)
from lvchuang.naming.tests.helpers import named
from lvchuang.titles.models import Title

PAID_ON = datetime.date(2027, 3, 1)


@pytest.fixture
def decision(campaign_world, notice):
    return named(campaign_world, notice)


def _pdf(name: str = "备案材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", content_type="application/pdf")


def test_the_naming_office_records_a_payment_with_its_voucher(campaign_world, decision):
    payment = decision.awards.first()
    record_payment(
        by=campaign_world.user("city"), payment=payment, paid_on=PAID_ON, reference="市财拨〔2027〕8号"
    )
    payment.refresh_from_db()
    assert (payment.status, payment.paid_on, payment.reference) == ("paid", PAID_ON, "市财拨〔2027〕8号")


def test_a_payment_needs_a_voucher_and_is_paid_once(campaign_world, decision):
    payment = decision.awards.first()
    city = campaign_world.user("city")
    with pytest.raises(ValidationError, match="凭证号"):
        record_payment(by=city, payment=payment, paid_on=PAID_ON, reference=" ")
    record_payment(by=city, payment=payment, paid_on=PAID_ON, reference="V1")
    with pytest.raises(ValidationError, match="已拨付"):
        record_payment(by=city, payment=payment, paid_on=PAID_ON, reference="V2")
    payment.refresh_from_db()
    assert payment.reference == "V1"


def test_a_district_office_cannot_pay_the_city_award(campaign_world, decision):
    payment = decision.awards.first()
    with pytest.raises(PermissionDenied):
        record_payment(by=campaign_world.user("furong"), payment=payment, paid_on=PAID_ON, reference="V1")
    assert AwardPayment.objects.get(pk=payment.pk).status == "pending"


def test_a_cancelled_payment_keeps_its_reason(campaign_world, decision):
    payment = decision.awards.first()
    with pytest.raises(ValidationError):
        cancel_payment(by=campaign_world.user("city"), payment=payment, reason="")
    cancel_payment(by=campaign_world.user("city"), payment=payment, reason="出资单位调整")
    payment.refresh_from_db()
    assert (payment.status, payment.note) == ("cancelled", "出资单位调整")


def test_revoking_a_title_cancels_its_unpaid_awards_and_leaves_paid_ones(campaign_world, decision):
    city = campaign_world.user("city")
    paid, unpaid = decision.awards.order_by("payer")
    record_payment(by=city, payment=paid, paid_on=PAID_ON, reference="V1")
    title = paid.title
    revoke_title(
        by=city,
        title=title,
        reason="发生重大污染事故",
        document_number="长创绿办〔2027〕3号",
        on=datetime.date(2027, 4, 1),
    )
    title.refresh_from_db()
    assert (title.status, title.status_reason) == (Title.Status.REVOKED, "发生重大污染事故")
    assert AwardPayment.objects.get(pk=paid.pk).status == "paid"
    unpaid.refresh_from_db()
    assert unpaid.status == "cancelled"
    assert "长创绿办〔2027〕3号" in unpaid.note


def test_revocation_needs_the_deciding_document_and_the_right_office(campaign_world, decision):
    title = decision.awards.first().title
    with pytest.raises(ValidationError, match="文号"):
        revoke_title(
            by=campaign_world.user("city"),
            title=title,
            reason="发生重大污染事故",
            document_number="",
            on=datetime.date(2027, 4, 1),
        )
    with pytest.raises(ValidationError, match="不能早于命名日期"):
        revoke_title(
            by=campaign_world.user("city"),
            title=title,
            reason="发生重大污染事故",
            document_number="长创绿办〔2027〕3号",
            on=datetime.date(2026, 12, 1),
        )
    with pytest.raises(PermissionDenied):
        revoke_title(by=campaign_world.user("furong"), title=title, reason="x", document_number="y")
    title.refresh_from_db()
    assert title.status == Title.Status.VALID
    assert set(decision.awards.values_list("status", flat=True)) == {"pending"}


def test_the_naming_office_files_with_materials_and_the_office_above_acknowledges(campaign_world, decision):
    filing = decision.filing
    file_filing(
        by=campaign_world.user("city"),
        filing=filing,
        filed_on=datetime.date(2027, 1, 10),
        materials=_pdf(),
        note="纸质材料已寄送",
    )
    filing.refresh_from_db()
    assert (filing.status, filing.filed_on, filing.filed_by) == (
        "filed",
        datetime.date(2027, 1, 10),
        campaign_world.user("city"),
    )
    assert filing.materials_name == "备案材料.pdf"
    assert filing.materials.name.endswith(".pdf")
    with pytest.raises(PermissionDenied):
        acknowledge_filing(by=campaign_world.user("city"), filing=filing, today=datetime.date(2027, 1, 12))
    acknowledge_filing(by=campaign_world.user("province"), filing=filing, today=datetime.date(2027, 1, 12))
    filing.refresh_from_db()
    assert filing.acknowledged_on == datetime.date(2027, 1, 12)


def test_materials_whose_bytes_do_not_match_their_name_are_refused(campaign_world, decision):
    renamed = SimpleUploadedFile("名单.pdf", b"MZ\x90\x00 a program", content_type="application/pdf")
    with pytest.raises(ValidationError, match="不符"):
        file_filing(
            by=campaign_world.user("city"),
            filing=decision.filing,
            filed_on=datetime.date(2027, 1, 10),
            materials=renamed,
        )
    assert Filing.objects.get(pk=decision.filing.pk).status == "pending"


def test_a_filing_is_filed_once_and_not_before_the_decision(campaign_world, decision):
    city = campaign_world.user("city")
    with pytest.raises(ValidationError):
        file_filing(by=city, filing=decision.filing, filed_on=datetime.date(2026, 12, 1))
    file_filing(by=city, filing=decision.filing, filed_on=datetime.date(2027, 1, 10))
    with pytest.raises(ValidationError, match="已于"):
        file_filing(by=city, filing=decision.filing, filed_on=datetime.date(2027, 1, 11))


def test_an_unfiled_filing_cannot_be_acknowledged(campaign_world, decision):
    with pytest.raises(ValidationError):
        acknowledge_filing(by=campaign_world.user("province"), filing=decision.filing)
