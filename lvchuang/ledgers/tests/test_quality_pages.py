"""The data-quality pages: the flag list and a flag's decision, scoped like every ledger page; the rule tables,
read by every role holder and edited by the administrator; 重新检查."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvchuang.ledgers.models import Consumption, IntensityRange, QualityFlag, QualityRule
from lvchuang.ledgers.tests.test_quality_rules import full_year, recheck

FLAGS = reverse("ledgers:flag_list")
RULES = reverse("ledgers:rule_list")


def client_for(ledger_world, name: str) -> Client:
    client = Client()
    client.force_login(ledger_world.user(name))
    return client


@pytest.fixture
def flags(ledger_world) -> dict[str, QualityFlag]:
    """A zero electricity month for the 芙蓉区 organ and for the 天心区 one."""
    found = {}
    for name, unit in (("furong", ledger_world.organ), ("tianxin", ledger_world.tianxin_organ)):
        full_year(unit, 2024)
        Consumption.objects.filter(unit=unit, year=2024, month=4, carrier="electricity").update(amount=0)
        recheck(unit)
        found[name] = QualityFlag.objects.get(unit=unit, rule="non_positive")
    return found


def action_url(flag: QualityFlag) -> str:
    return reverse("ledgers:flag_action", args=[flag.pk])


def test_it_lists_the_open_flags_of_the_users_units(ledger_world, flags):
    response = client_for(ledger_world, "furong").get(FLAGS)

    assert response.status_code == 200
    listed = list(response.context["page_obj"])
    assert listed == [flags["furong"]]
    page = response.content.decode()
    assert reverse("ledgers:unit_detail", args=[ledger_world.organ.pk]) in page
    assert reverse("ledgers:monthly_edit", args=[ledger_world.organ.pk, 2024]) in page


def test_the_city_sees_both_districts_and_filters_them(ledger_world, flags):
    client = client_for(ledger_world, "city")

    assert set(client.get(FLAGS).context["page_obj"]) == {flags["furong"], flags["tianxin"]}
    by_region = client.get(FLAGS, {"region": ledger_world.world.tianxin.code}).context["page_obj"]
    assert list(by_region) == [flags["tianxin"]]
    by_unit = client.get(FLAGS, {"unit": ledger_world.organ.pk}).context["page_obj"]
    assert list(by_unit) == [flags["furong"]]
    assert list(client.get(FLAGS, {"rule": "jump"}).context["page_obj"]) == []
    assert list(client.get(FLAGS, {"year": 2023}).context["page_obj"]) == []


def test_it_shows_other_statuses_when_asked(ledger_world, flags):
    client = client_for(ledger_world, "organ_clerk")
    client.post(action_url(flags["furong"]), {"action": "accept", "note": "停用装修"})

    assert list(client.get(FLAGS).context["page_obj"]) == []
    assert list(client.get(FLAGS, {"status": "accepted"}).context["page_obj"]) == [flags["furong"]]
    assert list(client.get(FLAGS, {"status": "all"}).context["page_obj"]) == [flags["furong"]]


def test_a_sibling_district_sees_nothing_of_its_neighbour(ledger_world, flags):
    client = client_for(ledger_world, "tianxin")

    assert list(client.get(FLAGS).context["page_obj"]) == [flags["tianxin"]]
    assert client.get(action_url(flags["furong"])).status_code == 404
    assert client.post(action_url(flags["furong"]), {"action": "accept", "note": "x"}).status_code == 404


def test_an_outsider_sees_an_empty_list_and_no_flag(ledger_world, flags):
    client = client_for(ledger_world, "outsider")

    assert list(client.get(FLAGS).context["page_obj"]) == []
    assert client.get(action_url(flags["furong"])).status_code == 404
    assert client.get(RULES).status_code == 403


def test_a_reader_sees_a_flag_but_cannot_decide_it(ledger_world, flags):
    client = client_for(ledger_world, "leader")  # reads the city's subtree

    page = client.get(action_url(flags["furong"]))
    assert page.status_code == 200
    assert "确认无误" not in page.content.decode()
    assert client.post(action_url(flags["furong"]), {"action": "accept", "note": "x"}).status_code == 403
    flags["furong"].refresh_from_db()
    assert flags["furong"].status == QualityFlag.Status.OPEN


def test_the_clerk_accepts_a_flag_from_the_list_and_reopens_it(ledger_world, flags):
    client = client_for(ledger_world, "organ_clerk")
    back = f"{FLAGS}?year=2024"

    response = client.post(
        action_url(flags["furong"]), {"action": "accept", "note": "四月停用", "next": back}
    )

    assert response.status_code == 302
    assert response["Location"] == back
    flag = QualityFlag.objects.get(pk=flags["furong"].pk)
    assert (flag.status, flag.note, flag.closed_by) == ("accepted", "四月停用", ledger_world.organ_clerk)

    response = client.post(action_url(flag), {"action": "reopen", "next": "https://elsewhere.example/"})
    assert response.status_code == 302
    assert response["Location"] == action_url(flag)
    flag.refresh_from_db()
    assert flag.status == QualityFlag.Status.OPEN


def test_accepting_without_a_note_says_why(ledger_world, flags):
    response = client_for(ledger_world, "organ_clerk").post(action_url(flags["furong"]), {"action": "accept"})

    assert response.status_code == 400
    assert response.context["form"].errors["note"]
    flags["furong"].refresh_from_db()
    assert flags["furong"].status == QualityFlag.Status.OPEN


def test_it_explains_a_decision_that_does_not_apply(ledger_world, flags):
    client = client_for(ledger_world, "organ_clerk")

    response = client.post(action_url(flags["furong"]), {"action": "reopen"})
    assert response.status_code == 400
    assert "只有已确认无误的问题可以重新打开" in response.content.decode()
    assert client.post(action_url(flags["furong"]), {"action": "delete"}).status_code == 400
    assert QualityFlag.objects.filter(pk=flags["furong"].pk, status=QualityFlag.Status.OPEN).exists()


def test_the_flag_list_reads_in_a_fixed_number_of_queries(ledger_world, flags):
    client = client_for(ledger_world, "city")
    client.get(FLAGS)
    with CaptureQueriesContext(connection) as few:
        client.get(FLAGS)
    for unit in (ledger_world.organ, ledger_world.tianxin_organ):
        Consumption.objects.filter(unit=unit, year=2024, month__in=[5, 6, 7], carrier="electricity").update(
            amount=0
        )
        recheck(unit)
    with CaptureQueriesContext(connection) as more:
        assert len(client.get(FLAGS).context["page_obj"]) == 10  # 8 zero months, 2 intensities too low
    assert len(few) == len(more)


# --- the rule tables -------------------------------------------------------------------------------------------------


def test_every_role_holder_reads_the_rules_and_only_the_administrator_may_edit(ledger_world):
    rule = QualityRule.objects.get(code="jump")
    bounds = IntensityRange.objects.get(institution_type="01", indicator="area_energy")
    for name in ("organ_clerk", "furong", "leader", "sector"):
        client = client_for(ledger_world, name)
        response = client.get(RULES)
        assert response.status_code == 200
        assert "突变" in response.content.decode()
        assert reverse("ledgers:rule_edit", args=[rule.pk]) not in response.content.decode()
        assert client.get(reverse("ledgers:rule_edit", args=[rule.pk])).status_code == 403
        assert client.get(reverse("ledgers:range_edit", args=[bounds.pk])).status_code == 403
        assert client.post(reverse("ledgers:range_edit", args=[0]), {}).status_code == 403

    page = client_for(ledger_world, "admin").get(RULES).content.decode()
    assert reverse("ledgers:rule_edit", args=[rule.pk]) in page
    assert reverse("ledgers:range_edit", args=[bounds.pk]) in page


def test_the_administrator_edits_a_rules_thresholds(ledger_world):
    client = client_for(ledger_world, "admin")
    rule = QualityRule.objects.get(code="non_positive")
    url = reverse("ledgers:rule_edit", args=[rule.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {"is_active": "on", "param_zero_allowed": ["raw_coal", "heat"], "description": "只允许煤和热力为零"},
    )

    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.params == {"zero_allowed": ["raw_coal", "heat"]}
    assert (rule.is_active, rule.description) == (True, "只允许煤和热力为零")

    jump = QualityRule.objects.get(code="jump")
    response = client.post(
        reverse("ledgers:rule_edit", args=[jump.pk]),
        {"param_factor": "2.5", "param_window_months": "6", "param_min_months": "8"},
    )
    assert response.status_code == 400
    assert "最少月数不能大于对照月数" in response.content.decode()

    client.post(
        reverse("ledgers:rule_edit", args=[jump.pk]),
        {"param_factor": "2.5", "param_window_months": "12", "param_min_months": "6"},
    )
    jump.refresh_from_db()
    assert (jump.is_active, jump.params["factor"]) == (False, 2.5)


def test_the_administrator_edits_and_adds_intensity_ranges(ledger_world):
    client = client_for(ledger_world, "admin")
    bounds = IntensityRange.objects.get(institution_type="01", indicator="area_energy")
    url = reverse("ledgers:range_edit", args=[bounds.pk])
    assert client.get(url).status_code == 200

    wrong = client.post(url, {"low": "60", "high": "50", "source": "x"})
    assert wrong.status_code == 400
    response = client.post(url, {"low": "3", "high": "50", "source": "省机关事务管理局核定"})
    assert response.status_code == 302
    bounds.refresh_from_db()
    assert (str(bounds.low), str(bounds.high), bounds.needs_confirmation) == ("3.00", "50.00", False)

    new = reverse("ledgers:range_edit", args=[0])
    assert client.get(new).status_code == 200
    response = client.post(
        new,
        {"institution_type": "022", "indicator": "area_energy", "low": "1", "high": "20", "source": "试行"},
    )
    assert response.status_code == 302
    assert IntensityRange.objects.filter(institution_type="022").count() == 1
    assert client.get(reverse("ledgers:range_edit", args=[99999])).status_code == 404


# --- 重新检查 -------------------------------------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2025, 6, 20, 10, tzinfo=datetime.UTC), tick=False)
def test_an_office_rechecks_its_units_from_the_list(ledger_world):
    client = client_for(ledger_world, "furong")
    assert (
        'name="year" id="recheck-year" min="2000" max="2100" required value="2024"'
        in client.get(FLAGS).content.decode()
    )

    response = client.post(FLAGS, {"year": "2024", "next": FLAGS}, follow=True)

    assert response.status_code == 200
    assert "已重新检查 2024 年 1 家单位" in response.content.decode()
    assert QualityFlag.objects.filter(unit=ledger_world.organ, year=2024).exists()
    assert not QualityFlag.objects.exclude(unit=ledger_world.organ).exists()


def test_a_clerk_cannot_recheck_a_scope(ledger_world):
    client = client_for(ledger_world, "organ_clerk")

    assert 'name="year" id="recheck-year"' not in client.get(FLAGS).content.decode()
    assert client.post(FLAGS, {"year": "2024"}).status_code == 403
    assert not QualityFlag.objects.exists()
