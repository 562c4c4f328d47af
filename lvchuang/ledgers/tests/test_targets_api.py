"""The annual-target and coefficient-table API, scoped like the pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from lvchuang.ledgers.models import AnnualTarget, Density
from lvchuang.ledgers.target_services import create_annual_target, create_annual_target_from_preset
from lvchuang.ledgers.tests.conftest import LedgerWorld
from lvchuang.ledgers.tests.test_indicators import a_year_of


def api(ledger_world: LedgerWorld, name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(ledger_world.user(name))
    return client


@pytest.fixture
def furong_target(ledger_world: LedgerWorld) -> AnnualTarget:
    world = ledger_world.world
    return create_annual_target(
        by=world.user("furong"),
        office=world.furong_office,
        year=2025,
        baseline_year=2020,
        area_energy_change=Decimal("-8"),
    )


def test_it_adds_a_preset_and_lists_it_to_those_below(ledger_world: LedgerWorld) -> None:
    world = ledger_world.world
    response = api(ledger_world, "city").post(
        "/api/ledgers/targets/", {"office": world.city_office.pk, "preset": "shisiwu-2025"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["per_capita_water_change"] == "-6.00"
    assert response.json()["region_name"] == "长沙市"
    listed = api(ledger_world, "furong").get("/api/ledgers/targets/").json()["results"]
    assert [row["office_name"] for row in listed] == ["长沙市创建办"]


def test_it_creates_from_fields_and_refuses_missing_years(ledger_world: LedgerWorld) -> None:
    world = ledger_world.world
    client = api(ledger_world, "furong")
    missing = client.post("/api/ledgers/targets/", {"office": world.furong_office.pk}, format="json")
    assert missing.status_code == 400
    assert set(missing.json()) == {"year", "baseline_year"}
    nothing = client.post(
        "/api/ledgers/targets/",
        {"office": world.furong_office.pk, "year": 2025, "baseline_year": 2020},
        format="json",
    )
    assert nothing.status_code == 400
    assert "请至少填写一项指标的变化幅度" in str(nothing.json())
    created = client.post(
        "/api/ledgers/targets/",
        {
            "office": world.furong_office.pk,
            "year": 2025,
            "baseline_year": 2020,
            "per_capita_water_change": "-10",
            "institution_types": ["01", "021"],
        },
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["institution_types"] == ["01", "021"]


def test_an_office_cannot_set_a_target_for_another_office(ledger_world: LedgerWorld) -> None:
    world = ledger_world.world
    response = api(ledger_world, "tianxin").post(
        "/api/ledgers/targets/", {"office": world.furong_office.pk, "preset": "shisiwu-2025"}, format="json"
    )
    assert response.status_code == 400  # an office outside its sight does not exist for it
    assert not AnnualTarget.objects.exists()


def test_it_scopes_changes_like_the_pages(ledger_world: LedgerWorld, furong_target: AnnualTarget) -> None:
    url = f"/api/ledgers/targets/{furong_target.pk}/"
    assert api(ledger_world, "tianxin").get(url).status_code == 404
    assert api(ledger_world, "outsider").get(url).status_code == 404
    assert api(ledger_world, "outsider").get("/api/ledgers/targets/").status_code == 403
    assert api(ledger_world, "organ_clerk").get(url).status_code == 200
    assert api(ledger_world, "organ_clerk").patch(url, {"source": "x"}, format="json").status_code == 403
    assert api(ledger_world, "tianxin").delete(url).status_code == 404

    changed = api(ledger_world, "furong").patch(url, {"area_energy_change": "-9.5"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["area_energy_change"] == "-9.50"
    assert api(ledger_world, "city").delete(url).status_code == 204
    assert not AnnualTarget.objects.exists()


def test_it_answers_a_units_target_check(ledger_world: LedgerWorld) -> None:
    world = ledger_world.world
    create_annual_target_from_preset(by=world.user("city"), office=world.city_office, preset="shisiwu-2025")
    a_year_of(ledger_world.organ, 2020, electricity="100000", water="2400")
    a_year_of(ledger_world.organ, 2025, electricity="90000", water="2200")
    url = f"/api/ledgers/target-checks/{ledger_world.organ.pk}/?year=2025"

    body = api(ledger_world, "organ_clerk").get(url).json()

    assert body["status"] == "met"
    assert body["target"]["office_name"] == "长沙市创建办"
    assert body["lines"][0]["indicator"] == "area_energy"
    assert body["lines"][0]["change"] == "-10.00"
    assert "结论：完成" in body["narrative"]
    assert api(ledger_world, "tianxin").get(url).status_code == 404
    assert (
        api(ledger_world, "organ_clerk")
        .get(f"/api/ledgers/target-checks/{ledger_world.organ.pk}/")
        .status_code
        == 400
    )


@pytest.mark.parametrize(
    ("path", "count"),
    [("conversion-factors", 9), ("densities", 3), ("grid-assignments", 31), ("emission-factors", 24)],
)
def test_everybody_with_a_role_reads_the_coefficient_tables(
    ledger_world: LedgerWorld, path: str, count: int
) -> None:
    response = api(ledger_world, "sector").get(f"/api/ledgers/{path}/")
    assert response.status_code == 200
    assert len(response.json()) == count
    assert api(ledger_world, "outsider").get(f"/api/ledgers/{path}/").status_code == 403


def test_only_the_administrator_writes_a_coefficient(ledger_world: LedgerWorld) -> None:
    row = Density.objects.get(carrier="diesel")
    url = f"/api/ledgers/densities/{row.pk}/"
    assert api(ledger_world, "city").patch(url, {"kg_per_litre": "0.84"}, format="json").status_code == 403
    admin = api(ledger_world, "admin")
    changed = admin.patch(url, {"kg_per_litre": "0.8400", "needs_confirmation": False}, format="json")
    assert changed.status_code == 200, changed.json()
    row.refresh_from_db()
    assert (row.kg_per_litre, row.needs_confirmation) == (Decimal("0.8400"), False)
    created = admin.post(
        "/api/ledgers/emission-factors/",
        {
            "carrier": "electricity",
            "year": 2024,
            "grid": "central",
            "kgco2_per_unit": "0.5100",
            "source": "公布值",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    again = admin.post(
        "/api/ledgers/emission-factors/",
        {
            "carrier": "electricity",
            "year": 2024,
            "grid": "central",
            "kgco2_per_unit": "0.5200",
            "source": "公布值",
        },
        format="json",
    )
    assert again.status_code == 400
    assert "已有一行" in str(again.json())
    wrong = admin.post(
        "/api/ledgers/grid-assignments/",
        {"province_code": "43", "grid": "east", "source": "x"},
        format="json",
    )
    assert wrong.status_code == 400
    assert "该省级区划已划入一个电网" in str(wrong.json())
