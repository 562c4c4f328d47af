"""The certificate (证书, A4 landscape) and the plaque label (授牌, A5 landscape) of a title, as PDF.

Both carry the unit, the title and year, the issuing body, the decision's document number, the dates, the
certificate number and a QR code of the public verification page, so anyone holding the paper can check it is
genuine and still in force. The PDFs embed the same Noto Sans CJK subset as every other document of the system
(the font loading of `assessments/reports._Report` is reused), so they print the same on an intranet machine.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from io import BytesIO

import segno
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from fpdf.enums import Align, XPos, YPos

from lvchuang.assessments.reports import FONT, GREEN, MUTED, _Report
from lvchuang.titles.models import Title

GOLD = (176, 128, 32)
A5 = (148, 210)  # millimetres; given by size because fpdf2 warns that its "A5" changed in release 2.8.5
QR_SCALE = 10  # pixels per module of the PNG; the PDF scales it to a fixed size in millimetres


def verification_path(number: str) -> str:
    """The path of the public verification page of a certificate number.

    The page is the portal's `portal:verify`; until the portal is installed, the same path is built by hand so
    certificates printed meanwhile stay valid once it is.
    """
    try:
        return reverse("portal:verify", kwargs={"number": number})
    except NoReverseMatch:
        return f"/public/verify/{number}/"


def verification_url(request_or_base: HttpRequest | str, number: str) -> str:
    """The absolute address the QR code holds: from the request's host, or from a base such as
    "https://lvchuang.example.gov.cn" (a command printing certificates without a request)."""
    path = verification_path(number)
    if isinstance(request_or_base, str):
        return request_or_base.rstrip("/") + path
    return request_or_base.build_absolute_uri(path)


def qr_png(payload: str) -> bytes:
    """The QR code of `payload` as a PNG (error correction M: readable through a scratch or a smudge)."""
    buffer = BytesIO()
    segno.make(payload, error="m", micro=False).save(buffer, kind="png", scale=QR_SCALE, border=2)
    return buffer.getvalue()


def chinese_date(day: datetime.date) -> str:
    return _("%(year)s 年 %(month)s 月 %(day)s 日") % {"year": day.year, "month": day.month, "day": day.day}


@dataclass(frozen=True)
class CertificateText:
    unit: str
    honour: str  # "被评为 2026 年度"
    title_name: str  # "市级节能环保社区（示范）"
    issuer: str
    document_number: str
    named_on: str
    valid_until: str
    number: str


def issuer_of(title: Title) -> str:
    """The body that signed the naming decision; for a title recorded from paper, the office of its campaign."""
    entry = getattr(title, "notice_entry", None)
    decision = getattr(entry.notice, "naming", None) if entry is not None else None
    if decision is not None:
        return str(decision.issuer)
    return title.campaign.office.name if title.campaign is not None else ""


def text_of(title: Title) -> CertificateText:
    if not title.certificate_number:
        raise ValueError("a certificate needs a certificate number: issue one first")
    name = title.program.name
    if title.is_demonstration:
        name = _("%(program)s（示范）") % {"program": name}
    return CertificateText(
        unit=title.unit.name,
        honour=_("被评为 %(year)s 年度") % {"year": title.year},
        title_name=name,
        issuer=issuer_of(title),
        document_number=title.document_number,
        named_on=chinese_date(title.named_on),
        valid_until=chinese_date(title.valid_until) if title.valid_until else _("长期有效"),
        number=title.certificate_number,
    )


class _Certificate(_Report):
    """One page, no footer, no automatic page break: everything is placed by hand."""

    def __init__(self, text: CertificateText) -> None:
        super().__init__(text.number)
        self.set_auto_page_break(auto=False)
        self.set_title(f"{text.unit} {text.title_name}")
        self.set_author(text.issuer or "lvchuang 绿创")
        self.set_creator("lvchuang 绿创")

    def footer(self) -> None:
        pass

    def centred(
        self, text: str, *, size: float, height: float, colour: tuple[int, int, int] = (0, 0, 0)
    ) -> None:
        self.set_font(FONT, size=size)
        self.set_text_color(*colour)
        self.set_x(self.l_margin)
        self.cell(0, height, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)

    def frame(self, inset: float) -> None:
        self.set_draw_color(*GOLD)
        self.set_line_width(1.2)
        self.rect(inset, inset, self.w - 2 * inset, self.h - 2 * inset)
        self.set_line_width(0.3)
        self.rect(inset + 3, inset + 3, self.w - 2 * inset - 6, self.h - 2 * inset - 6)
        self.set_draw_color(0, 0, 0)

    def qr(self, png: bytes, *, x: float, y: float, size: float) -> None:
        self.image(BytesIO(png), x=x, y=y, w=size, h=size)
        self.set_font(FONT, size=8)
        self.set_text_color(*MUTED)
        self.set_xy(x - 10, y + size)
        self.cell(size + 20, 4, _("扫码核验"), align=Align.C)
        self.set_text_color(0, 0, 0)


def certificate_pdf(title: Title, *, url: str) -> bytes:
    """The A4 landscape certificate; `url` is the verification page the QR code points to."""
    text = text_of(title)
    pdf = _Certificate(text)
    pdf.set_margins(30, 20, 30)
    pdf.add_page(orientation="landscape")
    pdf.frame(10)
    pdf.set_y(28)
    pdf.centred(_("证  书"), size=40, height=22, colour=GREEN)
    pdf.ln(8)
    pdf.centred(text.unit, size=24, height=14)
    pdf.ln(2)
    pdf.centred(text.honour, size=16, height=10)
    pdf.centred(text.title_name, size=26, height=16, colour=GREEN)
    pdf.ln(4)
    pdf.centred(_("特发此证，以资鼓励。"), size=12, height=8)

    facts = [
        (_("命名文号"), text.document_number or "—"),
        (_("命名日期"), text.named_on),
        (_("有效期至"), text.valid_until),
        (_("证书编号"), text.number),
    ]
    top = pdf.h - 62
    pdf.set_font(FONT, size=10)
    for index, (label, value) in enumerate(facts):
        pdf.set_xy(30, top + index * 7)
        pdf.set_text_color(*MUTED)
        pdf.cell(22, 6, label)
        pdf.set_text_color(0, 0, 0)
        pdf.cell(90, 6, value)
    if text.issuer:
        pdf.set_font(FONT, size=13)
        pdf.set_xy(pdf.w - 200, top + 6)
        pdf.cell(120, 8, text.issuer, align=Align.R)
        pdf.set_font(FONT, size=11)
        pdf.set_xy(pdf.w - 200, top + 16)
        pdf.cell(120, 8, text.named_on, align=Align.R)
    size = 30
    pdf.qr(qr_png(url), x=pdf.w - 30 - size, y=top - 4, size=size)
    return bytes(pdf.output())


def plaque_pdf(title: Title, *, url: str) -> bytes:
    """The A5 landscape label of the plaque (授牌): the title large, the unit, the issuer, the number and QR."""
    text = text_of(title)
    pdf = _Certificate(text)
    pdf.set_margins(16, 14, 16)
    pdf.add_page(orientation="landscape", format=A5)
    pdf.frame(6)
    pdf.set_y(18)
    pdf.centred(text.title_name, size=24, height=14, colour=GREEN)
    pdf.centred(text.honour.replace(_("被评为"), "").strip(), size=12, height=8)
    pdf.ln(4)
    pdf.centred(text.unit, size=16, height=10)
    pdf.ln(4)
    if text.issuer:
        pdf.centred(text.issuer, size=11, height=7)
    pdf.centred(text.named_on, size=10, height=7)
    size = 24
    top = pdf.h - 16 - size
    pdf.set_font(FONT, size=8)
    pdf.set_text_color(*MUTED)
    for index, line in enumerate(
        (
            _("证书编号：%(number)s") % {"number": text.number},
            _("命名文号：%(number)s") % {"number": text.document_number or "—"},
            _("有效期至：%(date)s") % {"date": text.valid_until},
        )
    ):
        pdf.set_xy(16, top + 6 + index * 5)
        pdf.cell(100, 5, line)
    pdf.set_text_color(0, 0, 0)
    pdf.qr(qr_png(url), x=pdf.w - 16 - size, y=top - 2, size=size)
    return bytes(pdf.output())


def disposition(title: Title, kind: str) -> str:
    """Opened in the browser (inline) under a readable name, e.g. "证书-2026-4301-00001.pdf"."""
    header = content_disposition_header(False, f"{kind}-{title.certificate_number}.pdf")
    assert header is not None
    return header
