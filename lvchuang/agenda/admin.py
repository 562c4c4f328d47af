from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lvchuang.agenda.models import FeedToken


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin[FeedToken]):
    """Who has a feed address, and since when. The key itself stays out of sight; deleting the row turns the
    address off (the user gets a new one on the calendar page)."""

    list_display = ["user", "created_at"]
    search_fields = ["user__username", "user__full_name"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
