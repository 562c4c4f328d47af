"""What the browser tests share: the marks every module carries, and logging in through the login form."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

# django-auditlog creates its own `auditlog_logentry` table although the settings swap in audit.AuditEntry
# (jazzband/django-auditlog#804). Its foreign key to the users makes PostgreSQL refuse the TRUNCATE that ends a
# transactional test, unless the TRUNCATE cascades, which Django does only when `available_apps` is set.
# Transactional, because the live server answers from another thread and must see committed data.
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=settings.INSTALLED_APPS),
]

PHONE = {"width": 390, "height": 844}


def log_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(f"pw-{username}")
    form.locator("[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


def mark_page(page: Any) -> None:
    """Leave a mark on the loaded document; `page_was_kept` tells later whether it is still the same one."""
    page.evaluate("window.__lvchuangKept = true")


def page_was_kept(page: Any) -> bool:
    """True if the document `mark_page` marked is still the one shown: no navigation, no reload since."""
    return bool(page.evaluate("window.__lvchuangKept === true"))
