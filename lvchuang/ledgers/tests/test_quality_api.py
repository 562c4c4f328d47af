"""The data-quality API: flags scoped like the pages, decisions by whoever may change the unit, the rule tables
read by role holders and changed by the administrator, and 重新检查."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from lvchuang.ledgers.models import Consumption, IntensityRange, QualityFlag, QualityRule
from lvchuang.ledgers.tests.test_quality_rules import full_year, recheck

FLAGS = reverse("ledger-quality-flag-list")
RULES = reverse("ledger-quality-rule-list")
RANGES = reverse("ledger-intensity-range-list")


def api(ledger_world, name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(ledger_world.user(name))
    return client


@pytest.fixture
def flags(ledger_world) -> dict[str, QualityFlag]:
    found = {}
    for name, unit in (("furong", ledger_world.organ), ("tianxin", ledger_world.tianxin_organ)):
        full_year(unit, 2024)
        Consumption.objects.filter(unit=unit, year=2024, month=4, carrier="electricity").update(amount=0)
        recheck(unit)
        found[name] = QualityFlag.objects.get(unit=unit, rule="non_positive")
    return found


def detail(flag: QualityFlag, what: str = "") -> str:
    if what:
        return reverse(f"ledger-quality-flag-{what}", args=[flag.pk])
    return reverse("ledger-quality-flag-detail", args=[flag.pk])


def ids(response) -> set[int]:
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    return {row["id"] for row in rows}


def test_it_lists_the_flags_in_scope(ledger_world, flags):
    response = api(ledger_world, "furong").get(FLAGS)

    assert response.status_code == 200
    assert ids(response) == {flags["furong"].pk}
    row = api(ledger_world, "city").get(detail(flags["furong"])).json()
    assert (row["rule"], row["key"], row["status"], row["unit_name"]) == (
        "non_positive",
        "2024-04:electricity",
        "open",
        "芙蓉区发展和改革局",
    )


def test_it_filters_the_flags(ledger_world, flags):
    client = api(ledger_world, "city")

    assert ids(client.get(FLAGS)) == {flags["furong"].pk, flags["tianxin"].pk}
    assert ids(client.get(FLAGS, {"region": ledger_world.world.tianxin.code})) == {flags["tianxin"].pk}
    assert ids(client.get(FLAGS, {"unit": ledger_world.organ.pk})) == {flags["furong"].pk}
    assert ids(client.get(FLAGS, {"rule": "jump"})) == set()
    assert ids(client.get(FLAGS, {"year": 2023})) == set()
    client.post(detail(flags["tianxin"], "accept"), {"note": "四月停用"})
    assert ids(client.get(FLAGS)) == {flags["furong"].pk}
    assert ids(client.get(FLAGS, {"status": "accepted"})) == {flags["tianxin"].pk}
    assert ids(client.get(FLAGS, {"status": "all"})) == {flags["furong"].pk, flags["tianxin"].pk}
    assert client.get(FLAGS, {"status": "gone"}).status_code == 400


def test_a_sibling_district_and_an_outsider_see_nothing(ledger_world, flags):
    tianxin = api(ledger_world, "tianxin")
    assert ids(tianxin.get(FLAGS)) == {flags["tianxin"].pk}
    assert tianxin.get(detail(flags["furong"])).status_code == 404
    assert tianxin.post(detail(flags["furong"], "accept"), {"note": "x"}).status_code == 404
    assert tianxin.get(FLAGS, {"region": ledger_world.world.furong.code}).status_code == 404

    outsider = api(ledger_world, "outsider")
    assert ids(outsider.get(FLAGS)) == set()
    assert outsider.get(detail(flags["furong"])).status_code == 404
    assert outsider.get(RULES).status_code == 403
    assert outsider.get(RANGES).status_code == 403


def test_a_reader_may_not_decide(ledger_world, flags):
    leader = api(ledger_world, "leader")

    assert leader.get(detail(flags["furong"])).status_code == 200
    assert leader.post(detail(flags["furong"], "accept"), {"note": "x"}).status_code == 403
    assert leader.post(detail(flags["furong"], "reopen")).status_code == 403


def test_the_clerk_accepts_and_reopens_a_flag(ledger_world, flags):
    clerk = api(ledger_world, "organ_clerk")

    assert clerk.post(detail(flags["furong"], "accept"), {}).status_code == 400
    response = clerk.post(detail(flags["furong"], "accept"), {"note": "四月停用"}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["note"]) == ("accepted", "四月停用")
    assert clerk.post(detail(flags["furong"], "accept"), {"note": "again"}).status_code == 400

    response = clerk.post(detail(flags["furong"], "reopen"))
    assert response.status_code == 200
    assert response.json()["status"] == "open"


@time_machine.travel(datetime.datetime(2025, 6, 20, 10, tzinfo=datetime.UTC), tick=False)
def test_an_office_rechecks_a_year(ledger_world):
    response = api(ledger_world, "furong").post(reverse("ledger-quality-flag-recheck"), {"year": 2024})

    assert response.status_code == 200, response.json()
    assert response.json() == {"units": 1, "queued": False, "opened": 24, "resolved": 0, "reopened": 0}
    assert (
        api(ledger_world, "organ_clerk")
        .post(reverse("ledger-quality-flag-recheck"), {"year": 2024})
        .status_code
        == 403
    )
    assert api(ledger_world, "furong").post(reverse("ledger-quality-flag-recheck"), {}).status_code == 400


def test_role_holders_read_the_rules_and_the_administrator_changes_them(ledger_world):
    rule = QualityRule.objects.get(code="duplicate")
    url = reverse("ledger-quality-rule-detail", args=[rule.pk])
    reader = api(ledger_world, "organ_clerk")
    assert reader.get(RULES).json()["count"] == 5
    assert reader.get(url).json()["params"]["min_amount"] == 100
    assert reader.patch(url, {"is_active": False}, format="json").status_code == 403
    assert api(ledger_world, "city").patch(url, {"is_active": False}, format="json").status_code == 403

    admin = api(ledger_world, "admin")
    response = admin.patch(url, {"params": {"min_amount": 500}}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["params"] == {
        "carriers": ["electricity", "natural_gas", "water"],
        "min_amount": 500,
    }

    response = admin.put(url, {"is_active": False, "params": {"carriers": ["coal"]}}, format="json")
    assert response.status_code == 400
    assert "未知的品种" in str(response.json())
    response = admin.put(url, {"is_active": False, "params": {}}, format="json")
    assert response.status_code == 200
    rule.refresh_from_db()
    assert (rule.is_active, rule.params["min_amount"]) == (False, 100)  # PUT resets the thresholds


def test_the_administrator_changes_and_adds_intensity_ranges(ledger_world):
    bounds = IntensityRange.objects.get(institution_type="024", indicator="per_capita_water")
    url = reverse("ledger-intensity-range-detail", args=[bounds.pk])
    assert api(ledger_world, "sector").get(RANGES).json()["count"] == 12
    assert api(ledger_world, "city").patch(url, {"low": "1"}, format="json").status_code == 403

    admin = api(ledger_world, "admin")
    assert admin.patch(url, {"low": "300"}, format="json").status_code == 400
    response = admin.patch(url, {"low": "10", "needs_confirmation": False}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["low"], response.json()["needs_confirmation"]) == ("10.00", False)

    new = {"institution_type": "023", "indicator": "area_energy", "low": "1", "high": "30", "source": "试行"}
    assert api(ledger_world, "furong").post(RANGES, new, format="json").status_code == 403
    assert admin.post(RANGES, new, format="json").status_code == 201
    assert admin.post(RANGES, new, format="json").status_code == 400
    wrong = {**new, "institution_type": "099", "indicator": "per_capita_water"}
    assert admin.post(RANGES, wrong, format="json").status_code == 400
