"""`manage.py expire_titles` hands the day's expiry to the task runner (immediate in tests)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from lvchuang.titles.models import Title


def test_the_command_expires_titles_whose_validity_ended(title):
    out = io.StringIO()
    call_command("expire_titles", "--date", "2031-12-19", stdout=out)
    assert Title.objects.get(pk=title.pk).status == Title.Status.VALID
    call_command("expire_titles", "--date", "2031-12-20", stdout=out)
    title.refresh_from_db()
    assert title.status == Title.Status.EXPIRED
    assert title.events.order_by("pk").last().by is None
    assert "2031-12-20" in out.getvalue()


def test_the_command_refuses_a_malformed_date(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("expire_titles", "--date", "20/12/2031")
