from django.contrib import admin

from lvchuang.notices.models import DayOverride, Notice, NoticeEntry, Objection


@admin.register(DayOverride)
class DayOverrideAdmin(admin.ModelAdmin[DayOverride]):
    list_display = ["date", "is_workday", "name", "source"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


class NoticeEntryInline(admin.TabularInline[NoticeEntry, Notice]):
    model = NoticeEntry
    raw_id_fields = ["application", "unit", "title_record"]
    extra = 0


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin[Notice]):
    list_display = ["title", "campaign", "status", "starts_on", "ends_on", "calendar_provisional"]
    list_filter = ["status", "day_kind"]
    raw_id_fields = ["campaign", "created_by"]
    inlines = [NoticeEntryInline]


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin[Objection]):
    # The objector's identity stays out of the admin lists; the case page shows it to the issuing office.
    list_display = ["case_number", "notice", "entry", "status", "received_at", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["notice", "entry", "handled_by"]
    exclude = ["name", "phone", "email", "token", "client_hash", "evidence", "evidence_name"]
