from django.contrib import admin

from lvchuang.meetings.models import AgreedItem, Attendance, ItemProgress, Liaison, Meeting


@admin.register(Liaison)
class LiaisonAdmin(admin.ModelAdmin[Liaison]):
    list_display = ["membership", "user", "created_at"]
    raw_id_fields = ["membership", "user"]


class AttendanceInline(admin.TabularInline[Attendance, Meeting]):
    model = Attendance
    raw_id_fields = ["department"]
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin[Meeting]):
    list_display = ["title", "body", "held_on", "minutes_number"]
    date_hierarchy = "held_on"
    raw_id_fields = ["body", "created_by"]
    inlines = [AttendanceInline]


class ItemProgressInline(admin.TabularInline[ItemProgress, AgreedItem]):
    model = ItemProgress
    raw_id_fields = ["by"]
    readonly_fields = ["at"]
    extra = 0


@admin.register(AgreedItem)
class AgreedItemAdmin(admin.ModelAdmin[AgreedItem]):
    list_display = ["meeting", "number", "owner", "due_on", "status", "closed_on"]
    list_filter = ["status"]
    raw_id_fields = ["meeting", "owner"]
    inlines = [ItemProgressInline]
