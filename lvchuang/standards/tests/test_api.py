"""/api/standards/ and /api/standard-versions/: read only, for every user with a role."""

from __future__ import annotations

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvchuang.standards.interchange import read_json
from lvchuang.standards.selectors import document_of
from lvchuang.standards.tests.factories import NAME


def test_it_lists_the_library_with_versions_to_any_role_holder(client, world, draft):
    client.force_login(world.user("tianxin_unit"))
    data = client.get("/api/standards/").json()
    assert data["count"] == 7
    mine = next(s for s in data["results"] if s["name"] == NAME)
    assert mine["owner_name"] == "芙蓉区创建办"
    assert mine["is_builtin"] is False
    assert [v["number"] for v in mine["versions"]] == [1]
    assert mine["versions"][0]["status"] == "draft"
    assert mine["versions"][0]["needs_confirmation"] is True


def test_the_list_costs_the_same_queries_however_many_standards(client, world, draft):
    client.force_login(world.user("furong"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/standards/").status_code == 200
    assert len(captured) == 6  # session, user, roles, count, page, versions


def test_a_version_has_its_items_in_tree_order_and_its_bands(client, world, draft):
    client.force_login(world.user("furong"))
    data = client.get(f"/api/standard-versions/{draft.pk}/").json()
    assert data["standard_name"] == NAME
    assert data["total_points"] == "100.00"
    assert [(i["code"], i["parent_code"], i["depth"]) for i in data["items"]] == [
        ("0", "", 0),
        ("0.1", "0", 1),
        ("1", "", 0),
        ("1.1", "1", 1),
        ("1.2", "1", 1),
        ("2", "", 0),
        ("3", "", 0),
    ]
    assert data["items"][5]["kind"] == "veto"
    assert data["items"][5]["kind_display"].startswith("必须完成项")
    assert data["grade_bands"] == [
        {"name": "优秀", "min_score": "90.00"},
        {"name": "合格", "min_score": "80.00"},
        {"name": "不合格", "min_score": "0.00"},
    ]


def test_versions_can_be_filtered_by_standard_and_status(client, world, draft, builtin):
    client.force_login(world.user("furong"))
    data = client.get("/api/standard-versions/", {"standard": draft.standard_id}).json()
    assert [v["id"] for v in data["results"]] == [draft.pk]
    published = client.get("/api/standard-versions/", {"status": "published"}).json()
    assert published["count"] == 6
    assert client.get("/api/standard-versions/", {"status": "nonsense"}).status_code == 400


def test_it_exports_the_files_of_the_pages(client, world, draft):
    client.force_login(world.user("city"))
    response = client.get(f"/api/standard-versions/{draft.pk}/export/json/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert read_json(response.content.decode()).document == document_of(draft)
    xlsx = client.get(f"/api/standard-versions/{draft.pk}/export/xlsx/", HTTP_ACCEPT="*/*")
    assert xlsx.status_code == 200
    assert xlsx.content.startswith(b"PK")
    assert json.loads(response.content)["format"] == "lvchuang-standard/1"


def test_an_outsider_sees_nothing(client, world, draft):
    client.force_login(world.user("outsider"))
    assert client.get("/api/standards/").json()["count"] == 0
    assert client.get(f"/api/standards/{draft.standard_id}/").status_code == 404
    assert client.get(f"/api/standard-versions/{draft.pk}/").status_code == 404
    assert client.get(f"/api/standard-versions/{draft.pk}/export/yaml/").status_code == 404


def test_the_api_takes_no_writes(client, world, draft):
    client.force_login(world.user("admin"))
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(
            f"/api/standard-versions/{draft.pk}/", {}, content_type="application/json"
        )
        assert response.status_code == 405
