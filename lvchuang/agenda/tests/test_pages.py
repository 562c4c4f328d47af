"""The calendar page: the month grid, the list, holidays, the feed address and replacing it."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from lvchuang.agenda.models import FeedToken
from lvchuang.campaigns.models import Stage
from lvchuang.notices.models import DayOverride

CALENDAR = reverse("agenda:calendar")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_shows_this_month_with_its_events(aw) -> None:
    response = client_for(aw.user("furong")).get(CALENDAR)
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026 年 9 月" in page
    assert "报送申报表截止" in page
    assert "公示截止 · 芙蓉区拟命名名单公示" in page
    assert "议定事项办结时限 · 芙蓉区第一次联席会议 第 1 项" in page
    assert 'aria-current="date"' in page  # today, 25 September
    assert "周一" in page
    assert page.index("周一") < page.index("周日")  # Monday first


def test_it_marks_overdue_and_approaching_events(aw) -> None:
    aw.district_item.due_on = datetime.date(2026, 9, 21)
    aw.district_item.save()
    page = client_for(aw.user("furong")).get(CALENDAR).content.decode()
    assert "kind-item state-overdue" in page
    assert '<span class="badge badge-failed">已逾期</span>' in page
    assert "kind-deadline state-approaching" in page  # the 申报表 due on 30 September
    assert '<span class="badge badge-missing">即将到期</span>' in page
    assert "kind-stage state" not in page  # a stage is a date, not a duty


def test_the_sibling_district_sees_nothing_of_its_neighbour(aw) -> None:
    page = client_for(aw.user("tianxin")).get(CALENDAR).content.decode()
    assert "市级拟命名名单公示" in page
    assert "芙蓉区" not in page.split('id="subscribe"')[0]


def test_it_moves_between_months_and_marks_holidays_and_make_up_days(aw) -> None:
    furong = client_for(aw.user("furong"))
    page = furong.get(CALENDAR, {"month": "2026-10"}).content.decode()
    assert "2026 年 10 月" in page
    assert "?month=2026-09" in page
    assert "?month=2026-11" in page
    assert "国庆节" in page
    assert "调休上班" in page  # Saturday 10 October 2026 is a working day
    assert "整改期限 · 识字岭社区居委会" in page  # due 1 October
    assert "回到本月" in page


def test_an_administrators_day_override_names_the_day(aw) -> None:
    DayOverride.objects.create(date=datetime.date(2027, 1, 1), is_workday=False, name="元旦")
    DayOverride.objects.create(date=datetime.date(2027, 1, 9), is_workday=True, name="元旦调休上班")
    page = client_for(aw.user("furong")).get(CALENDAR, {"month": "2027-01"}).content.decode()
    assert 'title="元旦"' in page
    assert "is-makeup" in page


def test_a_malformed_month_shows_this_month_with_an_error(aw) -> None:
    response = client_for(aw.user("furong")).get(CALENDAR, {"month": "2026-13"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "月份格式应为" in page
    assert "2026 年 9 月" in page


def test_htmx_gets_only_the_month(aw) -> None:
    response = client_for(aw.user("furong")).get(CALENDAR, {"month": "2026-10"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="agenda-month"')
    assert "订阅日程" not in page
    assert "HX-Request" in response["Vary"]


def test_it_lists_the_months_events_below_the_grid(aw) -> None:
    page = client_for(aw.user("city")).get(CALENDAR).content.decode()
    listed = page.split('id="month-events-title"')[1]
    assert "收取报送 · 区年度创建工作计划" in listed
    assert "公示截止 · 市级拟命名名单公示" in listed
    assert "验收评审阶段开始" not in listed  # 1 October: in the grid's last week, not in the month's list


def test_an_outsider_sees_an_empty_calendar(aw) -> None:
    response = client_for(aw.user("outsider")).get(CALENDAR)
    assert response.status_code == 200
    assert "本月没有需要关注的日期" in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(aw) -> None:
    response = Client().get(CALENDAR)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- the feed address ---------------------------------------------------------------------------------------


def test_the_first_visit_makes_the_feed_address_and_shows_it_absolute(aw) -> None:
    user = aw.user("furong")
    assert not FeedToken.objects.filter(user=user).exists()
    page = client_for(user).get(CALENDAR).content.decode()
    token = FeedToken.objects.get(user=user)
    assert f"http://testserver/agenda/feed/{token.key}.ics" in page
    client_for(user).get(CALENDAR)
    assert FeedToken.objects.filter(user=user).count() == 1


def test_replacing_the_feed_address_turns_the_old_one_off(aw) -> None:
    user = aw.user("furong")
    client = client_for(user)
    client.get(CALENDAR)
    old = FeedToken.objects.get(user=user).key
    response = client.post(reverse("agenda:feed_key_reset"), {"month": "2026-10"})
    assert response.status_code == 302
    assert response["Location"] == f"{CALENDAR}?month=2026-10#subscribe"
    new = FeedToken.objects.get(user=user).key
    assert new != old
    assert Client().get(reverse("agenda:feed", kwargs={"key": old})).status_code == 404
    assert Client().get(reverse("agenda:feed", kwargs={"key": new})).status_code == 200
    page = client.get(response["Location"]).content.decode()
    assert "已更换订阅地址" in page
    assert new in page


def test_replacing_takes_only_a_post(aw) -> None:
    assert client_for(aw.user("furong")).get(reverse("agenda:feed_key_reset")).status_code == 405


# --- queries ------------------------------------------------------------------------------------------------


# Session, user, jurisdiction; stages; deadlines (assignments, open campaigns with stages and overrides, one
# count per role); notices; orders; submissions (C's selectors); agreed items; day overrides; the feed token.
PAGE_QUERIES = {
    "furong": 21,
    "city": 19,
    "leader": 16,
    "unit": 21,
    "outsider": 9,
}  # leader: + the menu asks whether they are a liaison


@pytest.mark.parametrize(("who", "expected"), PAGE_QUERIES.items())
def test_the_month_costs_the_same_queries_however_many_events_it_shows(
    aw, who, expected, django_assert_num_queries
) -> None:
    client = client_for(aw.user(who))
    client.get(CALENDAR)  # the feed token exists from here on
    with django_assert_num_queries(expected):
        client.get(CALENDAR)
    for number in range(10):
        Stage.objects.create(
            campaign=aw.campaign,
            name=f"补充阶段{number}",
            starts_on=datetime.date(2026, 9, 2 + number),
            ends_on=datetime.date(2026, 9, 14 + number),
        )
    with django_assert_num_queries(expected):
        page = client.get(CALENDAR).content.decode()
    assert ("补充阶段9截止" in page) is (who != "outsider")
