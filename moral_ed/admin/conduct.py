from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_scoping import SchoolScopedAdmin, SchoolScopedTabularInline
from core.admin import ReadOnlyAdmin

from ..models import (
    ConductEvent,
    ConductItem,
    ConductSettings,
    DimensionLimit,
    GroupEvent,
    GroupMembership,
    GuardianNote,
    Redemption,
    Reward,
    StarAward,
    StarCategory,
    StudentGroup,
)
from ..services import conduct as services


@admin.register(ConductItem)
class ConductItemAdmin(SchoolScopedAdmin):
    list_display = ["name", "dimension", "points", "daily_cap", "is_active", "ordering", "school"]
    list_editable = ["points", "is_active", "ordering"]
    list_filter = ["school", "dimension", "is_active"]
    search_fields = ["name"]
    list_select_related = ["school"]

    def has_delete_permission(self, request, obj=None):
        # Items are kept for the events that name them; switch one off instead.
        return False


@admin.register(DimensionLimit)
class DimensionLimitAdmin(SchoolScopedAdmin):
    list_display = ["dimension", "floor", "ceiling", "school"]
    list_filter = ["school", "dimension"]
    list_select_related = ["school"]


@admin.register(ConductSettings)
class ConductSettingsAdmin(SchoolScopedAdmin):
    list_display = ["school", "release_time"]
    list_select_related = ["school"]


@admin.register(ConductEvent)
class ConductEventAdmin(ReadOnlyAdmin, SchoolScopedAdmin):
    list_display = ["occurred_on", "student", "school_class", "item", "points", "disclosure", "recorded_by", "voided_at"]
    list_filter = ["school", "dimension", "disclosure", ("voided_at", admin.EmptyFieldListFilter), "occurred_on"]
    search_fields = ["student__name", "student__student_number", "note", "item__name"]
    list_select_related = ["student", "school_class", "item", "recorded_by"]
    date_hierarchy = "occurred_on"
    show_full_result_count = False


@admin.register(GuardianNote)
class GuardianNoteAdmin(ReadOnlyAdmin, SchoolScopedAdmin):
    list_display = ["created_at", "student", "text", "written_by"]
    list_filter = ["school"]
    search_fields = ["student__name", "text"]
    list_select_related = ["student", "written_by"]


class GroupMembershipInline(SchoolScopedTabularInline):
    model = GroupMembership
    extra = 0
    fields = ["student"]
    readonly_fields = ["student"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(StudentGroup)
class StudentGroupAdmin(SchoolScopedAdmin):
    list_display = ["name", "kind", "school_class", "is_active"]
    list_filter = ["school", "kind", "is_active"]
    search_fields = ["name", "school_class__name"]
    list_select_related = ["school_class"]
    inlines = [GroupMembershipInline]


@admin.register(GroupEvent)
class GroupEventAdmin(ReadOnlyAdmin, SchoolScopedAdmin):
    list_display = ["occurred_on", "group", "item", "points", "recorded_by", "voided_at"]
    list_filter = ["school", ("voided_at", admin.EmptyFieldListFilter)]
    search_fields = ["group__name", "note"]
    list_select_related = ["group", "item", "recorded_by"]


@admin.register(Reward)
class RewardAdmin(SchoolScopedAdmin):
    list_display = ["name", "cost", "school_class", "is_active"]
    list_filter = ["school", "is_active"]
    search_fields = ["name", "school_class__name"]
    list_select_related = ["school_class"]


@admin.register(Redemption)
class RedemptionAdmin(ReadOnlyAdmin, SchoolScopedAdmin):
    list_display = ["created_at", "student", "reward", "cost", "redeemed_by", "voided_at"]
    list_filter = ["school", ("voided_at", admin.EmptyFieldListFilter)]
    search_fields = ["student__name", "reward__name"]
    list_select_related = ["student", "reward", "redeemed_by"]


@admin.register(StarCategory)
class StarCategoryAdmin(SchoolScopedAdmin):
    list_display = ["name", "period", "is_school_star", "dimension", "is_active", "ordering", "school"]
    list_editable = ["is_active", "ordering"]
    list_filter = ["school", "period", "is_school_star", "is_active"]
    search_fields = ["name"]
    list_select_related = ["school"]


@admin.action(description=_("Confirm the selected nominations"))
def confirm_stars(modeladmin, request, queryset):
    count = 0
    for award in queryset.select_related("school"):
        before = award.status
        award = services.star_decide(actor=request.user, award=award, confirm=True)
        count += before != award.status
    modeladmin.message_user(request, ngettext("%(n)s nomination confirmed.", "%(n)s nominations confirmed.", count) % {"n": count}, messages.SUCCESS)


@admin.register(StarAward)
class StarAwardAdmin(SchoolScopedAdmin):
    list_display = ["category", "student", "school_class", "period_start", "period_end", "status", "nominated_by"]
    list_filter = ["school", "status", "category"]
    search_fields = ["student__name", "reason"]
    list_select_related = ["category", "student", "school_class", "nominated_by"]
    actions = [confirm_stars]
    readonly_fields = ["status", "decided_by", "decided_at", "nominated_by", "nominated_at"]

    def has_add_permission(self, request):
        return False
