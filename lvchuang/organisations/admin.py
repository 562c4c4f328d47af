from django.contrib import admin

from lvchuang.organisations.models import (
    BodyMembership,
    Department,
    GoverningBody,
    Office,
    ReviewerAssignment,
    Unit,
)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ["name", "kind", "region", "sector", "energy_headcount", "floor_area", "is_active"]
    list_filter = ["kind", "organ_type", "institution_type", "is_active"]
    search_fields = ["name", "region__name", "credit_code"]
    raw_id_fields = ["region"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ["name", "region", "is_sector_authority"]
    list_filter = ["is_sector_authority"]
    search_fields = ["name"]
    raw_id_fields = ["region"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin[Office]):
    list_display = ["name", "region", "host_department"]
    search_fields = ["name"]
    raw_id_fields = ["region"]


class MembershipInline(admin.TabularInline[BodyMembership, GoverningBody]):
    model = BodyMembership
    extra = 1


@admin.register(GoverningBody)
class GoverningBodyAdmin(admin.ModelAdmin[GoverningBody]):
    list_display = ["name", "kind", "region", "office"]
    list_filter = ["kind"]
    raw_id_fields = ["region"]
    inlines = [MembershipInline]


@admin.register(ReviewerAssignment)
class ReviewerAssignmentAdmin(admin.ModelAdmin[ReviewerAssignment]):
    list_display = ["reviewer", "unit", "assigned_by", "assigned_at"]
    raw_id_fields = ["unit"]
