"""The private ICS feed, read back with `icalendar.Calendar.from_ical` (an RFC 5545 parser)."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from lvchuang.agenda.events import events_for
from lvchuang.agenda.models import FeedToken
from lvchuang.agenda.services import feed_token_for, reset_feed_key
from lvchuang.agenda.tests.conftest import TODAY


def _feed(key: str) -> Any:
    return Client().get(reverse("agenda:feed", kwargs={"key": key}))


def _parsed(aw, who: str) -> tuple[Calendar, list[Any]]:
    token = feed_token_for(aw.user(who))
    response = _feed(token.key)
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    return calendar, list(calendar.walk("VEVENT"))


def test_it_serves_the_users_events_as_a_calendar_without_a_session(aw) -> None:
    token = feed_token_for(aw.user("furong"))
    response = _feed(token.key)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//lvchuang//")
    assert str(calendar["X-WR-CALNAME"]) == "绿创日程 · furong"
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    assert b"X-PUBLISHED-TTL:PT6H" in response.content


def test_the_feed_holds_every_event_from_sixty_days_ago_to_four_hundred_ahead(aw) -> None:
    _calendar, vevents = _parsed(aw, "furong")
    expected = events_for(
        aw.user("furong"),
        start=TODAY - datetime.timedelta(days=60),
        end=TODAY + datetime.timedelta(days=400),
        today=TODAY,
    )
    assert len(vevents) == len(expected)
    assert len(vevents) > 15
    assert [str(v["UID"]) for v in vevents] == [e.uid for e in expected]
    assert len({str(v["UID"]) for v in vevents}) == len(vevents)


def test_each_event_is_a_whole_day_with_its_summary_link_and_category(aw) -> None:
    _calendar, vevents = _parsed(aw, "furong")
    by_uid = {str(v["UID"]): v for v in vevents}
    batch = by_uid[f"deadline-{aw.campaign.pk}-batch-office@lvchuang"]
    start = batch.decoded("DTSTART")
    assert type(start) is datetime.date  # VALUE=DATE, not a date-time
    assert start == datetime.date(2026, 9, 30)
    assert batch.decoded("DTEND") == datetime.date(2026, 10, 1)
    assert str(batch["SUMMARY"]) == f"报送申报表截止 · {aw.campaign.name}"
    url = f"http://testserver/campaigns/{aw.campaign.pk}/"
    assert str(batch["URL"]) == url
    description = str(batch["DESCRIPTION"])
    assert "即将到期" in description
    assert "申报表未报送：1 份已审核申报待报送" in description
    assert url in description
    assert [str(c) for c in batch["CATEGORIES"].cats] == ["deadline"]
    assert isinstance(batch.decoded("DTSTAMP"), datetime.datetime)


def test_chinese_text_survives_line_folding(aw) -> None:
    """RFC 5545 folds lines at 75 octets; a fold must not split a character."""
    _calendar, vevents = _parsed(aw, "leader")
    summaries = {str(v["SUMMARY"]) for v in vevents}
    assert "议定事项办结时限 · 2026年第二次领导小组会议 第 1 项" in summaries
    assert "公示截止 · 市级拟命名名单公示" in summaries
    item = next(v for v in vevents if str(v["UID"]) == f"agreed-item-{aw.city_item.pk}@lvchuang")
    assert "长沙市生态环境局：完成全市社区节能改造摸底" in str(item["DESCRIPTION"])


def test_the_feed_keeps_the_users_jurisdiction(aw) -> None:
    _calendar, vevents = _parsed(aw, "tianxin")
    summaries = " ".join(str(v["SUMMARY"]) for v in vevents)
    assert "市级拟命名名单公示" in summaries
    assert "芙蓉区" not in summaries
    _calendar, outsider = _parsed(aw, "outsider")
    assert outsider == []


def test_an_unknown_key_is_not_found(aw) -> None:
    assert _feed("no-such-key").status_code == 404


def test_replacing_the_key_turns_the_old_address_off(aw) -> None:
    user = aw.user("furong")
    old = feed_token_for(user).key
    token = reset_feed_key(by=user)
    assert token.key != old
    assert FeedToken.objects.get(user=user).key == token.key
    assert _feed(old).status_code == 404
    assert _feed(token.key).status_code == 200


def test_an_inactive_users_feed_is_not_found(aw) -> None:
    user = aw.user("furong")
    key = feed_token_for(user).key
    user.is_active = False
    user.save()
    assert _feed(key).status_code == 404


def test_the_feed_answers_only_get(aw) -> None:
    key = feed_token_for(aw.user("furong")).key
    assert Client().post(reverse("agenda:feed", kwargs={"key": key})).status_code == 405
