"""Admin of the dormitories: buildings, rooms with their beds, the rules
(settings, escalation steps, items: rows an administrator edits), and the
ledgers (entries, cases, level changes), which are read-only here: a
correction is a void with a reason, a decision goes through the services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_scoping import SchoolScopedAdmin, SchoolScopedTabularInline
from core.admin import ReadOnlyAdmin
from core.feedback import errors_text
from core.forms import Form

from ..models import (
    BedAssignment,
    CaseStatus,
    DormBed,
    DormBuilding,
    DormCase,
    DormEvent,
    DormItem,
    DormLevelChange,
    DormRoom,
    DormSettings,
    EscalationStep,
)
from ..policies.conduct import is_office
from ..services import dorms as services


@admin.register(DormBuilding)
class DormBuildingAdmin(SchoolScopedAdmin):
    list_display = ["name", "ordering", "school"]
    list_editable = ["ordering"]
    list_filter = ["school"]
    search_fields = ["name"]
    list_select_related = ["school"]


class DormBedInline(SchoolScopedTabularInline):
    """The room's beds. The school is the room's (DormRoomAdmin.save_formset).
    A bed someone sleeps in is protected from deletion (the form says so)."""

    model = DormBed
    fields = ["label"]
    extra = 4


@admin.register(DormRoom)
class DormRoomAdmin(SchoolScopedAdmin):
    list_display = ["number", "building", "is_active", "school"]
    list_editable = ["is_active"]
    list_filter = ["school", "building", "is_active"]
    search_fields = ["number", "building__name"]
    list_select_related = ["building", "school"]
    fields = ["building", "number", "is_active"]
    inlines = [DormBedInline]

    def save_model(self, request, obj, form, change):
        # The room's school is its building's.
        obj.school_id = obj.building.school_id
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        beds = formset.save(commit=False)
        for bed in beds:
            bed.school_id = form.instance.school_id
            bed.save()
        for bed in formset.deleted_objects:
            bed.delete()


@admin.action(description=_("Release the selected beds"))
def release_beds(modeladmin, request, queryset):
    count = 0
    for assignment in queryset.select_related("school", "bed__room__building"):
        count += services.bed_release(assignment=assignment, released_by=request.user)
    modeladmin.message_user(request, ngettext("%(n)s bed released.", "%(n)s beds released.", count) % {"n": count}, messages.SUCCESS)


@admin.register(BedAssignment)
class BedAssignmentAdmin(ReadOnlyAdmin, SchoolScopedAdmin):
    """Assignments are made on the office's building page (the service
    moves a student and refuses a taken bed with a clear message); here
    they are listed and released."""

    list_display = ["student", "bed", "term", "assigned_by", "created_at"]
    list_filter = ["school", "term", "bed__room__building"]
    search_fields = ["student__name", "student__student_number", "bed__room__number"]
    list_select_related = ["student", "bed__room__building", "term", "assigned_by"]
    actions = [release_beds]


@admin.register(DormSettings)
class DormSettingsAdmin(SchoolScopedAdmin):
    list_display = ["school", "window_days", "clean_days"]
    list_editable = ["window_days", "clean_days"]
    list_select_related = ["school"]


@admin.register(EscalationStep)
class EscalationStepAdmin(SchoolScopedAdmin):
    list_display = ["level", "name", "threshold", "confirmer", "school"]
    list_editable = ["name", "threshold", "confirmer"]
    list_filter = ["school", "confirmer"]
    list_select_related = ["school"]

    def has_delete_permission(self, request, obj=None):
        # Cases name their step; change the threshold or the measure instead.
        return False


@admin.register(DormItem)
class DormItemAdmin(SchoolScopedAdmin):
    list_display = ["name", "applies_to", "points", "is_active", "ordering", "school"]
    list_editable = ["points", "is_active", "ordering"]
    list_filter = ["school", "applies_to", "is_active"]
    search_fields = ["name"]
    list_select_related = ["school"]

    def has_delete_permission(self, request, obj=None):
        # Items are kept for the entries that name them; switch one off instead.
        return False


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


def _reason_page(modeladmin, request, queryset, *, action, title, label):
    """The intermediate page of an action that needs a reason."""
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        return form.cleaned_data["reason"]
    form.fields["reason"].label = label
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "queryset": queryset,
        "form": form,
        "opts": modeladmin.model._meta,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "moral_ed/dorms/dorm_admin_reason.html", context)


@admin.action(description=_("Void the selected entries"))
def void_entries(modeladmin, request, queryset):
    reason = _reason_page(
        modeladmin, request, queryset, action="void_entries", title=_("Void dorm entries"), label=_("Why are these entries wrong?")
    )
    if not isinstance(reason, str):
        return reason
    count = 0
    for event in queryset.select_related("school"):
        count += services.dorm_event_void(event=event, actor=request.user, reason=reason)
    modeladmin.message_user(request, ngettext("%(n)s entry voided.", "%(n)s entries voided.", count) % {"n": count}, messages.SUCCESS)
    return None


@admin.register(DormEvent)
class DormEventAdmin(ReadOnlyAdmin, SchoolScopedAdmin):
    list_display = ["occurred_on", "room", "student", "item", "points", "recorded_by", "voided_at"]
    list_filter = ["school", ("voided_at", admin.EmptyFieldListFilter), "room__building", "occurred_on"]
    search_fields = ["student__name", "student__student_number", "room__number", "note", "item__name"]
    list_select_related = ["room__building", "student", "item", "recorded_by"]
    date_hierarchy = "occurred_on"
    show_full_result_count = False
    actions = [void_entries]


def _decidable(request, queryset):
    """Open cases of schools where the person is the office (or any, for a
    superuser): the admin decides as the office would."""
    for case in queryset.filter(status=CaseStatus.OPEN).select_related("school", "student", "step"):
        if request.user.is_superuser or is_office(request.user, case.school):
            yield case


@admin.action(description=_("Confirm the selected cases"))
def confirm_cases(modeladmin, request, queryset):
    count = 0
    for case in _decidable(request, queryset):
        count += services.case_confirm(case=case, decided_by=request.user).decided_by_id == request.user.pk
    modeladmin.message_user(request, ngettext("%(n)s case confirmed.", "%(n)s cases confirmed.", count) % {"n": count}, messages.SUCCESS)


@admin.action(description=_("Dismiss the selected cases"))
def dismiss_cases(modeladmin, request, queryset):
    note = _reason_page(
        modeladmin, request, queryset, action="dismiss_cases", title=_("Dismiss dorm cases"), label=_("Why are these cases dismissed?")
    )
    if not isinstance(note, str):
        return note
    count = 0
    for case in _decidable(request, queryset):
        try:
            count += services.case_dismiss(case=case, decided_by=request.user, note=note).decided_by_id == request.user.pk
        except ValidationError as e:
            modeladmin.message_user(request, errors_text(e), messages.ERROR)
            return None
    modeladmin.message_user(request, ngettext("%(n)s case dismissed.", "%(n)s cases dismissed.", count) % {"n": count}, messages.SUCCESS)
    return None


@admin.register(DormCase)
class DormCaseAdmin(ReadOnlyAdmin, SchoolScopedAdmin):
    list_display = ["opened_at", "student", "step", "deductions", "status", "decided_by", "guardians_informed_at"]
    list_filter = ["school", "status", "level"]
    search_fields = ["student__name", "student__student_number"]
    list_select_related = ["student", "step", "decided_by"]
    actions = [confirm_cases, dismiss_cases]


@admin.register(DormLevelChange)
class DormLevelChangeAdmin(ReadOnlyAdmin, SchoolScopedAdmin):
    list_display = ["created_at", "student", "from_level", "to_level", "reason", "effective_on"]
    list_filter = ["school", "reason"]
    search_fields = ["student__name", "student__student_number"]
    list_select_related = ["student"]
