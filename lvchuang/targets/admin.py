from django.contrib import admin

from lvchuang.targets.models import CoverageTarget, Milestone


class MilestoneInline(admin.TabularInline[Milestone, CoverageTarget]):
    model = Milestone
    extra = 0


@admin.register(CoverageTarget)
class CoverageTargetAdmin(admin.ModelAdmin[CoverageTarget]):
    list_display = ["name", "office", "unit_kind", "starts_on", "is_active", "needs_confirmation"]
    list_filter = ["unit_kind", "is_active", "needs_confirmation"]
    search_fields = ["name", "office__name"]
    raw_id_fields = ["office", "created_by"]
    filter_horizontal = ["programs"]
    inlines = [MilestoneInline]
