"""The OpenAPI schema and its two viewers: generated without warnings, and served with no asset from the internet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client


def test_it_generates_a_valid_schema_without_warnings(tmp_path: Path) -> None:
    # The same command as CI; --fail-on-warn turns any drf-spectacular warning into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    schema = (tmp_path / "schema.yaml").read_text()
    for path in (
        "/api/regions/{code}/",
        "/api/units/{id}/",
        "/api/users/me/",
        "/api/role-assignments/{id}/",
        "/api/audit-entries/",
        "/api/division-imports/",
        "/api/auth/token/",
    ):
        assert f"  {path}:" in schema


@pytest.mark.django_db
def test_it_serves_the_schema(client: Client) -> None:
    response = client.get("/api/schema/")

    assert response.status_code == 200
    assert b"/api/units/{id}/" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_it_serves_the_documentation_from_local_assets(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert re.findall(r"""(?:src|href)=["'](?:https?:)?//""", html) == []
    assert "cdn" not in html.lower()
    assert "fonts.googleapis" not in html


@pytest.mark.django_db
def test_it_keeps_swagger_ui_from_calling_the_online_validator(client: Client) -> None:
    html = client.get("/api/docs/").content.decode()

    assert '"validatorUrl": null' in html
