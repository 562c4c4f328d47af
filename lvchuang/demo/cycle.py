"""The demo's campaign year, in the order it happened: titles recorded from paper, last year's district campaigns
named after their public notice, this year's city campaign under review, this year's 芙蓉区 campaign ranked and on
notice today, and this year's supervision of the holders (demo.campaigns builds the applications and reviews,
demo.after_review the notices, namings and supervision); then the organs' resource ledgers of the past years
(demo.ledgers)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from lvchuang.applications.models import Application
from lvchuang.campaigns.models import Campaign, Program
from lvchuang.demo import after_review, ledgers, progress
from lvchuang.demo.campaigns import (
    CITY_PROGRAM,
    DISTRICT_PROGRAM,
    Builder,
    Context,
    DemoCampaignReport,
    post_comments,
)
from lvchuang.organisations.models import Unit
from lvchuang.titles.lifecycle import add_years

NAMED_LAST_YEAR = 2  # the first two districts named their communities last year


def load_demo_cycle(ctx: Context, *, today: datetime.date | None = None) -> DemoCampaignReport:
    today = today or timezone.localdate()
    builder = Builder(ctx, today)
    communities = sorted(
        (
            u
            for u in ctx.units
            if u.kind == Unit.Kind.COMMUNITY and u.region.code[:6] + "000000" in ctx.district_offices
        ),
        key=lambda u: u.region.code,
    )
    if builder.admin is None or not communities:
        return builder.report
    city_program = Program.objects.get(code=CITY_PROGRAM)
    district_program = Program.objects.get(code=DISTRICT_PROGRAM)
    with transaction.atomic():
        if not Campaign.objects.filter(program=city_program, year=builder.year).exists():
            rng = ctx.rng("applicants")
            titled = [u for u in communities if rng.random() < 0.6]
            builder.record_past_titles(titled, district_program, city_program)
            builder.city_campaign(city_program, titled)
            codes = sorted(ctx.district_offices)
            offices = [ctx.district_offices[code] for code in codes[:NAMED_LAST_YEAR]]

            def untitled_in(code: str) -> list[Unit]:
                return [u for u in communities if u.region.code.startswith(code[:6]) and u not in titled]

            past = Builder(ctx, add_years(today, -1))
            decisions = after_review.name_last_year(
                past, district_program, offices, {o.pk: untitled_in(o.region.code) for o in offices}
            )
            for what, count in past.report.created.items():
                builder.report.add(f"last year: {what}", count)
            # New applicants first: last year's would bring last year's scores back.
            applied = set(
                Application.objects.filter(campaign__year=past.year).values_list("unit_id", flat=True)
            )
            candidates = sorted(untitled_in(codes[0]), key=lambda unit: unit.pk in applied)
            current = builder.district_campaign(district_program, offices[0], candidates)
            after_review.open_notice_today(builder, current)
            after_review.supervise(builder, offices[0], district_program, decisions)
        post_comments()
        progress.load_progress(
            builder, Campaign.objects.filter(program=city_program, year=builder.year).first()
        )
        ledgers.load_ledgers(builder)
    return builder.report
