from django.contrib import admin

from lvchuang.reports.models import Requirement, Submission, SubmissionReminder


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin[Requirement]):
    list_display = ["title", "campaign", "kind", "period", "due_on", "submitters"]
    list_filter = ["kind", "period", "submitters"]
    search_fields = ["title", "campaign__name"]
    raw_id_fields = ["campaign", "body", "created_by"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin[Submission]):
    list_display = [
        "requirement",
        "period",
        "office",
        "unit",
        "department",
        "status",
        "is_late",
        "submitted_at",
    ]
    list_filter = ["status", "is_late"]
    raw_id_fields = ["requirement", "office", "unit", "department", "submitted_by", "reviewed_by"]


@admin.register(SubmissionReminder)
class SubmissionReminderAdmin(admin.ModelAdmin[SubmissionReminder]):
    list_display = ["requirement", "period", "user", "kind", "due_on", "sent_at"]
    list_filter = ["kind"]
    raw_id_fields = ["requirement", "user"]
