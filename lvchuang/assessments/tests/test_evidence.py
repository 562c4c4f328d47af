"""Evidence: what may be uploaded (by its bytes, not its name), how big, where it is kept, and who may fetch it."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lvchuang.assessments import services
from lvchuang.assessments.files import OLE2
from lvchuang.assessments.models import Evidence
from lvchuang.assessments.tests.helpers import PDF_BYTES, leaf, pdf_upload, png_bytes, png_upload

HTMX = {"HTTP_HX_REQUEST": "true"}


def upload_url(assessment, code):
    return f"/assessments/{assessment.pk}/items/{leaf(assessment.version, code).pk}/evidence/"


def file_url(evidence, suffix=""):
    return f"/assessments/{evidence.response.assessment_id}/evidence/{evidence.pk}/{suffix}"


@pytest.fixture
def attach(world, assessment):
    def attach(upload, code="1.1", by="unit"):
        return services.attach_evidence(
            by=world.user(by), assessment=assessment, item=leaf(assessment.version, code), upload=upload
        )

    return attach


def office_package(*parts: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        for part in parts:
            package.writestr(part, "<x/>")
    return buffer.getvalue()


def test_it_keeps_an_image_under_a_name_that_says_nothing_about_the_unit_and_makes_a_thumbnail(
    world, assessment, attach, media
):
    evidence = attach(png_upload("识字岭公示栏.png", size=(1600, 1200)))

    assert evidence.content_type == "image/png"
    assert evidence.original_name == "识字岭公示栏.png"
    assert evidence.size == len(png_bytes(size=(1600, 1200)))
    assert len(evidence.sha256) == 64
    stored = Path(media) / evidence.file.name
    assert stored.is_file()
    # A random name: neither the unit, its region nor the original name can be read from the path.
    assert re.fullmatch(r"evidence/([0-9a-f]{2})/\1[0-9a-f]{30}\.png", evidence.file.name)
    assert re.fullmatch(r"evidence/([0-9a-f]{2})/\1[0-9a-f]{30}\.thumb\.jpg", evidence.thumbnail.name)
    with Image.open(Path(media) / evidence.thumbnail.name) as thumbnail:
        assert thumbnail.format == "JPEG"
        assert max(thumbnail.size) == 320


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("领导小组文件.pdf", PDF_BYTES),
        ("照片.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 64),
        ("创建方案.docx", office_package("word/document.xml")),
        ("用能台账.xlsx", office_package("xl/workbook.xml")),
        ("旧方案.doc", OLE2 + b"\x00" * 64),
        ("旧台账.xls", OLE2 + b"\x00" * 64),
    ],
)
def test_it_accepts_the_allowed_types(world, assessment, attach, name, content):
    if name.endswith(".JPG"):
        content = io.BytesIO()
        Image.new("RGB", (40, 30), "white").save(content, format="JPEG")
        content = content.getvalue()

    evidence = attach(SimpleUploadedFile(name, content, content_type="application/octet-stream"))

    assert evidence.file.name.endswith(Path(name).suffix.lower())
    assert bool(evidence.thumbnail) == name.endswith(".JPG")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("通知.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "文件内容与扩展名“.pdf”不符"),  # a program renamed
        ("setup.exe", b"MZ\x90\x00\x03" + b"\x00" * 200, "不支持“.exe”文件"),
        ("照片.png", PDF_BYTES, "文件内容与扩展名“.png”不符"),
        ("方案.docx", office_package("xl/workbook.xml"), "文件内容与扩展名“.docx”不符"),
        ("方案.docx", b"PK\x03\x04 not really a zip", "文件内容与扩展名“.docx”不符"),
        ("台账.xlsx", office_package("payload.bin"), "文件内容与扩展名“.xlsx”不符"),
        ("网页.html", b"<html><script>alert(1)</script>", "不支持“.html”文件"),
        ("无扩展名", PDF_BYTES, "不支持“无扩展名”文件"),
        ("坏图.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "图片无法读取"),
    ],
)
def test_it_refuses_a_file_whose_bytes_are_not_an_allowed_type(
    world, assessment, attach, name, content, message
):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        attach(SimpleUploadedFile(name, content, content_type="application/pdf"))

    assert message in refused.value.message_dict["file"][0]
    assert not Evidence.objects.exists()


def test_it_refuses_a_file_over_the_size_limit(world, assessment, attach, settings, media):
    from django.core.exceptions import ValidationError

    settings.EVIDENCE_MAX_FILE_MB = 1
    big = PDF_BYTES + b"%" * (1024 * 1024)

    with pytest.raises(ValidationError, match="超过了每个文件 1 MB 的上限"):
        attach(SimpleUploadedFile("扫描件.pdf", big))

    assert not Evidence.objects.exists()
    assert not list(Path(media).rglob("*.pdf"))


def test_it_refuses_a_file_that_would_take_the_assessment_over_its_total(world, assessment, attach, settings):
    from django.core.exceptions import ValidationError

    settings.EVIDENCE_MAX_ASSESSMENT_MB = 1
    attach(SimpleUploadedFile("上半年台账.pdf", PDF_BYTES + b"%" * 700_000))

    with pytest.raises(ValidationError, match="将超过 1 MB 的总上限"):
        attach(SimpleUploadedFile("下半年台账.pdf", PDF_BYTES + b"%" * 400_000), code="2.1")

    assert Evidence.objects.count() == 1


def test_it_uploads_through_the_page_and_answers_with_the_items_evidence_list(client, world, assessment):
    client.force_login(world.user("unit"))

    response = client.post(upload_url(assessment, "1.1"), {"file": png_upload("公示栏.png")}, **HTMX)

    assert response.status_code == 200
    evidence = Evidence.objects.get()
    body = response.content.decode()
    assert "公示栏.png" in body
    assert f'src="/assessments/{assessment.pk}/evidence/{evidence.pk}/thumbnail/"' in body
    assert evidence.uploaded_by == world.user("unit")


def test_it_shows_the_reason_a_file_is_refused_in_the_evidence_list(client, world, assessment):
    client.force_login(world.user("unit"))
    renamed = SimpleUploadedFile("年度报告.pdf", b"MZ\x90\x00" + b"\x00" * 100)

    response = client.post(upload_url(assessment, "1.1"), {"file": renamed}, **HTMX)

    assert response.status_code == 200
    assert "文件内容与扩展名“.pdf”不符，可能已损坏或被改名，未上传。" in response.content.decode()
    assert not Evidence.objects.exists()


def test_it_refuses_uploads_from_a_leadership_member_and_a_sibling_district(client, world, assessment):
    for who, status in (("leader", 403), ("tianxin", 404), ("outsider", 404)):
        client.force_login(world.user(who))
        response = client.post(upload_url(assessment, "1.1"), {"file": pdf_upload()})
        assert response.status_code == status, who
    assert not Evidence.objects.exists()


# --- serving -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["unit", "furong", "city", "street", "leader", "admin"])
def test_it_serves_the_file_to_whoever_may_see_the_unit_as_a_download_the_browser_must_not_sniff(
    client, world, attach, who
):
    evidence = attach(pdf_upload("领导小组文件.pdf"))
    client.force_login(world.user(who))

    response = client.get(file_url(evidence))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E9%A2%86" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize("who", ["tianxin", "tianxin_unit", "sector", "reviewer", "outsider"])
def test_it_answers_404_for_the_file_and_its_thumbnail_to_everybody_else(client, world, attach, who):
    evidence = attach(png_upload())
    client.force_login(world.user(who))

    assert client.get(file_url(evidence)).status_code == 404
    assert client.get(file_url(evidence, "thumbnail/")).status_code == 404


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, world, attach):
    evidence = attach(png_upload())

    response = client.get(file_url(evidence))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_answers_404_for_evidence_asked_for_under_another_assessment(client, world, attach):
    from lvchuang.assessments.tests.helpers import make_version

    evidence = attach(pdf_upload())
    other_version = make_version(code="other")
    other = services.start_assessment(by=world.user("unit"), unit=world.furong_unit, version=other_version)
    client.force_login(world.user("unit"))

    assert client.get(f"/assessments/{other.pk}/evidence/{evidence.pk}/").status_code == 404


def test_it_serves_the_thumbnail_inline_as_jpeg(client, world, attach):
    evidence = attach(png_upload())
    client.force_login(world.user("furong"))

    response = client.get(file_url(evidence, "thumbnail/"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_it_answers_404_for_the_thumbnail_of_a_document(client, world, attach):
    evidence = attach(pdf_upload())
    client.force_login(world.user("unit"))

    assert client.get(file_url(evidence, "thumbnail/")).status_code == 404


def test_no_url_serves_the_media_folder(client, world, attach):
    evidence = attach(pdf_upload())
    client.force_login(world.user("admin"))

    assert client.get(f"/media/{evidence.file.name}").status_code == 404


# --- removing ------------------------------------------------------------------------------------------------


def test_it_removes_evidence_and_its_files_once_committed(
    client, world, attach, media, django_capture_on_commit_callbacks
):
    evidence = attach(png_upload())
    stored = [Path(media) / evidence.file.name, Path(media) / evidence.thumbnail.name]
    client.force_login(world.user("unit"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(file_url(evidence, "delete/"), **HTMX)

    assert response.status_code == 200
    assert not Evidence.objects.exists()
    assert not any(path.exists() for path in stored)


@pytest.mark.parametrize(("who", "status"), [("leader", 403), ("tianxin", 404), ("outsider", 404)])
def test_it_refuses_to_remove_evidence_for_anyone_who_may_not_change_the_unit(
    client, world, attach, who, status
):
    evidence = attach(png_upload())
    client.force_login(world.user(who))

    assert client.post(file_url(evidence, "delete/")).status_code == status
    assert Evidence.objects.filter(pk=evidence.pk).exists()
