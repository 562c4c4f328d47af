"""Bulk import pages and API: upload, progress and outcome, error report, templates; a batch is its uploader's."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from lvchuang.ledgers import importing
from lvchuang.ledgers.models import Consumption, ImportBatch
from lvchuang.ledgers.tests.conftest import LedgerWorld

ORGAN = "11430102MB1234567X"
GOOD = (
    "统一社会信用代码,年份,月份,品种,数量,计量单位\n"
    + f"{ORGAN},2024,1,电力,100,kWh\n{ORGAN},2024,1,水,8,m3\n"
)
BAD = GOOD + f"{ORGAN},2024,13,电力,100,kWh\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def client_for(ledger_world: LedgerWorld, name: str) -> Client:
    client = Client()
    client.force_login(ledger_world.user(name))
    return client


def api_for(ledger_world: LedgerWorld, name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(ledger_world.user(name))
    return client


def upload(text: str, name: str = "ledger.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def imported(ledger_world: LedgerWorld, text: str, user: str = "organ_clerk") -> ImportBatch:
    batch = importing.store_import(by=ledger_world.user(user), upload=upload(text))
    return importing.run_import(batch)


def test_it_shows_the_upload_form_templates_and_the_users_recent_files(ledger_world: LedgerWorld):
    mine = imported(ledger_world, GOOD)
    theirs = imported(ledger_world, GOOD.replace(ORGAN, "11430100MB7654321Y"), user="city_clerk")
    response = client_for(ledger_world, "organ_clerk").get(reverse("ledgers:import_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("ledgers:import_detail", args=[mine.pk]) in page
    assert reverse("ledgers:import_detail", args=[theirs.pk]) not in page
    for layout in ("official", "long"):
        for fmt in ("csv", "xlsx"):
            assert reverse("ledgers:import_template", args=[layout, fmt]) in page


@pytest.mark.parametrize("name", ["outsider", "leader", "sector"])
def test_it_refuses_the_import_page_to_users_who_keep_no_ledger(ledger_world: LedgerWorld, name):
    # A leadership member reads a region, a sector department reads its units' ledgers: neither keeps one.
    assert client_for(ledger_world, name).get(reverse("ledgers:import_list")).status_code == 403


def test_an_upload_is_imported_and_shows_its_counts(
    ledger_world: LedgerWorld, django_capture_on_commit_callbacks
):
    client = client_for(ledger_world, "organ_clerk")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ledgers:import_list"), {"file": upload(GOOD), "layout": ""})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ledgers:import_detail", args=[batch.pk])
    assert (batch.status, batch.created, batch.uploaded_by) == ("done", 2, ledger_world.organ_clerk)
    assert len(batch.sha256) == 64
    page = client.get(response["Location"]).content.decode()
    assert "已导入：新增 2 条，更新 0 条，未变 0 条。" in page
    assert 'hx-trigger="every 1s"' not in page  # finished: no more polling


def test_an_upload_of_another_kind_of_file_is_refused(ledger_world: LedgerWorld):
    response = client_for(ledger_world, "organ_clerk").post(
        reverse("ledgers:import_list"), {"file": upload("x", name="ledger.xls")}
    )
    assert response.status_code == 400
    assert "只能导入 CSV 或 XLSX 文件" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_queued_file_polls_for_its_progress(ledger_world: LedgerWorld):
    batch = importing.store_import(by=ledger_world.organ_clerk, upload=upload(GOOD))
    ImportBatch.objects.filter(pk=batch.pk).update(status="running", bytes_done=batch.size // 2)
    client = client_for(ledger_world, "organ_clerk")
    url = reverse("ledgers:import_detail", args=[batch.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert f'<progress class="meter" max="100" value="{batch.size // 2 * 100 // batch.size}"' in page
    partial = client.get(url, headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<section class="card" id="import-status"')
    assert "<html" not in partial.content.decode()


def test_a_rejected_file_shows_its_errors_and_offers_the_report(ledger_world: LedgerWorld):
    batch = imported(ledger_world, BAD)
    client = client_for(ledger_world, "organ_clerk")
    page = client.get(reverse("ledgers:import_detail", args=[batch.pk])).content.decode()
    assert "月份应为 1–12 之间的整数" in page
    assert reverse("ledgers:import_errors", args=[batch.pk]) in page
    response = client.get(reverse("ledgers:import_errors", args=[batch.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["行号", "列", "值", "问题"], ["4", "月份", "13", "月份应为 1–12 之间的整数"]]
    assert not Consumption.objects.exists()


def test_a_batch_without_errors_has_no_report(ledger_world: LedgerWorld):
    batch = imported(ledger_world, GOOD)
    assert (
        client_for(ledger_world, "organ_clerk")
        .get(reverse("ledgers:import_errors", args=[batch.pk]))
        .status_code
        == 404
    )


@pytest.mark.parametrize("name", ["outsider", "city_clerk", "furong", "city"])
def test_someone_elses_batch_is_not_found(ledger_world: LedgerWorld, name):
    batch = imported(ledger_world, BAD)
    client = client_for(ledger_world, name)
    assert client.get(reverse("ledgers:import_detail", args=[batch.pk])).status_code == 404
    assert client.get(reverse("ledgers:import_errors", args=[batch.pk])).status_code == 404
    api = api_for(ledger_world, name)
    assert api.get(reverse("ledger-import-detail", args=[batch.pk])).status_code == 404
    assert api.get(reverse("ledger-import-errors", args=[batch.pk])).status_code == 404


def test_the_administrator_sees_every_batch(ledger_world: LedgerWorld):
    batch = imported(ledger_world, BAD)
    assert (
        client_for(ledger_world, "admin").get(reverse("ledgers:import_detail", args=[batch.pk])).status_code
        == 200
    )


@pytest.mark.parametrize("layout", ["official", "long"])
def test_the_templates_download_as_csv_and_xlsx(ledger_world: LedgerWorld, layout):
    client = client_for(ledger_world, "outsider")  # templates are for anyone signed in
    header = list(importing.template_header(layout))
    response = client.get(reverse("ledgers:import_template", args=[layout, "csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="ledger-{layout}.csv"'
    assert response.content.decode("utf-8-sig").strip() == ",".join(header)
    response = client.get(reverse("ledgers:import_template", args=[layout, "xlsx"]))
    assert response["Content-Type"] == importing.XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == header


def test_an_empty_template_imports_as_an_empty_file(ledger_world: LedgerWorld):
    content, _type, _name = importing.template_file("official", "xlsx")
    batch = importing.store_import(by=ledger_world.organ_clerk, upload=SimpleUploadedFile("t.xlsx", content))
    batch = importing.run_import(batch)
    assert (batch.status, batch.layout) == ("rejected", "official")
    assert batch.message == "文件中没有数据行，未导入任何数据。"


@pytest.mark.parametrize(("layout", "fmt"), [("wide", "csv"), ("long", "xls"), ("official", "pdf")])
def test_an_unknown_template_is_not_found(ledger_world: LedgerWorld, layout, fmt):
    response = client_for(ledger_world, "organ_clerk").get(
        reverse("ledgers:import_template", args=[layout, fmt])
    )
    assert response.status_code == 404


# --- API ------------------------------------------------------------------------------------------------------


def test_the_api_uploads_a_file_and_reports_its_outcome(
    ledger_world: LedgerWorld, django_capture_on_commit_callbacks
):
    api = api_for(ledger_world, "organ_clerk")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            reverse("ledger-import-list"), {"file": upload(BAD), "layout": "long"}, format="multipart"
        )
    assert response.status_code == 201, response.json()
    batch_id = response.json()["id"]
    detail = api.get(reverse("ledger-import-detail", args=[batch_id])).json()
    assert detail["status"] == "rejected"
    assert (detail["error_count"], detail["has_error_report"], detail["percent"]) == (1, True, 100)
    listed = api.get(reverse("ledger-import-list")).json()
    assert [row["id"] for row in listed["results"]] == [batch_id]
    report = api.get(reverse("ledger-import-errors", args=[batch_id]))
    assert report.status_code == 200
    assert b"".join(report.streaming_content).decode("utf-8-sig").startswith("行号,列,值,问题")  # type: ignore[attr-defined]


def test_the_api_refuses_an_upload_from_someone_without_a_unit(ledger_world: LedgerWorld):
    response = api_for(ledger_world, "outsider").post(
        reverse("ledger-import-list"), {"file": upload(GOOD)}, format="multipart"
    )
    assert response.status_code == 403
    assert api_for(ledger_world, "outsider").get(reverse("ledger-import-list")).json()["results"] == []


def test_the_api_answers_a_bad_upload_with_its_field(ledger_world: LedgerWorld):
    response = api_for(ledger_world, "organ_clerk").post(
        reverse("ledger-import-list"), {"file": upload(GOOD, name="a.txt")}, format="multipart"
    )
    assert response.status_code == 400
    assert "file" in response.json()


def test_the_api_serves_the_templates(ledger_world: LedgerWorld):
    api = api_for(ledger_world, "organ_clerk")
    response = api.get(reverse("ledger-import-template"), {"layout": "long", "fmt": "csv"})
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").startswith("统一社会信用代码,年份,月份,品种,数量,计量单位")
    assert api.get(reverse("ledger-import-template"), {"layout": "long", "fmt": "doc"}).status_code == 400


# --- command line ---------------------------------------------------------------------------------------------


def test_the_command_imports_a_file_as_a_user(ledger_world: LedgerWorld, tmp_path: Path, capsys):
    path = tmp_path / "ledger.csv"
    path.write_text(GOOD, encoding="gb18030")
    call_command("import_ledger", str(path), "--user", "organ_clerk")
    assert "已导入：新增 2 条" in capsys.readouterr().out
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_ledger", str(path), "--user", "organ_clerk")
    assert "错误报告" in capsys.readouterr().out
    with pytest.raises(CommandError, match="没有可以填报台账的单位"):
        call_command("import_ledger", str(path), "--user", "outsider")
