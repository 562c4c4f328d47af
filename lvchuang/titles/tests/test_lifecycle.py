"""The title lifecycle (`titles/lifecycle.py`): the allowed changes, their events, refusals and expiry."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from lvchuang.titles import lifecycle
from lvchuang.titles.models import Title, TitleEvent

ON = datetime.date(2027, 5, 10)


def _events(title: Title) -> list[tuple[str, str, str, str]]:
    return list(
        TitleEvent.objects.filter(title=title)
        .order_by("on", "pk")
        .values_list("from_status", "to_status", "reason", "document_number")
    )


def test_rectification_holds_the_title_and_acceptance_makes_it_valid_again(title, campaign_world):
    city = campaign_world.user("city")
    lifecycle.start_rectification(title=title, by=city, on=ON, reason="复查不合格：垃圾分类台账缺失")
    title.refresh_from_db()
    assert (title.status, title.status_changed_on) == (Title.Status.UNDER_RECTIFICATION, ON)
    lifecycle.end_rectification(
        title=title, by=city, on=ON + datetime.timedelta(days=30), reason="整改验收合格"
    )
    title.refresh_from_db()
    assert title.status == Title.Status.VALID
    assert [row[:2] for row in _events(title)] == [
        ("", "valid"),
        ("valid", "under_rectification"),
        ("under_rectification", "valid"),
    ]


def test_a_revocation_needs_the_deciding_document(title):
    with pytest.raises(ValidationError, match="文号"):
        lifecycle.revoke(title=title, by=None, on=ON, reason="发生重大污染事故", document_number=" ")
    title.refresh_from_db()
    assert title.status == Title.Status.VALID


def test_a_change_needs_a_public_reason(title):
    with pytest.raises(ValidationError, match="原因"):
        lifecycle.revoke(title=title, by=None, on=ON, reason="  ", document_number="长创绿办〔2027〕3号")


def test_a_revocation_in_error_is_undone_with_the_correcting_document(title):
    lifecycle.revoke(
        title=title, by=None, on=ON, reason="发生重大污染事故", document_number="长创绿办〔2027〕3号"
    )
    with pytest.raises(ValidationError, match="文号"):
        lifecycle.reinstate_revoked(title=title, by=None, on=ON, reason="事故系误报", document_number="")
    lifecycle.reinstate_revoked(
        title=title, by=None, on=ON, reason="事故系误报", document_number="长创绿办〔2027〕5号"
    )
    title.refresh_from_db()
    assert title.status == Title.Status.VALID
    assert _events(title)[-2:] == [
        ("valid", "revoked", "发生重大污染事故", "长创绿办〔2027〕3号"),
        ("revoked", "valid", "事故系误报", "长创绿办〔2027〕5号"),
    ]


def test_only_a_revoked_title_can_be_reinstated(title):
    with pytest.raises(ValidationError, match="只有已撤销"):
        lifecycle.reinstate_revoked(title=title, by=None, on=ON, reason="x", document_number="y")


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Title.Status.EXPIRED, Title.Status.VALID),
        (Title.Status.EXPIRED, Title.Status.REVOKED),
        (Title.Status.REVOKED, Title.Status.UNDER_RECTIFICATION),
        (Title.Status.REVOKED, Title.Status.EXPIRED),
        (Title.Status.VALID, Title.Status.VALID),
    ],
)
def test_the_lifecycle_refuses_changes_it_does_not_draw(title, start, to):
    Title.objects.filter(pk=title.pk).update(status=start)
    with pytest.raises(ValidationError, match="不能改为"):
        lifecycle.change_status(title=title, to=to, on=ON, reason="测试", by=None)
    assert Title.objects.get(pk=title.pk).status == start


def test_expiry_ends_titles_the_day_after_their_last_valid_day(title):
    assert title.valid_until == datetime.date(2031, 12, 19)
    assert lifecycle.expire_due(today=datetime.date(2031, 12, 19)) == 0
    assert lifecycle.expire_due(today=datetime.date(2031, 12, 20)) == 1
    title.refresh_from_db()
    assert (title.status, title.status_changed_on) == (Title.Status.EXPIRED, datetime.date(2031, 12, 20))
    assert _events(title)[-1][:3] == ("valid", "expired", "有效期至 2031-12-19 届满")
    assert lifecycle.expire_due(today=datetime.date(2032, 1, 1)) == 0


def test_a_title_under_rectification_expires_too_but_a_title_without_a_term_never(title, paper_title):
    lifecycle.start_rectification(title=title, by=None, on=ON, reason="复查不合格")
    assert paper_title.valid_until is None
    assert lifecycle.expire_due(today=datetime.date(2040, 1, 1)) == 1
    assert Title.objects.get(pk=title.pk).status == Title.Status.EXPIRED
    assert Title.objects.get(pk=paper_title.pk).status == Title.Status.VALID


def test_a_leap_day_naming_ends_on_the_day_before_the_anniversary(campaign_world):
    program = campaign_world.program
    program.validity_years = 5
    assert lifecycle.valid_until_for(program, datetime.date(2028, 2, 29)) == datetime.date(2033, 2, 27)
    program.validity_years = None
    assert lifecycle.valid_until_for(program, datetime.date(2028, 2, 29)) is None
