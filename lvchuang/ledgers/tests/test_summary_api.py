"""GET /api/ledgers/summary/: the page's figures as JSON, with the same scope."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from lvchuang.ledgers.models import AnnualTarget
from lvchuang.ledgers.tests.conftest import LedgerWorld
from lvchuang.ledgers.tests.test_summary_pages import build_ledgers

URL = "/api/ledgers/summary/"
D = Decimal


@pytest.fixture
def ledgers(ledger_world: LedgerWorld) -> LedgerWorld:
    return build_ledgers(ledger_world)


def api_for(ledger_world: LedgerWorld, name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(ledger_world.user(name))
    return client


def get(client: APIClient, **query: str) -> Any:
    response = client.get(URL, query)
    assert response.status_code == 200, response.content
    return response.json()


def test_it_answers_the_totals_groups_and_trend(ledgers: LedgerWorld) -> None:
    AnnualTarget.objects.create(
        office=ledgers.world.city_office,
        region=ledgers.world.city,
        year=2024,
        baseline_year=2023,
        area_energy_change=D("-5"),
    )

    data = get(api_for(ledgers, "city"))

    assert data["region"] == {"code": "430100000000", "name": "长沙市"}
    assert (data["year"], data["years"], data["by"], data["basis"]) == (
        2024,
        [2024, 2023],
        "region",
        "equivalent",
    )
    total = data["total"]
    assert total["current"]["units"] == 3
    assert D(total["current"]["energy_kgce"]) == D("31708.2")
    assert D(total["current"]["area_energy"]) == D("1.5854")
    assert D(total["changes"]["area_energy"]) == D("-4.44")
    assert total["target"]["status"] == "missed"
    assert [row["label"] for row in data["rows"]] == ["长沙市本级", "芙蓉区", "天心区"]
    furong = data["rows"][1]
    assert furong["region"] == "430102000000"
    assert D(furong["changes"]["area_energy"]) == D("-10.00")
    assert furong["target"]["status"] == "met"
    assert data["rows"][0]["region"] == ""
    assert [point["year"] for point in data["trend"]] == [2020, 2021, 2022, 2023, 2024]
    assert data["trend"][0]["figures"]["units"] == 0
    assert data["target"]["year"] == 2024
    assert data["sources"]


def test_it_groups_by_unit_in_the_year_asked(ledgers: LedgerWorld) -> None:
    data = get(api_for(ledgers, "city"), by="unit", year="2023")
    assert data["year"] == 2023
    assert {row["unit"] for row in data["rows"]} == {
        ledgers.organ.pk,
        ledgers.city_organ.pk,
        ledgers.tianxin_organ.pk,
    }
    assert all(row["previous"] is None for row in data["rows"])  # no 2022 ledgers


def test_it_is_scoped_like_the_page(ledgers: LedgerWorld) -> None:
    furong = api_for(ledgers, "furong")
    assert get(furong)["total"]["current"]["units"] == 1
    assert furong.get(URL, {"region": ledgers.world.tianxin.code}).status_code == 404
    assert furong.get(URL, {"region": ledgers.world.city.code}).status_code == 404
    assert api_for(ledgers, "outsider").get(URL).status_code == 403  # no region at all
    assert api_for(ledgers, "outsider").get(URL, {"region": ledgers.world.furong.code}).status_code == 404
    assert APIClient().get(URL).status_code in (401, 403)


def test_it_refuses_a_malformed_query(ledgers: LedgerWorld) -> None:
    client = api_for(ledgers, "city")
    response = client.get(URL, {"year": "1999", "by": "colour"})
    assert response.status_code == 400
    assert set(response.json()) == {"year", "by"}
