"""The synthetic province of the dashboard benchmark (`targets/province.py`), at a small scale."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvchuang.accounts.models import Role, RoleAssignment
from lvchuang.lib.divisions import level_of, path_of
from lvchuang.organisations.models import Office, Unit
from lvchuang.regions.models import Region
from lvchuang.targets.province import GeneratedProvince, generate_province, spread
from lvchuang.titles.models import Title, TitleEvent

TODAY = datetime.date(2026, 6, 30)
ORGAN_LEVEL_OF_REGION = {1: "provincial", 2: "municipal", 3: "county"}

pytestmark = pytest.mark.django_db


def small(**options: Any) -> GeneratedProvince:
    return generate_province(**{"units": 400, "years": 5, "seed": 7, "cities": 4, "today": TODAY, **options})


def snapshot(province: GeneratedProvince) -> dict[str, list[tuple[Any, ...]]]:
    path = province.province.path
    return {
        "regions": list(
            Region.objects.filter(path__startswith=path).values_list("code", "name", "kind", "level")
        ),
        "units": list(
            Unit.objects.filter(region__path__startswith=path)
            .order_by("region__code", "name")
            .values_list("region__code", "name", "kind", "organ_type", "organ_level", "household_count")
        ),
        "titles": list(
            Title.objects.filter(unit__region__path__startswith=path)
            .order_by("certificate_number")
            .values_list(
                "certificate_number",
                "unit__region__code",
                "unit__name",
                "program__code",
                "named_on",
                "status",
            )
        ),
        "milestones": [
            (target.name, str(milestone))
            for target in province.targets.values()
            for milestone in target.milestones.all()
        ],
    }


def test_it_builds_a_real_shaped_tree_with_the_requested_number_of_units() -> None:
    province = small()

    regions = list(Region.objects.filter(path__startswith="61").select_related("parent"))
    assert Counter(r.level for r in regions) == {
        level: province.counts[f"regions level {level}"] for level in range(1, 6)
    }
    assert province.counts["regions level 2"] == 4
    for region in regions:
        assert region.path == path_of(region.code)
        assert region.level == level_of(region.code)
        if region.parent is not None:
            assert region.path.startswith(region.parent.path)
            assert region.parent.level == region.level - 1
    assert {r.kind for r in regions if r.level == 5} == {"community"}
    assert {r.kind for r in regions if r.level == 4} <= {"street", "town", "township"}

    units = list(Unit.objects.filter(region__path__startswith="61").select_related("region"))
    assert len(units) == province.counts["units"] == 400
    for unit in units:
        if unit.kind == Unit.Kind.COMMUNITY:
            assert unit.region.level == 5
            assert 0 < (unit.green_family_count or 0) <= (unit.household_count or 0)
        else:
            assert unit.kind == Unit.Kind.ORGAN
            assert unit.organ_type
            assert unit.organ_level == ORGAN_LEVEL_OF_REGION[unit.region.level]
    offices = Office.objects.filter(region__path__startswith="61")
    assert set(offices.values_list("region__level", flat=True)) == {1, 2, 3}
    assert offices.count() == sum(1 for r in regions if r.level <= 3)
    assert RoleAssignment.objects.filter(
        user=province.user, role=Role.PROVINCE_OFFICE, office=province.office
    ).exists()
    assert province.office.region == province.province


def test_it_gives_the_same_province_for_the_same_seed() -> None:
    def generated(seed: int) -> dict[str, list[tuple[Any, ...]]]:
        with transaction.atomic():
            result = snapshot(small(seed=seed))
            transaction.set_rollback(True)
        return result

    first = generated(7)
    assert first == generated(7)
    assert first["titles"]
    assert first["regions"] != generated(8)["regions"]


def test_its_titles_fit_their_programs_units_and_dates() -> None:
    province = small()

    titles = list(Title.objects.filter(unit__region__path__startswith="61").select_related("unit", "program"))
    assert len(titles) == province.counts["titles"]
    for title in titles:
        assert title.unit.kind in title.program.unit_kinds
        assert title.named_on.year == title.year
        assert TODAY.year - 5 <= title.year < TODAY.year
        if title.status == Title.Status.REVOKED:
            assert title.status_changed_on is not None
            assert title.named_on < title.status_changed_on <= TODAY
        if title.status == Title.Status.EXPIRED:
            assert title.valid_until is not None
            assert title.valid_until < TODAY
            assert title.status_changed_on == title.valid_until + datetime.timedelta(days=1)
        if title.status == Title.Status.VALID:
            assert title.status_changed_on is None
            assert title.valid_until is None
    assert Counter(t.status for t in titles)[Title.Status.VALID] > 0.8 * len(titles)
    assert len({(t.unit_id, t.program_id) for t in titles}) == len(titles)  # one title per unit and program
    assert len({t.certificate_number for t in titles}) == len(titles)
    changed = {t.pk: t.status for t in titles if t.status != Title.Status.VALID}
    events = TitleEvent.objects.filter(title_id__in=changed)
    assert {e.title_id: e.to_status for e in events} == changed
    assert events.count() == len(changed)


def test_its_coverage_grows_year_by_year_towards_the_targets() -> None:
    province = small()

    communities = Unit.objects.filter(region__path__startswith="61", kind=Unit.Kind.COMMUNITY)
    shares = []
    for year in range(TODAY.year - 5, TODAY.year):
        day = datetime.date(year, 12, 31)
        covered = (
            communities.filter(titles__named_on__lte=day)
            .exclude(titles__status=Title.Status.REVOKED, titles__status_changed_on__lte=day)
            .exclude(titles__valid_until__lt=day)
            .distinct()
            .count()
        )
        shares.append(covered / communities.count())
    assert shares == sorted(shares)
    assert 0.02 < shares[0] < 0.25
    assert 0.4 < shares[-1] < 0.8

    target = province.targets["communities"]
    assert target.office == province.office
    assert target.unit_kind == Unit.Kind.COMMUNITY
    assert [p.code for p in target.programs.all()] == ["green-community"]
    milestones = list(target.milestones.all())
    assert [m.share for m in milestones] == [Decimal(30), Decimal(60), Decimal(80)]
    assert milestones[0].due_on > target.starts_on
    assert milestones[-1].due_on > TODAY
    organs = province.targets["city_county_organs"]
    assert organs.organ_levels == ["municipal", "county"]
    assert "conservation-oriented-organ" in {p.code for p in organs.programs.all()}
    assert province.targets["provincial_organs"].organ_levels == ["provincial"]


def test_it_refuses_a_province_code_or_login_already_in_use() -> None:
    small()

    with pytest.raises(ValueError, match="已存在"):
        small()
    with pytest.raises(ValueError, match="已被占用"):
        small(province_code="62", username="province-61")
    assert not Region.objects.filter(path__startswith="62").exists()


def test_it_shares_a_total_out_exactly() -> None:
    assert spread(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(spread(1_000, [0.3, 1.7, 0.9, 1.1], minimum=5)) == 1_000
    assert spread(2, [1, 1, 1], minimum=1) == [1, 1, 1]


def test_the_command_generates_a_province(settings: Any, capsys: pytest.CaptureFixture[str]) -> None:
    settings.DEBUG = True
    call_command(
        "generate_province", "--units", "150", "--cities", "2", "--province", "63", "--today", "2026-06-30"
    )

    assert Unit.objects.filter(region__path__startswith="63").count() == 150
    assert "province-63" in capsys.readouterr().out
    with pytest.raises(CommandError, match="已存在"):
        call_command("generate_province", "--units", "150", "--cities", "2", "--province", "63")


def test_the_command_refuses_to_run_without_debug(settings: Any) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("generate_province", "--units", "150")
    assert not Region.objects.filter(path__startswith="61").exists()


def _dashboard_queries(province: GeneratedProvince, region: Region | None = None) -> int:
    client = Client()
    client.force_login(province.user)
    url = reverse("targets:target_detail", args=[province.targets["communities"].pk])
    query = {"as_of": TODAY.isoformat()}
    if region is not None:
        query["region"] = region.code
    client.get(url, query)  # warm the session and the caches first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.slow
def test_the_dashboards_query_count_does_not_grow_with_the_number_of_regions() -> None:
    few = small(cities=4, province_code="62", units=400)
    many = small(cities=12, province_code="63", units=1_200)
    assert many.counts["regions level 3"] > 2 * few.counts["regions level 3"]

    assert _dashboard_queries(few) == _dashboard_queries(many)
    first_city = {p: Region.objects.get(code=f"{p}0100000000") for p in ("62", "63")}
    assert _dashboard_queries(few, first_city["62"]) == _dashboard_queries(many, first_city["63"])
