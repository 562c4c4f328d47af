from django.contrib import admin

from lvchuang.reviews.models import (
    ConflictDeclaration,
    Exclusion,
    RankingRun,
    Review,
    ReviewerProfile,
    ReviewPhoto,
    ReviewScore,
    SpotCheck,
)


@admin.register(SpotCheck)
class SpotCheckAdmin(admin.ModelAdmin[SpotCheck]):
    list_display = ["campaign", "purpose", "seed", "size", "weighted", "created_at"]
    list_filter = ["weighted"]
    raw_id_fields = ["campaign", "created_by"]
    readonly_fields = ["seed", "population", "sample"]


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin[ReviewerProfile]):
    list_display = ["user", "region", "unit", "department", "expertise"]
    raw_id_fields = ["user", "region", "unit", "department"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(admin.ModelAdmin[ConflictDeclaration]):
    list_display = ["reviewer", "unit", "region", "department", "relation", "declared_at"]
    raw_id_fields = ["reviewer", "unit", "region", "department"]


class ReviewScoreInline(admin.TabularInline[ReviewScore, Review]):
    model = ReviewScore
    raw_id_fields = ["item"]
    extra = 0


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin[Review]):
    list_display = ["application", "reviewer", "kind", "status", "total", "passed", "submitted_at"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["application", "reviewer", "assigned_by"]
    inlines = [ReviewScoreInline]


@admin.register(ReviewPhoto)
class ReviewPhotoAdmin(admin.ModelAdmin[ReviewPhoto]):
    list_display = ["review", "item", "original_name", "size", "uploaded_at"]
    raw_id_fields = ["review", "item"]


@admin.register(Exclusion)
class ExclusionAdmin(admin.ModelAdmin[Exclusion]):
    list_display = ["application", "reviewer", "reason", "recorded_at"]
    raw_id_fields = ["application", "reviewer"]


@admin.register(RankingRun)
class RankingRunAdmin(admin.ModelAdmin[RankingRun]):
    list_display = ["campaign", "shortlisted_count", "by", "at"]
    raw_id_fields = ["campaign", "by"]
    readonly_fields = ["rows"]
