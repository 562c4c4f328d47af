"""The registry as open data: CSV for Excel and JSON with an envelope, the search's filters, one query."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.test import Client
from django.urls import reverse

from lvchuang.portal.opendata import COLUMNS
from lvchuang.portal.tests.conftest import Registry

EXPECTED_COLUMNS = [
    "certificate_number",
    "unit",
    "unit_kind",
    "region_code",
    "region_name",
    "program_code",
    "program",
    "level",
    "year",
    "named_on",
    "document_number",
    "valid_until",
    "status",
    "status_reason",
    "status_changed_on",
]


def _csv(**query: str) -> list[dict[str, str]]:
    response = Client().get(reverse("portal:registry_csv"), query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="lvchuang-registry-2026-06-15.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(EXPECTED_COLUMNS)
    return list(csv.DictReader(io.StringIO(text)))


def _json(**query: str) -> dict[str, Any]:
    response = Client().get(reverse("portal:registry_json"), query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data: dict[str, Any] = json.loads(response.content)
    return data


def test_the_column_names_are_stable() -> None:
    assert list(COLUMNS) == EXPECTED_COLUMNS


def test_the_csv_has_a_row_per_title_with_the_status_of_the_day(registry: Registry) -> None:
    rows = {row["certificate_number"]: row for row in _csv()}
    assert set(rows) == {"CS-2025-0001", "CS-2025-0002", "TX-2024-0007", "FR-2024-0003"}
    assert rows["CS-2025-0001"] == {
        "certificate_number": "CS-2025-0001",
        "unit": "识字岭社区居委会",
        "unit_kind": "community",
        "region_code": "430102001001",
        "region_name": "识字岭社区",
        "program_code": "city-energy-saving-community",
        "program": registry.valid.program.name,
        "level": "city",
        "year": "2025",
        "named_on": "2025-12-20",
        "document_number": "长创建办〔2025〕9号",
        "valid_until": "2030-12-19",
        "status": "valid",
        "status_reason": "",
        "status_changed_on": "",
    }
    revoked = rows["CS-2025-0002"]
    assert (revoked["status"], revoked["status_reason"], revoked["status_changed_on"]) == (
        "revoked",
        "发生重大环境污染事故",
        "2026-03-01",
    )
    assert rows["TX-2024-0007"]["status"] == "expired"


def test_the_downloads_take_the_search_filters(registry: Registry) -> None:
    assert [row["unit"] for row in _csv(region="430102", year="2025")] == ["识字岭社区居委会"]
    data = _json(status="expired")
    assert [row["certificate_number"] for row in data["results"]] == ["TX-2024-0007"]


def test_the_json_has_an_envelope(registry: Registry) -> None:
    data = _json()
    assert data["count"] == 4 == len(data["results"])
    assert data["license"] == "公开数据，可自由使用并注明来源"
    assert data["generated_at"].startswith("2026-06-15T")
    assert data["columns"] == EXPECTED_COLUMNS
    assert all(list(row) == EXPECTED_COLUMNS for row in data["results"])
    first = next(row for row in data["results"] if row["certificate_number"] == "CS-2025-0002")
    assert first["year"] == 2025
    assert first["valid_until"] == "2030-12-19"
    assert first["status_reason"] == "发生重大环境污染事故"


def test_a_bad_filter_answers_400_with_the_reason(registry: Registry) -> None:
    response = Client().get(reverse("portal:registry_json"), {"year": "abc"})
    assert response.status_code == 400
    assert "year" in response.json()["errors"]
    assert Client().get(reverse("portal:registry_csv"), {"status": "bogus"}).status_code == 400


def test_the_downloads_read_the_registry_in_one_query(registry: Registry, django_assert_num_queries) -> None:
    from lvchuang.titles.models import Title

    for n in range(30):
        Title.objects.create(
            unit=registry.world.tianxin_unit,
            program=registry.revoked.program,
            year=2021,
            named_on=registry.revoked.named_on,
            certificate_number=f"OLD-{n:03}",
        )
    with django_assert_num_queries(1):
        assert len(_csv()) == 34
    with django_assert_num_queries(1):
        assert _json(year="2021")["count"] == 30


def test_the_downloads_leak_no_contact_of_a_unit(registry: Registry) -> None:
    unit = registry.world.furong_unit
    unit.contact_name, unit.contact_phone, unit.contact_email = "王主任", "13800001111", "wang@example.cn"
    unit.save()
    for name in ("portal:registry_csv", "portal:registry_json"):
        body = Client().get(reverse(name)).content.decode("utf-8-sig")
        for secret in ("王主任", "13800001111", "wang@example.cn"):
            assert secret not in body
