from django.contrib import admin

from lvchuang.regions.models import DivisionImport, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["code", "name", "level", "kind", "code_year", "is_active"]
    list_filter = ["level", "kind", "code_year", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path"]


@admin.register(DivisionImport)
class DivisionImportAdmin(admin.ModelAdmin[DivisionImport]):
    list_display = ["started_at", "source", "scope", "outcome", "created", "updated", "unchanged", "by"]
    list_filter = ["outcome"]

    def has_add_permission(self, request: object) -> bool:
        return False  # imports run through `manage.py import_divisions`, which validates the whole file

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
