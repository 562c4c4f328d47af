"""/audit/ and /audit/export.csv: who changed what in my subtree, filtered, and the same rows for Excel."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone

from lvchuang.audit.models import AuditEntry
from lvchuang.organisations.services import update_unit
from lvchuang.web.tests.helpers import queries_for


def edit(world):
    update_unit(
        by=world.user("unit"),
        unit=world.furong_unit,
        changes={"energy_headcount": 12, "contact_name": "李明"},
    )
    update_unit(by=world.user("tianxin"), unit=world.school, changes={"sector": None})


def objects(response):
    return [item.entry.object_repr for item in response.context["entries"]]


def test_it_lists_changes_with_who_when_and_before_after(client, world):
    edit(world)
    client.force_login(world.user("furong"))
    response = client.get("/audit/")
    assert response.status_code == 200
    newest = response.context["entries"][0]
    assert newest.entry.actor == world.user("unit")
    assert newest.url == f"/organisations/units/{world.furong_unit.pk}/"
    assert [(str(c.label), str(c.before), c.after) for c in newest.changes] == [
        ("用能人数", "（空）", "12"),
        ("联系人", "（空）", "李明"),
    ]
    body = response.content.decode()
    assert "创建单位" in body  # the kind of object
    assert "修改" in body


def test_it_shows_related_objects_by_name(client, world):
    edit(world)
    client.force_login(world.user("tianxin"))
    newest = client.get("/audit/").context["entries"][0]
    assert [(str(c.label), c.before, str(c.after)) for c in newest.changes] == [
        ("主管部门", "长沙市教育局", "（空）")
    ]


def test_it_shows_a_district_nothing_of_its_sibling(client, world):
    edit(world)
    client.force_login(world.user("furong"))
    seen = objects(client.get("/audit/"))
    assert "识字岭社区居委会" in seen
    assert "长沙市第一中学" not in seen
    assert "西牌楼社区居委会" not in seen


def test_it_shows_the_city_both_districts(client, world):
    edit(world)
    client.force_login(world.user("city"))
    seen = objects(client.get("/audit/"))
    assert {"识字岭社区居委会", "长沙市第一中学", "西牌楼社区居委会"} <= set(seen)


def test_it_filters_by_type_actor_action_object_and_dates(client, world):
    edit(world)
    client.force_login(world.user("city"))
    assert set(objects(client.get("/audit/", {"actor": "tianxin"}))) == {"长沙市第一中学"}
    assert set(objects(client.get("/audit/", {"model": "organisations.unit", "action": 1}))) == {
        "识字岭社区居委会",
        "长沙市第一中学",
    }
    only_units = {"object": "西牌楼", "model": "organisations.unit"}
    assert set(objects(client.get("/audit/", only_units))) == {"西牌楼社区居委会"}
    choices = client.get("/audit/").context["form"].fields["model"].choices
    assert "organisations.office" in [value for value, _label in choices]
    today = timezone.localdate()
    assert (
        len(objects(client.get("/audit/", {"date_from": today.isoformat(), "date_to": today.isoformat()})))
        > 0
    )
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    assert objects(client.get("/audit/", {"date_from": tomorrow})) == []


def test_it_explains_an_impossible_date_range(client, world):
    client.force_login(world.user("city"))
    response = client.get("/audit/", {"date_from": "2025-05-02", "date_to": "2025-05-01"})
    assert "结束日期不能早于开始日期" in response.content.decode()


def test_it_exports_the_same_rows_as_csv_that_excel_reads(client, world):
    edit(world)
    client.force_login(world.user("furong"))
    response = client.get("/audit/export.csv", {"actor": "unit"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="lvchuang-audit-')
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())  # the BOM tells Excel it is UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["时间", "操作人", "用户名", "操作", "对象类型", "对象", "字段", "改前", "改后"]
    assert [row[1:] for row in rows[1:]] == [
        ["unit", "unit", "修改", "创建单位", "识字岭社区居委会", "用能人数", "（空）", "12"],
        ["unit", "unit", "修改", "创建单位", "识字岭社区居委会", "联系人", "（空）", "李明"],
    ]


def test_it_exports_nothing_of_a_sibling_district(client, world):
    edit(world)
    client.force_login(world.user("furong"))
    raw = b"".join(client.get("/audit/export.csv").streaming_content).decode("utf-8-sig")
    assert "识字岭社区居委会" in raw
    assert "长沙市第一中学" not in raw


@pytest.mark.parametrize("who", ["unit", "sector", "leader", "reviewer", "outsider"])
def test_it_forbids_the_trail_to_those_without_an_office(client, world, who):
    client.force_login(world.user(who))
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403
    assert 'href="/audit/"' not in client.get("/").content.decode()


def test_it_links_the_trail_for_offices_and_the_administrator(client, world):
    for who in ("admin", "city", "furong", "street"):
        client.force_login(world.user(who))
        assert 'href="/audit/"' in client.get("/").content.decode(), who


# session, user, jurisdiction, count, page, then at most one query per kind of object the page's changes point
# to (regions, departments, offices, bodies, units, users): never one per entry.
AUDIT_LIST_MAX_QUERIES = 5 + 6


def test_it_costs_a_bounded_number_of_queries_however_many_entries(client, world):
    edit(world)
    client.force_login(world.user("city"))
    assert (
        queries_for(client, "/audit/") == AUDIT_LIST_MAX_QUERIES
    )  # the world's creations name all six kinds
    for number in range(60):
        update_unit(
            by=world.user("city"),
            unit=world.tianxin_unit,
            changes={"sector": world.education_bureau if number % 2 else None},
        )
    assert AuditEntry.objects.count() > 100
    assert queries_for(client, "/audit/") <= AUDIT_LIST_MAX_QUERIES
    assert queries_for(client, "/audit/?page=2") <= AUDIT_LIST_MAX_QUERIES
