"""Spot checks through the service: reproducible, verifiable, risk-weighted, and they start the review."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from lvchuang.applications.models import Application, Status
from lvchuang.campaigns.services import create_campaign
from lvchuang.reviews import services
from lvchuang.reviews.tests.conftest import IN_ACCEPTANCE
from lvchuang.titles.models import Title


@pytest.fixture
def six(rw):
    return [rw.checked(rw.community(f"第{n}社区")) for n in range(6)]


def test_it_draws_the_same_sample_from_the_same_seed_and_says_it_verifies(rw, six) -> None:
    city = rw.user("city")
    first = services.draw_spot_check(
        by=city, campaign=rw.campaign, size=2, weighted=False, seed="2026-10-15", today=IN_ACCEPTANCE
    )
    second = services.draw_spot_check(
        by=city, campaign=rw.campaign, size=2, weighted=False, seed="2026-10-15", today=IN_ACCEPTANCE
    )
    assert first.sample == second.sample
    assert len(first.sample) == 2
    assert first.population == [[str(a.pk), 1.0] for a in six]
    assert services.verify_spot_check(first).matches
    drawn = Application.objects.filter(pk__in=[int(k) for k in first.sample])
    assert set(drawn.values_list("status", flat=True)) == {Status.UNDER_REVIEW}
    event = drawn[0].events.get(action="start_review")
    assert "2026-10-15" in event.comment


def test_it_detects_a_record_whose_population_was_changed(rw, six) -> None:
    spot_check = services.draw_spot_check(
        by=rw.user("city"), campaign=rw.campaign, size=2, weighted=False, seed="s", today=IN_ACCEPTANCE
    )
    key = next(k for k, _w in spot_check.population if k not in spot_check.sample)
    spot_check.population = [[k, 100.0 if k == key else w] for k, w in spot_check.population]
    verification = services.verify_spot_check(spot_check)
    assert not verification.matches
    assert key in verification.redrawn


def test_a_different_population_changes_the_sample(rw, six) -> None:
    """The population is part of the record: with more applications, the same seeds draw other samples. (Any one
    seed may by chance draw the same three again; over eight seeds they cannot all.)"""
    city = rw.user("city")
    seeds = [f"x{n}" for n in range(8)]

    def samples() -> list[list[str]]:
        return [
            services.draw_spot_check(
                by=city, campaign=rw.campaign, size=3, weighted=False, seed=seed, today=IN_ACCEPTANCE
            ).sample
            for seed in seeds
        ]

    before = samples()
    for n in range(4):
        rw.checked(rw.community(f"新{n}社区"))
    after = samples()
    assert all(len(spot.population) == 10 for spot in rw.campaign.spot_checks.all()[: len(seeds)])
    assert before != after


def test_risk_weighting_makes_a_rectified_unit_and_a_score_jump_likelier(rw, six) -> None:
    rectified, jumper = six[0], six[1]
    Title.objects.filter(unit=rectified.unit).update(status_reason="2025 年整改后保留称号")
    # The jumper applied to last year's campaign of the same program with 60 points; 90 now is a 30-point jump.
    last_year = create_campaign(
        by=rw.user("city"), program=rw.cw.program, year=2025, office=rw.world.city_office
    )
    Application.objects.create(
        campaign=last_year, unit=jumper.unit, status=Status.REJECTED, self_score=Decimal(60)
    )
    city = rw.user("city")
    weighted = services.draw_spot_check(
        by=city, campaign=rw.campaign, size=1, weighted=True, seed="w0", today=IN_ACCEPTANCE
    )
    weights = dict(weighted.population)
    assert weights[str(rectified.pk)] == 3.0
    assert weights[str(jumper.pk)] == 3.0
    assert {w for k, w in weights.items() if k not in (str(rectified.pk), str(jumper.pk))} == {1.0}
    # Over forty fixed seeds the two risky applications (2 of 6) are drawn far more often weighted than not.
    seeds = [f"seed-{n}" for n in range(40)]
    risky = {str(rectified.pk), str(jumper.pk)}
    from lvchuang.lib.sampling import Candidate, draw

    plain = [Candidate(k, 1.0) for k in weights]
    heavy = [Candidate(k, w) for k, w in weights.items()]
    plain_hits = sum(draw(plain, 1, s)[0] in risky for s in seeds)
    heavy_hits = sum(draw(heavy, 1, s)[0] in risky for s in seeds)
    assert heavy_hits > plain_hits


def test_only_the_issuing_office_draws(rw, six) -> None:
    for name in ("furong", "reviewer", "outsider"):
        with pytest.raises(PermissionDenied):
            services.draw_spot_check(
                by=rw.user(name), campaign=rw.campaign, size=1, weighted=False, today=IN_ACCEPTANCE
            )
    assert not rw.campaign.spot_checks.exists()


def test_a_draw_outside_the_review_window_is_refused_and_nothing_is_recorded(rw, six) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.draw_spot_check(
            by=rw.user("city"),
            campaign=rw.campaign,
            size=1,
            weighted=False,
            today=datetime.date(2026, 12, 20),
        )
    assert not rw.campaign.spot_checks.exists()
