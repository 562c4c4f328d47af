"""The calendar API: the events of a range and the feed address."""

from __future__ import annotations

import datetime

import pytest
from rest_framework.test import APIClient

from lvchuang.agenda.models import FeedToken

EVENTS = "/api/agenda/events/"
FEED_KEY = "/api/agenda/feed-key/"


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_it_lists_the_users_events_in_a_range(aw) -> None:
    response = api_for(aw.user("furong")).get(EVENTS, {"start": "2026-09-01", "end": "2026-09-30"})
    assert response.status_code == 200
    events = response.json()
    assert [e["on"] for e in events] == sorted(e["on"] for e in events)
    batch = next(e for e in events if e["kind"] == "deadline")
    assert batch == {
        "on": "2026-09-30",
        "kind": "deadline",
        "kind_label": "办理期限",
        "title": f"报送申报表截止 · {aw.campaign.name}",
        "detail": "申报表未报送：1 份已审核申报待报送",
        "url": f"http://testserver/campaigns/{aw.campaign.pk}/",
        "uid": f"deadline-{aw.campaign.pk}-batch-office@lvchuang",
        "state": "approaching",
        "state_label": "即将到期",
    }
    assert all(e["on"] <= "2026-09-30" for e in events)


def test_the_sibling_district_and_an_outsider_get_nothing_of_furong(aw) -> None:
    query = {"start": "2026-09-01", "end": "2026-10-31"}
    tianxin = api_for(aw.user("tianxin")).get(EVENTS, query).json()
    assert tianxin
    assert not any("芙蓉区" in e["title"] or "芙蓉区" in e["detail"] for e in tianxin)
    assert api_for(aw.user("outsider")).get(EVENTS, query).json() == []


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "2026-01-01", "end": "2027-02-06"}, "end", "查询范围最长 400 天"),
        ({"start": "2026-09-30", "end": "2026-09-01"}, "end", "结束日期不能早于开始日期"),
        ({"start": "2026-09-31", "end": "2026-10-01"}, "start", ""),
        ({"end": "2026-10-01"}, "start", ""),
    ],
)
def test_it_refuses_a_bad_range_clearly(aw, query, field, message) -> None:
    response = api_for(aw.user("furong")).get(EVENTS, query)
    assert response.status_code == 400
    errors = response.json()
    assert field in errors
    assert message in " ".join(errors[field])


def test_a_range_of_exactly_four_hundred_days_is_allowed(aw) -> None:
    start = datetime.date(2026, 1, 1)
    end = start + datetime.timedelta(days=400)
    response = api_for(aw.user("furong")).get(EVENTS, {"start": start.isoformat(), "end": end.isoformat()})
    assert response.status_code == 200


def test_an_anonymous_visitor_is_refused(aw) -> None:
    assert APIClient().get(EVENTS, {"start": "2026-09-01", "end": "2026-09-30"}).status_code in (401, 403)
    assert APIClient().post(FEED_KEY).status_code in (401, 403)


def test_it_shows_and_replaces_the_feed_address(aw) -> None:
    user = aw.user("furong")
    client = api_for(user)
    shown = client.get(FEED_KEY)
    assert shown.status_code == 200
    old = FeedToken.objects.get(user=user).key
    assert shown.json() == {"feed_url": f"http://testserver/agenda/feed/{old}.ics"}
    replaced = client.post(FEED_KEY)
    assert replaced.status_code == 201
    new = FeedToken.objects.get(user=user).key
    assert new != old
    assert replaced.json() == {"feed_url": f"http://testserver/agenda/feed/{new}.ics"}
    assert APIClient().get(f"/agenda/feed/{old}.ics").status_code == 404
    assert APIClient().get(f"/agenda/feed/{new}.ics").status_code == 200
