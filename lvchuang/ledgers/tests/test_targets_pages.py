"""Pages of annual targets and of the coefficient tables: who may set, change and read what."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from lvchuang.audit.models import AuditEntry
from lvchuang.ledgers.models import AnnualTarget, ConversionFactor, EmissionFactor
from lvchuang.ledgers.target_services import create_annual_target, create_annual_target_from_preset
from lvchuang.ledgers.tests.conftest import LedgerWorld


def client_for(ledger_world: LedgerWorld, name: str) -> Client:
    client = Client()
    client.force_login(ledger_world.user(name))
    return client


@pytest.fixture
def targets(ledger_world: LedgerWorld) -> dict[str, AnnualTarget]:
    world = ledger_world.world
    return {
        "city": create_annual_target_from_preset(
            by=world.user("city"), office=world.city_office, preset="shisiwu-2025"
        ),
        "furong": create_annual_target(
            by=world.user("furong"),
            office=world.furong_office,
            year=2025,
            baseline_year=2020,
            area_energy_change=Decimal("-8"),
        ),
    }


def test_it_adds_the_preset_in_one_click(ledger_world: LedgerWorld) -> None:
    world = ledger_world.world
    client = client_for(ledger_world, "city")
    page = client.get("/ledgers/targets/").content.decode()
    assert "添加预设指标" in page
    assert "“十四五”公共机构节约能源资源目标" in page

    response = client.post(
        "/ledgers/targets/new/",
        {"mode": "preset", "preset-office": world.city_office.pk, "preset-preset": "shisiwu-2025"},
    )

    assert response.status_code == 302
    target = AnnualTarget.objects.get()
    assert (target.office, target.region, target.year, target.baseline_year) == (
        world.city_office,
        world.city,
        2025,
        2020,
    )
    assert (
        target.area_energy_change,
        target.per_capita_energy_change,
        target.per_capita_water_change,
        target.co2_per_area_change,
    ) == (Decimal("-5"), Decimal("-6"), Decimal("-6"), Decimal("-7"))
    assert "十四五" in target.source
    entry = AuditEntry.objects.get(content_type__model="annualtarget", object_pk=str(target.pk))
    assert entry.actor == world.user("city")
    again = client.post(
        "/ledgers/targets/new/",
        {"mode": "preset", "preset-office": world.city_office.pk, "preset-preset": "shisiwu-2025"},
    )
    assert again.status_code == 400
    assert "本地区已有 2025 年（较 2020 年）的指标" in again.content.decode()


def test_it_sets_a_target_from_the_blank_form_and_checks_it(ledger_world: LedgerWorld) -> None:
    world = ledger_world.world
    client = client_for(ledger_world, "furong")
    data = {
        "mode": "blank",
        "blank-office": world.furong_office.pk,
        "blank-year": "2024",
        "blank-baseline_year": "2024",
        "blank-area_energy_change": "-2",
        "blank-institution_types": ["01"],
    }
    refused = client.post("/ledgers/targets/new/", data)
    assert refused.status_code == 400
    assert "基准年度须早于考核年度" in refused.content.decode()

    response = client.post("/ledgers/targets/new/", {**data, "blank-baseline_year": "2023"})

    assert response.status_code == 302
    target = AnnualTarget.objects.get()
    assert target.region == world.furong
    assert target.institution_types == ["01"]
    assert target.per_capita_energy_change is None


def test_a_district_reads_the_citys_target_but_cannot_change_it(
    ledger_world: LedgerWorld, targets: dict[str, AnnualTarget]
) -> None:
    client = client_for(ledger_world, "furong")
    page = client.get("/ledgers/targets/").content.decode()
    assert "长沙市创建办" in page
    assert f"/ledgers/targets/{targets['furong'].pk}/edit/" in page
    assert f"/ledgers/targets/{targets['city'].pk}/edit/" not in page
    assert client.get(f"/ledgers/targets/{targets['city'].pk}/edit/").status_code == 403
    assert client.post(f"/ledgers/targets/{targets['city'].pk}/delete/").status_code == 403
    assert AnnualTarget.objects.count() == 2


def test_a_sibling_district_and_an_outsider_get_404(
    ledger_world: LedgerWorld, targets: dict[str, AnnualTarget]
) -> None:
    furong_target = targets["furong"].pk
    tianxin = client_for(ledger_world, "tianxin")
    assert "芙蓉区创建办" not in tianxin.get("/ledgers/targets/").content.decode()
    assert tianxin.get(f"/ledgers/targets/{furong_target}/edit/").status_code == 404
    assert tianxin.post(f"/ledgers/targets/{furong_target}/delete/").status_code == 404
    outsider = client_for(ledger_world, "outsider")
    assert outsider.get(f"/ledgers/targets/{furong_target}/edit/").status_code == 404
    assert outsider.get("/ledgers/targets/").status_code == 403
    assert AnnualTarget.objects.count() == 2


def test_the_office_edits_and_the_office_above_deletes(
    ledger_world: LedgerWorld, targets: dict[str, AnnualTarget]
) -> None:
    target = targets["furong"]
    furong = client_for(ledger_world, "furong")
    assert "修改年度能耗指标" in furong.get(f"/ledgers/targets/{target.pk}/edit/").content.decode()
    assert "从预设添加" in furong.get("/ledgers/targets/new/").content.decode()
    response = furong.post(
        f"/ledgers/targets/{target.pk}/edit/",
        {"year": "2025", "baseline_year": "2020", "area_energy_change": "-9", "source": "芙蓉区文件"},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.area_energy_change == Decimal("-9.00")
    assert target.source == "芙蓉区文件"

    assert client_for(ledger_world, "city").post(f"/ledgers/targets/{target.pk}/delete/").status_code == 302
    assert not AnnualTarget.objects.filter(pk=target.pk).exists()


def test_a_unit_clerk_sees_the_targets_that_apply_to_it_and_sets_none(
    ledger_world: LedgerWorld, targets: dict[str, AnnualTarget]
) -> None:
    client = client_for(ledger_world, "organ_clerk")
    page = client.get("/ledgers/targets/").content.decode()
    assert "长沙市创建办" in page
    assert "芙蓉区创建办" in page
    assert "添加预设指标" not in page
    assert client.get("/ledgers/targets/new/").status_code == 403
    assert client.get(f"/ledgers/targets/{targets['city'].pk}/edit/").status_code == 403


# --- coefficient tables ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["organ_clerk", "sector", "furong", "reviewer"])
def test_everybody_with_a_role_reads_the_coefficient_tables(ledger_world: LedgerWorld, name: str) -> None:
    page = client_for(ledger_world, name).get("/ledgers/factors/").content.decode()
    assert "0.1229" in page
    assert "GB/T 2589-2020" in page
    assert "0.5306" in page
    assert "待确认" in page
    assert "/ledgers/factors/factor/new/" not in page


def test_an_outsider_cannot_read_the_coefficient_tables(ledger_world: LedgerWorld) -> None:
    assert client_for(ledger_world, "outsider").get("/ledgers/factors/").status_code == 403


def test_only_the_administrator_changes_a_coefficient(ledger_world: LedgerWorld) -> None:
    row = ConversionFactor.objects.get(carrier="natural_gas")
    city = client_for(ledger_world, "city")
    assert city.get("/ledgers/factors/factor/new/").status_code == 403
    assert city.post(f"/ledgers/factors/factor/{row.pk}/", {"kgce_per_unit": "1.33"}).status_code == 403

    admin = client_for(ledger_world, "admin")
    assert admin.get("/ledgers/factors/").content.decode().count("/ledgers/factors/") > 4
    assert admin.get("/ledgers/factors/nonsense/new/").status_code == 404
    response = admin.post(
        f"/ledgers/factors/factor/{row.pk}/",
        {
            "carrier": "natural_gas",
            "basis": "equivalent",
            "kgce_per_unit": "1.3300",
            "valid_from": "2021-04-01",
            "source": "本省统计口径",
            "note": "",
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.kgce_per_unit == Decimal("1.3300")
    assert row.needs_confirmation is False
    entry = AuditEntry.objects.filter(content_type__model="conversionfactor", object_pk=str(row.pk)).latest(
        "timestamp"
    )
    assert entry.actor == ledger_world.user("admin")


def test_the_administrator_adds_a_newer_row(ledger_world: LedgerWorld) -> None:
    admin = client_for(ledger_world, "admin")
    data = {"carrier": "electricity", "year": "2024", "grid": "central", "kgco2_per_unit": "0.5100"}
    refused = admin.post("/ledgers/factors/emission/new/", data)
    assert refused.status_code == 400  # the source is required
    assert not EmissionFactor.objects.filter(year=2024).exists()
    response = admin.post("/ledgers/factors/emission/new/", {**data, "source": "2024 年区域电力排放因子"})
    assert response.status_code == 302
    duplicate = admin.post("/ledgers/factors/emission/new/", {**data, "source": "再来一次"})
    assert duplicate.status_code == 400
    assert EmissionFactor.objects.filter(year=2024).count() == 1
