"""Coverage computed from the title registry against the seeds' targets (targets/coverage.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from lvchuang.lib.progress import Progress, Status
from lvchuang.organisations.models import Department, Unit
from lvchuang.targets import services
from lvchuang.targets.coverage import DIRECT, Coverage, Figures, Row, dashboard, targets_summary_for
from lvchuang.targets.tests.conftest import organs, region, titled, units
from lvchuang.titles.lifecycle import revoke
from lvchuang.titles.models import Title

D = datetime.date


def status_of(board_row):
    return board_row.progress.status if board_row.progress is not None else None


def status_at(coverage, figures, **where):
    result = coverage.judge(figures, **where)
    return result.status if result is not None else None


def judged(row: Row) -> Progress:
    assert row.progress is not None
    return row.progress


# --- seed 003: 节约型机关, ≥50% of provincial and ≥40% of city/county organs, then 80% / 70% ------------------


@pytest.fixture
def organ_world(world, programs):
    """10 provincial organs in 湖南省; 10 municipal organs in 长沙市; 10 county organs in each district."""
    return {
        "provincial": organs(world.province, 10, "provincial"),
        "municipal": organs(world.city, 10, "municipal"),
        "furong": organs(world.furong, 10, "county"),
        "tianxin": organs(world.tianxin, 10, "county"),
    }


def test_it_meets_seed_003_with_half_of_the_provincial_organs(world, programs, organ_world, province_office):
    target = services.create_target_from_preset(
        by=world.user("province"),
        office=province_office,
        preset="seed003-provincial-organs",
        starts_on=D(2020, 11, 1),
    )
    assert [(m.due_on, m.share) for m in target.milestones.all()] == [
        (D(2021, 10, 31), Decimal(50)),
        (D(2022, 10, 31), Decimal(80)),
    ]
    titled(organ_world["provincial"][:4], programs.organ, D(2021, 8, 31))
    # The demonstration title exempts an organ (seed 003) and counts as well.
    titled(organ_world["provincial"][4:5], programs.demonstration, D(2021, 9, 30))
    # A municipal organ's title does not make a provincial organ covered.
    titled(organ_world["municipal"][:3], programs.organ, D(2021, 8, 31))

    board = dashboard(world.user("province"), target, world.province, as_of=D(2021, 10, 31))
    assert board.headline.figures == Figures(eligible=10, covered=5, rectifying=0)
    assert status_of(board.headline) == Status.MET


def test_it_misses_seed_003_with_four_in_ten_provincial_organs(world, programs, organ_world, province_office):
    target = services.create_target_from_preset(
        by=world.user("province"),
        office=province_office,
        preset="seed003-provincial-organs",
        starts_on=D(2020, 11, 1),
    )
    titled(organ_world["provincial"][:4], programs.organ, D(2021, 8, 31))
    before = dashboard(world.user("province"), target, world.province, as_of=D(2021, 10, 31))
    assert status_of(before.headline) == Status.BEHIND  # due today, still below
    after = dashboard(world.user("province"), target, world.province, as_of=D(2021, 11, 1))
    assert status_of(after.headline) == Status.MISSED
    assert judged(after.headline).milestone.share == 50


def test_it_judges_seed_003_city_and_county_organs_by_district(world, programs, organ_world, province_office):
    target = services.create_target_from_preset(
        by=world.user("province"),
        office=province_office,
        preset="seed003-city-county-organs",
        starts_on=D(2020, 11, 1),
    )
    titled(organ_world["municipal"][:4], programs.organ, D(2021, 6, 1))  # 40% of the city's own organs
    titled(organ_world["furong"][:5], programs.organ, D(2021, 6, 1))  # 50%
    titled(organ_world["tianxin"][:3], programs.organ, D(2021, 6, 1))  # 30%
    titled(organ_world["provincial"], programs.organ, D(2021, 6, 1))  # provincial organs are not counted

    province = dashboard(world.user("province"), target, world.province, as_of=D(2021, 10, 31))
    assert province.headline.figures.eligible == 30
    assert province.headline.figures.covered == 12
    assert status_of(province.headline) == Status.MET  # 40% exactly, on the day
    [changsha] = province.children
    assert (changsha.region, changsha.figures.covered) == (world.city, 12)

    city = dashboard(world.user("province"), target, world.city, as_of=D(2021, 10, 31))
    rows = {row.label: row for row in city.children}
    assert status_of(rows["芙蓉区"]) == Status.MET
    assert rows["芙蓉区"].figures.share == 50
    assert status_of(rows["天心区"]) == Status.BEHIND  # 30%, due today
    assert rows[DIRECT].figures == Figures(eligible=10, covered=4, rectifying=0)
    assert status_of(rows[DIRECT]) == Status.MET

    # The day after: 天心区 has missed 40%; 芙蓉区 works towards 70% and is on the line (35.0% expected).
    city = dashboard(world.user("province"), target, world.city, as_of=D(2021, 11, 1))
    rows = {row.label: row for row in city.children}
    assert status_of(rows["天心区"]) == Status.MISSED
    assert judged(rows["芙蓉区"]).milestone.share == 70
    assert judged(rows["芙蓉区"]).expected_share == Decimal("35.0")
    assert status_of(rows["芙蓉区"]) == Status.ON_TRACK


# --- seed 004: 绿色社区, two pilots by the end of 2021 then ≥60% of urban communities by 2022 -----------------


@pytest.fixture
def community_world(world, programs):
    """Two streets in each district, five communities in each street (20 communities in 长沙市); the world's own two
    communities make 22."""
    streets = {
        "furong_a": world.furong_street,
        "furong_b": region(world.furong, "430102003000", "定王台街道", "street"),
        "tianxin_a": world.tianxin_street,
        "tianxin_b": region(world.tianxin, "430103004000", "城南路街道", "street"),
    }
    return {key: units(street, 5) for key, street in streets.items()} | {"streets": streets}


def seed_004_target(world):
    return services.create_target_from_preset(
        by=world.user("city"),
        office=world.city_office,
        preset="seed004-green-communities",
        starts_on=D(2020, 6, 1),
    )


def test_it_judges_seed_004_at_district_and_street_level(world, programs, community_world):
    target = seed_004_target(world)
    c = community_world
    # 芙蓉区: 8 of 11 communities (73%); 天心区: 4 of 11 (36%), all of them in 坡子街街道.
    titled(c["furong_a"][:2], programs.green_community, D(2021, 11, 1))  # the two pilots
    titled(c["furong_a"][2:5] + c["furong_b"][:3], programs.green_community, D(2022, 5, 1))
    titled(c["tianxin_a"][:4], programs.green_community, D(2022, 5, 1))

    mid_2022 = dashboard(world.user("city"), target, world.city, as_of=D(2022, 6, 30))
    rows = {row.label: row for row in mid_2022.children}
    assert status_of(rows["芙蓉区"]) == Status.MET
    # On the line from 2020-06-01 (0) to 60% on 2022-12-31, 30 June 2022 expects 48.3%: 36.4% is behind.
    assert judged(rows["天心区"]).expected_share == Decimal("48.3")
    assert status_of(rows["天心区"]) == Status.BEHIND
    # The city as a whole has 12 of 22 (54.5%) and its pilots in time.
    assert mid_2022.headline.figures == Figures(eligible=22, covered=12, rectifying=0)
    assert status_of(mid_2022.headline) == Status.ON_TRACK

    next_year = dashboard(world.user("city"), target, world.city, as_of=D(2023, 1, 1))
    rows = {row.label: row for row in next_year.children}
    assert status_of(rows["芙蓉区"]) == Status.MET
    assert status_of(rows["天心区"]) == Status.MISSED
    assert status_of(next_year.headline) == Status.MISSED  # 54.5% < 60%

    streets = dashboard(world.user("city"), target, world.tianxin, as_of=D(2023, 1, 1))
    rows = {row.label: row for row in streets.children}
    assert rows["坡子街街道"].figures == Figures(eligible=6, covered=4, rectifying=0)
    assert status_of(rows["坡子街街道"]) == Status.MET  # 66.7%
    assert status_of(rows["城南路街道"]) == Status.MISSED  # 0%


def test_it_misses_the_seed_004_pilots_only_at_the_city_level(world, programs, community_world):
    target = seed_004_target(world)
    titled(community_world["furong_a"][:1], programs.green_community, D(2021, 11, 1))
    board = dashboard(world.user("city"), target, world.city, as_of=D(2022, 1, 10))
    assert status_of(board.headline) == Status.MISSED
    assert judged(board.headline).milestone.count == 2
    # A district has no count of its own: it is judged against the 60% of 2022 only.
    furong = next(row for row in board.children if row.region == world.furong)
    assert judged(furong).milestone.share == 60
    assert status_of(furong) in (Status.ON_TRACK, Status.BEHIND)


# --- seed 000: 100 communities in three years ---------------------------------------------------------------


def test_it_counts_seed_000_hundred_communities(world, programs):
    target = services.create_target_from_preset(
        by=world.user("city"), office=world.city_office, preset="seed000-communities", starts_on=D(2024, 3, 1)
    )
    assert [(m.due_on, m.count) for m in target.milestones.all()] == [(D(2026, 12, 31), 100)]
    places = units(world.furong_street, 70) + units(world.tianxin_street, 60)
    titled(places[:99], programs.city_community, D(2026, 12, 20))
    coverage = Coverage(target)
    figures = coverage.figures(world.city, on=D(2026, 12, 31))
    assert (figures.covered, figures.eligible) == (99, 132)
    assert status_at(coverage, figures, path=world.city.path, on=D(2026, 12, 31)) == Status.BEHIND
    assert status_at(coverage, figures, path=world.city.path, on=D(2027, 1, 1)) == Status.MISSED
    titled(places[99:100], programs.city_community, D(2026, 12, 28))
    figures = coverage.figures(world.city, on=D(2026, 12, 31))
    assert status_at(coverage, figures, path=world.city.path, on=D(2026, 12, 31)) == Status.MET
    # The count is the city's: a district has nothing to be judged against.
    assert coverage.judge(figures, path=world.furong.path, on=D(2026, 12, 31)) is None


# --- Anhui: staged 60/40/30 → 80/70/50 → 95/90/70 -----------------------------------------------------------


@pytest.mark.parametrize(
    ("preset", "level", "place", "titled_by_year", "statuses"),
    [
        # provincial 60 → 80 → 95 of 20 organs: 12, 16, 19 needed
        (
            "anhui-provincial-organs",
            "provincial",
            "province",
            {2020: 12, 2021: 4, 2022: 2},
            {D(2020, 12, 31): Status.MET, D(2021, 12, 31): Status.MET, D(2023, 1, 1): Status.MISSED},
        ),
        # municipal 40 → 70 → 90: 8, 14, 18 needed
        (
            "anhui-municipal-organs",
            "municipal",
            "city",
            {2020: 8, 2021: 5, 2022: 5},
            {D(2020, 12, 31): Status.MET, D(2022, 1, 1): Status.MISSED, D(2022, 12, 31): Status.MET},
        ),
        # county 30 → 50 → 70: 6, 10, 14 needed
        (
            "anhui-county-organs",
            "county",
            "furong",
            {2020: 5, 2021: 5, 2022: 4},
            {D(2021, 1, 1): Status.MISSED, D(2021, 12, 31): Status.MET, D(2022, 12, 31): Status.MET},
        ),
    ],
)
def test_it_follows_anhui_staged_targets_at_each_organ_level(
    world, programs, province_office, preset, level, place, titled_by_year, statuses
):
    where = getattr(world, place)
    holders = organs(where, 20, level)
    start = 0
    for year, count in titled_by_year.items():
        titled(holders[start : start + count], programs.organ, D(year, 6, 30))
        start += count
    target = services.create_target_from_preset(
        by=world.user("province"), office=province_office, preset=preset, starts_on=D(2020, 1, 1)
    )
    coverage = Coverage(target)
    for day, expected in statuses.items():
        figures = coverage.figures(world.province, on=day)
        assert figures.eligible == 20
        assert status_at(coverage, figures, path=world.province.path, on=day) == expected, (day, figures)


# --- the registry decides: revocation, expiry, rectification ------------------------------------------------


@pytest.fixture
def five_communities(world, programs):
    holders = units(world.furong_street, 5)
    target = services.create_target(
        by=world.user("furong"),
        office=world.furong_office,
        name="芙蓉区绿色社区覆盖率",
        programs=[programs.green_community],
        unit_kind=Unit.Kind.COMMUNITY,
        starts_on=D(2021, 1, 1),
        milestones=[services.MilestoneInput(D(2022, 12, 31), share=Decimal(60))],
    )
    return target, holders


def test_a_revoked_title_stops_counting_on_its_revocation_date(world, programs, five_communities):
    target, holders = five_communities
    [title] = titled(holders[:1], programs.green_community, D(2021, 6, 1))
    Title.objects.filter(pk=title.pk).update(status=Title.Status.REVOKED, status_changed_on=D(2022, 5, 1))
    coverage = Coverage(target)
    assert coverage.figures(world.furong, on=D(2022, 4, 30)).covered == 1
    assert coverage.figures(world.furong, on=D(2022, 5, 1)).covered == 0
    assert coverage.figures(world.furong, on=D(2021, 5, 31)).covered == 0  # not yet named


def test_an_expired_title_stops_counting_after_its_last_valid_day(world, programs, five_communities):
    target, holders = five_communities
    titled(holders[:2], programs.green_community, D(2017, 12, 20), valid_until=D(2022, 12, 19))
    Title.objects.filter(unit=holders[1]).update(
        status=Title.Status.EXPIRED, status_changed_on=D(2022, 12, 20)
    )
    coverage = Coverage(target)
    assert coverage.figures(world.furong, on=D(2022, 12, 19)).covered == 2
    assert coverage.figures(world.furong, on=D(2022, 12, 20)).covered == 0


def test_a_unit_under_rectification_still_counts(world, programs, five_communities):
    target, holders = five_communities
    titled(holders[:3], programs.green_community, D(2021, 6, 1))
    Title.objects.filter(unit=holders[0]).update(
        status=Title.Status.UNDER_RECTIFICATION, status_changed_on=D(2022, 3, 1)
    )
    board = dashboard(world.user("furong"), target, world.furong, as_of=D(2022, 12, 31))
    assert board.headline.figures == Figures(eligible=6, covered=3, rectifying=1)
    assert status_of(board.headline) == Status.BEHIND  # 50% < 60% on the due date


def test_inactive_units_and_other_kinds_are_not_eligible(world, programs, five_communities):
    target, holders = five_communities
    Unit.objects.filter(pk=holders[0].pk).update(is_active=False)
    units(world.furong_street, 3, kind=Unit.Kind.SCHOOL)
    assert Coverage(target).figures(world.furong, on=D(2022, 1, 1)).eligible == 5


def test_the_trend_counts_each_year_end_and_the_day_shown(world, programs, five_communities):
    target, holders = five_communities
    titled(holders[:1], programs.green_community, D(2021, 6, 1))
    titled(holders[1:3], programs.green_community, D(2022, 6, 1))
    titled(holders[3:4], programs.green_community, D(2024, 2, 1))
    board = dashboard(world.user("furong"), target, world.furong, as_of=D(2024, 3, 1))
    assert [(p.on, p.figures.covered) for p in board.trend] == [
        (D(2020, 12, 31), 0),
        (D(2021, 12, 31), 1),
        (D(2022, 12, 31), 3),
        (D(2023, 12, 31), 3),
        (D(2024, 3, 1), 4),
    ]
    assert [p.status for p in board.trend] == ["on_track", "behind", "behind", "missed", "met"]


def test_the_sector_view_groups_units_by_their_sector_authority(world, programs, five_communities):
    target, holders = five_communities
    civil = Department.objects.create(name="芙蓉区民政局", region=world.furong, is_sector_authority=True)
    Unit.objects.filter(pk__in=[u.pk for u in holders[:2]]).update(sector=civil)
    titled(holders[:2], programs.green_community, D(2021, 6, 1))
    board = dashboard(world.user("furong"), target, world.furong, as_of=D(2022, 12, 31))
    sectors = {row.sector_id: row for row in board.sectors}
    assert sectors[civil.pk].figures == Figures(eligible=2, covered=2, rectifying=0)
    assert status_of(sectors[civil.pk]) == Status.MET
    assert sectors[None].figures.eligible == 4
    assert status_of(sectors[None]) == Status.BEHIND  # none of 4, due today


def test_the_unit_list_tells_covered_units_and_their_title(world, programs, five_communities):
    target, holders = five_communities
    titled(holders[:1], programs.green_community, D(2021, 6, 1), document_number="芙蓉创绿〔2021〕1号")
    rows = Coverage(target).units(world.furong, on=D(2022, 1, 1))
    values = rows.values("pk", "is_covered", "title_program", "title_named_on")  # type: ignore[misc]  # annotations
    listed = {row["pk"]: row for row in values}
    assert len(listed) == 6
    assert listed[holders[0].pk] == {
        "pk": holders[0].pk,
        "is_covered": True,
        "title_program": "绿色社区",
        "title_named_on": D(2021, 6, 1),
    }
    assert listed[holders[1].pk]["is_covered"] is False


# --- the home page ------------------------------------------------------------------------------------------


def test_the_home_summary_shows_each_target_for_the_users_own_region(world, programs, community_world):
    target = seed_004_target(world)
    titled(community_world["furong_a"][:3], programs.green_community, D(2022, 5, 1))
    [furong] = targets_summary_for(world.user("furong"), today=D(2022, 6, 30))
    assert (furong.target, furong.region) == (target, world.furong)
    assert furong.figures.covered == 3
    [city] = targets_summary_for(world.user("city"), today=D(2022, 6, 30))
    assert city.region == world.city
    assert targets_summary_for(world.user("tianxin_unit"), today=D(2022, 6, 30)) == []
    assert targets_summary_for(world.user("outsider"), today=D(2022, 6, 30)) == []


# --- the cached grid is never stale (targets/caching.py) ------------------------------------------------------


def test_the_grid_is_read_from_the_cache_until_the_registry_changes(
    world, programs, five_communities, django_assert_num_queries
):
    target, holders = five_communities
    [title] = titled(holders[:1], programs.green_community, D(2021, 6, 1))
    coverage = Coverage(target)
    assert coverage.figures(world.furong, on=D(2022, 6, 1)).covered == 1
    with django_assert_num_queries(0):  # the same question again: from the cache
        assert coverage.figures(world.furong, on=D(2022, 6, 1)).covered == 1
    # A revocation through the title lifecycle shows at once.
    revoke(title=title, by=None, on=D(2022, 5, 1), reason="重大污染事故", document_number="芙环〔2022〕5号")
    assert coverage.figures(world.furong, on=D(2022, 6, 1)).covered == 0
    # So does a title recorded with the ORM, and a unit taken off the list.
    Title.objects.create(unit=holders[1], program=programs.green_community, year=2021, named_on=D(2021, 7, 1))
    assert coverage.figures(world.furong, on=D(2022, 6, 1)).covered == 1
    assert coverage.figures(world.furong, on=D(2022, 6, 1)).eligible == 6  # the world's 识字岭 too
    holders[4].is_active = False
    holders[4].save()
    assert coverage.figures(world.furong, on=D(2022, 6, 1)).eligible == 5
