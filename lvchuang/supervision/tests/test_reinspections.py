"""Re-inspections (回头看): a reproducible, verifiable, optionally risk-weighted sample of the titles in force in
the office's region, or every holder named against another version of the standard."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lvchuang.campaigns.models import Program
from lvchuang.campaigns.services import create_campaign
from lvchuang.standards.services import copy_version, publish_version
from lvchuang.supervision import services
from lvchuang.supervision.models import Inspection, RectificationOrder, Reinspection
from lvchuang.supervision.tests.conftest import TODAY
from lvchuang.titles.models import Title


@pytest.fixture
def holders(sw):
    return [sw.holder(f"第{n}") for n in range(6)]


def test_it_draws_the_same_sample_from_the_same_seed_and_verifies_it(sw, holders) -> None:
    first = services.draw_sample(
        by=sw.user("furong"), reinspection=sw.reinspection(size=3), seed="2026-回头看"
    )
    second = services.draw_sample(
        by=sw.user("furong"), reinspection=sw.reinspection(size=3), seed="2026-回头看"
    )
    assert first.sample == second.sample
    assert len(first.sample) == 3
    assert first.seed == "2026-回头看"
    assert first.status == Reinspection.Status.DRAWN
    furong_titles = [sw.title_of(sw.world.furong_unit), *holders]
    assert first.population == [{"key": str(t.pk), "weight": 1.0} for t in furong_titles]
    assert services.verify_sample(first)
    assert sorted(first.inspections.values_list("title_id", flat=True)) == sorted(
        int(k) for k in first.sample
    )
    assert set(first.inspections.values_list("result", flat=True)) == {Inspection.Result.PENDING}


def test_verification_fails_when_the_stored_population_was_altered(sw, holders) -> None:
    reinspection = services.draw_sample(by=sw.user("furong"), reinspection=sw.reinspection(size=2), seed="s")
    key = next(row["key"] for row in reinspection.population if row["key"] not in reinspection.sample)
    reinspection.population = [
        {"key": row["key"], "weight": 1000.0 if row["key"] == key else row["weight"]}
        for row in reinspection.population
    ]
    assert not services.verify_sample(reinspection)
    assert key in services.redraw(reinspection)


def test_it_generates_and_stores_a_seed_when_none_is_given(sw, holders) -> None:
    reinspection = services.draw_sample(by=sw.user("furong"), reinspection=sw.reinspection())
    assert len(reinspection.seed) == 16
    assert services.verify_sample(reinspection)


def test_risk_weighting_gives_units_with_a_rectification_history_the_risk_factor(sw, holders) -> None:
    rectified = holders[0]
    RectificationOrder.objects.create(
        title=rectified,
        number="ZG2025-0001",
        requirements="补建台账",
        issued_on=TODAY.replace(year=2025),
        due_on=TODAY.replace(year=2025, month=4),
        status=RectificationOrder.Status.ACCEPTED,
    )
    weighted = sw.reinspection(risk_weighted=True, risk_factor=Decimal("4"))
    weights = {c.key: c.weight for c in services.population_of(weighted)}
    assert weights[str(rectified.pk)] == 4.0
    assert {w for key, w in weights.items() if key != str(rectified.pk)} == {1.0}
    plain = {c.weight for c in services.population_of(sw.reinspection())}
    assert plain == {1.0}
    drawn = services.draw_sample(by=sw.user("furong"), reinspection=weighted, seed="w")
    assert {"key": str(rectified.pk), "weight": 4.0} in drawn.population
    assert services.verify_sample(drawn)


def test_the_population_is_the_titles_in_force_of_the_program_in_the_offices_region(sw, holders) -> None:
    tianxin_title = sw.title_of(sw.world.tianxin_unit)
    Title.objects.filter(pk=holders[0].pk).update(status=Title.Status.REVOKED)
    Title.objects.filter(pk=holders[1].pk).update(status=Title.Status.UNDER_RECTIFICATION)
    Title.objects.filter(pk=holders[2].pk).update(status=Title.Status.EXPIRED)
    keys = {c.key for c in services.population_of(sw.reinspection())}
    assert str(tianxin_title.pk) not in keys
    assert str(holders[0].pk) not in keys
    assert str(holders[2].pk) not in keys
    assert str(holders[1].pk) in keys
    city_keys = {c.key for c in services.population_of(sw.reinspection(by="city"))}
    assert str(tianxin_title.pk) in city_keys
    assert keys <= city_keys


def test_a_standard_recheck_takes_every_holder_named_under_another_version(sw) -> None:
    old_campaign = create_campaign(
        by=sw.user("furong"), program=sw.program, year=2024, office=sw.world.furong_office
    )
    old_version = old_campaign.version
    new_version = publish_version(by=None, version=copy_version(by=None, version=old_version))
    new_campaign = create_campaign(
        by=sw.user("furong"),
        program=sw.program,
        year=2026,
        office=sw.world.furong_office,
        version=new_version,
    )
    named_under_old = sw.holder("旧标准", campaign=old_campaign)
    named_under_new = sw.holder("新标准", campaign=new_campaign)
    recorded_without_campaign = sw.title_of(sw.world.furong_unit)
    recheck = sw.reinspection(kind=Reinspection.Kind.STANDARD_RECHECK, version=new_version, size=0)
    drawn = services.draw_sample(by=sw.user("furong"), reinspection=recheck)
    assert sorted(drawn.sample, key=int) == sorted(
        [str(named_under_old.pk), str(recorded_without_campaign.pk)], key=int
    )
    assert str(named_under_new.pk) not in drawn.sample
    assert drawn.seed == ""
    assert services.verify_sample(drawn)
    assert drawn.inspections.count() == 2


def test_a_standard_recheck_needs_a_published_version_of_the_programs_standard(sw) -> None:
    with pytest.raises(ValidationError) as missing:
        sw.reinspection(kind=Reinspection.Kind.STANDARD_RECHECK, size=0)
    assert "version" in missing.value.error_dict
    other = Program.objects.exclude(standard=sw.program.standard).order_by("pk")[0]
    foreign = other.standard.versions.filter(status="published").latest("number")
    with pytest.raises(ValidationError) as wrong:
        sw.reinspection(kind=Reinspection.Kind.STANDARD_RECHECK, version=foreign, size=0)
    assert "评价标准" in str(wrong.value)
    draft = copy_version(
        by=None, version=sw.program.standard.versions.filter(status="published").latest("number")
    )
    with pytest.raises(ValidationError, match="已发布"):
        sw.reinspection(kind=Reinspection.Kind.STANDARD_RECHECK, version=draft, size=0)


def test_a_sample_needs_a_size_and_is_drawn_once(sw, holders) -> None:
    with pytest.raises(ValidationError):
        sw.reinspection(size=0)
    reinspection = services.draw_sample(by=sw.user("furong"), reinspection=sw.reinspection(), seed="a")
    with pytest.raises(ValidationError, match="已经抽取"):
        services.draw_sample(by=sw.user("furong"), reinspection=reinspection, seed="b")


def test_only_the_office_and_those_above_it_organise_and_run_a_reinspection(sw, holders) -> None:
    with pytest.raises(PermissionDenied):
        services.create_reinspection(
            by=sw.user("tianxin"),
            office=sw.world.furong_office,
            program=sw.program,
            year=2026,
            name="越权",
            kind="sample",
            sample_size=1,
        )
    reinspection = sw.reinspection()
    for name in ("tianxin", "unit", "street"):
        with pytest.raises(PermissionDenied):
            services.draw_sample(by=sw.user(name), reinspection=reinspection)
    services.draw_sample(by=sw.user("city"), reinspection=reinspection)


def test_a_district_office_does_not_reinspect_city_titles(sw) -> None:
    with pytest.raises(ValidationError, match="不负责管理"):
        services.create_reinspection(
            by=sw.user("furong"),
            office=sw.world.furong_office,
            program=sw.cw.program,
            year=2026,
            name="市级称号回头看",
            kind="sample",
            sample_size=1,
        )


def test_a_passed_inspection_changes_nothing_and_the_last_result_closes_the_reinspection(sw) -> None:
    holder = sw.holder("唯一")
    reinspection = services.draw_sample(by=sw.user("furong"), reinspection=sw.reinspection(size=5), seed="x")
    inspections = list(reinspection.inspections.order_by("pk"))
    assert len(inspections) == 2
    for inspection in inspections:
        services.record_inspection(
            by=sw.user("furong"),
            inspection=inspection,
            result="passed",
            inspected_on=TODAY,
            findings="",
            score=Decimal("92"),
            today=TODAY,
        )
    reinspection.refresh_from_db()
    assert reinspection.status == Reinspection.Status.CLOSED
    holder.refresh_from_db()
    assert holder.status == Title.Status.VALID
    assert not RectificationOrder.objects.exists()
    with pytest.raises(ValidationError):
        services.record_inspection(
            by=sw.user("furong"), inspection=inspections[0], result="failed", inspected_on=TODAY, findings="x"
        )


def test_closing_with_pending_inspections_needs_a_reason(sw, holders) -> None:
    reinspection = services.draw_sample(by=sw.user("furong"), reinspection=sw.reinspection(), seed="c")
    with pytest.raises(ValidationError, match="说明原因"):
        services.close_reinspection(by=sw.user("furong"), reinspection=reinspection)
    closed = services.close_reinspection(
        by=sw.user("furong"), reinspection=reinspection, note="一家单位的称号已过期"
    )
    assert closed.status == Reinspection.Status.CLOSED
    assert "已过期" in closed.notes
