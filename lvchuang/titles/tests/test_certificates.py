"""Certificates and plaque labels: the PDF says who holds which title, and its QR code points to verification."""

from __future__ import annotations

import io
from typing import Any

import pytest
import segno
from django.test import RequestFactory
from pypdf import PdfReader

from lvchuang.titles import certificates
from lvchuang.titles.models import Title

URL = "https://lvchuang.example.gov.cn/public/verify/2026-4301-00001/"


def _pdf(body: bytes) -> PdfReader:
    assert body.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(body))


def _text(reader: PdfReader) -> str:
    return "".join(page.extract_text() for page in reader.pages).replace("\x00", "").replace(" ", "")


def test_the_certificate_names_the_unit_the_title_the_decision_and_the_number(title):
    reader = _pdf(certificates.certificate_pdf(title, url=URL))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # A4 landscape
    text = _text(reader)
    for expected in (
        "证书",
        "识字岭社区居委会",
        "被评为2026年度",
        "市级节能环保社区（示范）",
        "长沙市创建节能环保社区工作领导小组",
        "长创绿办〔2026〕12号",
        "2026年12月20日",
        "2031年12月19日",
        "2026-4301-00001",
    ):
        assert expected in text, expected


def test_the_certificate_and_the_plaque_carry_a_qr_image(title):
    for body in (certificates.certificate_pdf(title, url=URL), certificates.plaque_pdf(title, url=URL)):
        images = [image for page in _pdf(body).pages for image in page.images]
        assert len(images) == 1


def test_the_qr_code_holds_the_verification_url(title, monkeypatch):
    encoded: list[str] = []
    make = segno.make

    def recording(content: str, **options: Any) -> segno.QRCode:
        encoded.append(content)
        return make(content, **options)

    monkeypatch.setattr(segno, "make", recording)
    certificates.certificate_pdf(title, url=URL)
    certificates.plaque_pdf(title, url=URL)
    assert encoded == [URL, URL]


def test_the_qr_png_is_a_png(title):
    assert certificates.qr_png(URL).startswith(b"\x89PNG\r\n\x1a\n")


def test_the_plaque_label_is_a_smaller_landscape_page_with_the_title_and_number(title):
    reader = _pdf(certificates.plaque_pdf(title, url=URL))
    page = reader.pages[0]
    assert round(float(page.mediabox.width) / 72 * 25.4) == 210  # A5 landscape
    text = _text(reader)
    for expected in ("市级节能环保社区（示范）", "识字岭社区居委会", "2026-4301-00001"):
        assert expected in text, expected


def test_a_title_without_a_term_says_it_has_none(title):
    Title.objects.filter(pk=title.pk).update(valid_until=None, is_demonstration=False)
    title.refresh_from_db()
    text = _text(_pdf(certificates.certificate_pdf(title, url=URL)))
    assert "长期有效" in text
    assert "（示范）" not in text


def test_a_title_without_a_certificate_number_has_no_certificate(paper_title):
    with pytest.raises(ValueError, match="certificate number"):
        certificates.certificate_pdf(paper_title, url=URL)


def test_the_verification_url_is_absolute_on_the_request_host_or_a_given_base(db, settings):
    settings.ALLOWED_HOSTS = ["lvchuang.example.gov.cn"]
    request = RequestFactory().get("/titles/1/", HTTP_HOST="lvchuang.example.gov.cn")
    path = certificates.verification_path("2026-4301-00001")
    assert path.endswith("/2026-4301-00001/")
    assert (
        certificates.verification_url(request, "2026-4301-00001") == f"http://lvchuang.example.gov.cn{path}"
    )
    assert (
        certificates.verification_url("https://a.example/", "2026-4301-00001") == f"https://a.example{path}"
    )
