"""Admin of the evaluations: the school's rules are edited here; the
archive (evaluations, revisions and their rows) is read-only, since every
row is derived from the ledgers. A draft is published with an action that
calls the same service as the office's Publish button."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_scoping import SchoolScopedAdmin, SchoolScopedTabularInline
from core.admin import ReadOnlyAdmin

from ..models import (
    ClassResult,
    Evaluation,
    EvaluationRevision,
    EvaluationSettings,
    HeadTeacherAppraisal,
    RevisionStatus,
)
from ..services import evaluations as services


@admin.register(EvaluationSettings)
class EvaluationSettingsAdmin(SchoolScopedAdmin):
    list_display = [
        "school", "base_points", "civilized_class_share", "civilized_class_min_score",
        "civilized_dorm_share", "civilized_dorm_max_deductions",
    ]
    list_select_related = ["school"]

    def has_delete_permission(self, request, obj=None):
        return False


class ArchiveAdmin(ReadOnlyAdmin, SchoolScopedAdmin):
    """Derived rows: seen here, never added, edited or deleted."""


class RevisionInline(SchoolScopedTabularInline):
    model = EvaluationRevision
    fields = ["number", "status", "computed_at", "published_at", "published_by", "digest"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(ArchiveAdmin):
    list_display = ["period_start", "period_end", "kind", "school", "created_at"]
    list_filter = ["school", "kind"]
    list_select_related = ["school"]
    date_hierarchy = "period_start"
    inlines = [RevisionInline]


@admin.action(description=_("Publish the selected previews"))
def publish_revisions(modeladmin, request, queryset):
    count = 0
    for revision in queryset.filter(status=RevisionStatus.DRAFT):
        published = services.evaluation_publish(revision=revision, published_by=request.user)
        count += published.status == RevisionStatus.PUBLISHED
    modeladmin.message_user(
        request, ngettext("%(n)s revision published.", "%(n)s revisions published.", count) % {"n": count}, messages.SUCCESS
    )


class ClassResultInline(SchoolScopedTabularInline):
    model = ClassResult
    fields = ["school_class", "score", "rank_in_grade", "rank_in_school", "conduct_points", "vetoed", "veto_reason", "civilized"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["rank_in_school", "school_class__number"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("school_class")


@admin.register(EvaluationRevision)
class EvaluationRevisionAdmin(ArchiveAdmin):
    list_display = ["evaluation", "number", "status", "computed_at", "published_at", "published_by"]
    list_filter = ["school", "status", "evaluation__kind"]
    list_select_related = ["evaluation", "published_by"]
    readonly_fields = ["evaluation", "number", "status", "digest", "changes", "computed_at", "published_at", "published_by"]
    actions = [publish_revisions]
    inlines = [ClassResultInline]


@admin.register(HeadTeacherAppraisal)
class HeadTeacherAppraisalAdmin(ArchiveAdmin):
    list_display = ["revision", "teacher", "school_class", "class_score", "rank_in_grade", "rank_in_school", "records_filed",
                    "vetoes", "civilized"]
    list_filter = ["school", "civilized"]
    search_fields = ["teacher__full_name", "school_class__name"]
    list_select_related = ["revision__evaluation", "teacher", "school_class"]
