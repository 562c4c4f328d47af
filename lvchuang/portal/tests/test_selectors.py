"""The registry as the public reads it: one rule for the status of the day, and the search."""

from __future__ import annotations

import datetime

import pytest

from lvchuang.portal import selectors
from lvchuang.portal.tests.conftest import TODAY, Registry
from lvchuang.titles.models import Title

Status = Title.Status


def _status_of(title: Title, today: datetime.date) -> selectors.PublicStatus:
    return selectors.public_status(selectors.public_titles(today=today).get(pk=title.pk))


@pytest.mark.parametrize(
    ("stored", "valid_until", "expected"),
    [
        (Status.VALID, datetime.date(2026, 6, 15), Status.VALID),  # the last day of validity still counts
        (Status.VALID, datetime.date(2026, 6, 14), Status.EXPIRED),
        (Status.VALID, None, Status.VALID),
        (Status.UNDER_RECTIFICATION, datetime.date(2026, 6, 14), Status.EXPIRED),
        (Status.UNDER_RECTIFICATION, datetime.date(2027, 1, 1), Status.UNDER_RECTIFICATION),
        (Status.REVOKED, datetime.date(2026, 6, 14), Status.REVOKED),
        (Status.EXPIRED, datetime.date(2026, 6, 14), Status.EXPIRED),
    ],
)
def test_it_shows_the_status_of_the_day(registry: Registry, stored, valid_until, expected) -> None:
    Title.objects.filter(pk=registry.valid.pk).update(status=stored, valid_until=valid_until)
    assert _status_of(registry.valid, TODAY).code == expected
    assert set(selectors.search_titles({"status": expected}, today=TODAY)) >= {registry.valid}


def test_a_title_past_its_validity_reads_as_expired_with_the_reason_the_nightly_expiry_will_write(
    registry: Registry,
) -> None:
    status = _status_of(registry.lapsed, TODAY)
    assert (status.code, status.label) == (Status.EXPIRED, "已过期")
    assert status.reason == "有效期至 2025-12-19 届满"
    assert status.changed_on == datetime.date(2025, 12, 20)
    assert not status.in_force
    assert _status_of(registry.lapsed, datetime.date(2025, 12, 19)).code == Status.VALID


def test_a_revoked_title_gives_its_public_reason_and_date(registry: Registry) -> None:
    status = _status_of(registry.revoked, TODAY)
    assert (status.code, status.reason, status.changed_on) == (
        Status.REVOKED,
        "发生重大环境污染事故",
        datetime.date(2026, 3, 1),
    )


def test_a_title_under_rectification_is_still_in_force(registry: Registry) -> None:
    assert _status_of(registry.rectifying, TODAY).in_force


def _search(**filters: object) -> set[Title]:
    return set(selectors.search_titles(filters, today=TODAY))  # type: ignore[arg-type]


def test_it_searches_by_region_program_level_year_status_and_name(registry: Registry) -> None:
    r = registry
    everything = {r.valid, r.revoked, r.lapsed, r.rectifying}
    assert _search() == everything
    assert _search(region="430102") == {r.valid, r.rectifying}
    assert _search(region="430103002") == {r.revoked, r.lapsed}
    assert _search(program="district-energy-saving-community") == {r.lapsed, r.rectifying}
    assert _search(level="city") == {r.valid, r.revoked}
    assert _search(year=2024) == {r.lapsed, r.rectifying}
    assert _search(status="valid") == {r.valid}
    assert _search(status="expired") == {r.lapsed}
    assert _search(q="第一中学") == {r.lapsed}
    assert _search(region="430103", level="city", status="revoked") == {r.revoked}


def test_the_region_choices_are_the_districts_and_streets_where_titles_are_held(registry: Registry) -> None:
    options = [(o.path, o.label) for o in selectors.region_options()]
    assert options == [
        ("430102", "芙蓉区"),
        ("430102001", "芙蓉区 · 文艺路街道"),
        ("430103", "天心区"),
        ("430103002", "天心区 · 坡子街街道"),
    ]


def test_a_place_reads_from_the_district_down(registry: Registry) -> None:
    places = selectors.place_names([registry.valid, registry.lapsed])
    assert places[registry.valid.unit.region.path] == "芙蓉区 文艺路街道 识字岭社区"
    assert places[registry.lapsed.unit.region.path] == "天心区 坡子街街道"


def test_it_groups_a_year_by_program_and_naming_document(registry: Registry) -> None:
    lists = selectors.named_lists(2024, today=TODAY)
    assert [(n.program.code, n.document_number, [t.unit.name for t in n.titles]) for n in lists] == [
        ("district-energy-saving-community", "天心区创建办〔2024〕5号", ["长沙市第一中学"]),
        ("district-energy-saving-community", "芙蓉区创建办〔2024〕3号", ["识字岭社区居委会"]),
    ]
    (city_list,) = selectors.named_lists(2025, today=TODAY)
    assert city_list.document_number == "长创建办〔2025〕9号"
    assert [t.unit.name for t in city_list.titles] == ["识字岭社区居委会", "西牌楼社区居委会"]
    assert city_list.demonstration_count == 1


def test_verification_reads_the_document_of_the_last_decision(registry: Registry) -> None:
    title = selectors.title_for_verification(" CS-2025-0002 ", today=TODAY)
    assert title is not None
    assert title.decision_document_number == "长创建办〔2026〕2号"  # type: ignore[attr-defined]
    assert selectors.title_for_verification("CS-2025-9999", today=TODAY) is None
    assert selectors.title_for_verification("", today=TODAY) is None


def test_the_home_counts_titles_in_force_today(registry: Registry) -> None:
    counts = selectors.registry_counts(today=TODAY)
    assert (counts.in_force, counts.demonstration, counts.units) == (2, 1, 1)
