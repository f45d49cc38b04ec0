"""admin: Class inspections (班级量化考核) and vetoes (一票否决).

Items are editable rules. Inspection entries are a read-only ledger: the
only change is a void with a reason (an action with a confirmation page).
Vetoes are recorded through the service (audit row, message to the head
teacher) and withdrawn the same way; never edited or deleted.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_scoping import SchoolScopedAdmin
from core.admin import ReadOnlyAdmin
from core.forms import DayField, Form, ModelForm

from ..models import ClassEvent, ClassVeto, InspectionItem
from ..services import inspections as services


@admin.register(InspectionItem)
class InspectionItemAdmin(SchoolScopedAdmin):
    list_display = ["name", "points", "is_active", "ordering", "school"]
    list_editable = ["points", "is_active", "ordering"]
    list_filter = ["school", "is_active"]
    search_fields = ["name"]
    list_select_related = ["school"]

    def has_delete_permission(self, request, obj=None):
        # Items are kept for the entries that name them; switch one off instead.
        return False


class VoidReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


def _void_action(modeladmin, request, queryset, *, void, title):
    """Ask for a reason on a confirmation page, then void each selected
    row through the service (one audit row each)."""
    form = VoidReasonForm(request.POST if "confirm" in request.POST else None)
    if form.is_bound and form.is_valid():
        count = 0
        for obj in queryset.filter(voided_at__isnull=True):
            count += void(actor=request.user, obj=obj, reason=form.cleaned_data["reason"])
        modeladmin.message_user(request, ngettext("%(n)s row voided.", "%(n)s rows voided.", count) % {"n": count}, messages.SUCCESS)
        return None
    return TemplateResponse(
        request,
        "moral_ed/inspections/inspection_admin_void.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "objects": queryset,
            "action": request.POST.get("action"),
            "opts": modeladmin.model._meta,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        },
    )


@admin.action(description=_("Void the selected entries (with a reason)"))
def void_entries(modeladmin, request, queryset):
    return _void_action(
        modeladmin,
        request,
        queryset,
        void=lambda actor, obj, reason: services.inspection_void(actor=actor, event=obj, reason=reason),
        title=_("Void inspection entries"),
    )


@admin.register(ClassEvent)
class ClassEventAdmin(ReadOnlyAdmin, SchoolScopedAdmin):
    list_display = ["occurred_on", "school_class", "item", "points", "note", "recorded_by", "voided_at", "void_reason"]
    list_filter = ["school", ("voided_at", admin.EmptyFieldListFilter), "occurred_on"]
    search_fields = ["school_class__name", "note", "item__name"]
    list_select_related = ["school_class", "item", "recorded_by"]
    date_hierarchy = "occurred_on"
    show_full_result_count = False
    actions = [void_entries]

    def get_actions(self, request):
        # ReadOnlyAdmin refuses change; the void action is the one change allowed.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class VetoAdminForm(ModelForm):
    class Meta:
        model = ClassVeto
        fields = ["school_class", "occurred_on", "reason"]
        field_classes = {"occurred_on": DayField}

    def clean(self):
        data = super().clean()
        school_class = data.get("school_class")
        if school_class is not None:
            try:
                services.veto_check(
                    school=school_class.school, school_class=school_class, occurred_on=data.get("occurred_on"), reason=data.get("reason")
                )
            except ValidationError as e:
                raise ValidationError(e.messages)
        return data


@admin.action(description=_("Withdraw the selected vetoes (with a reason)"))
def void_vetoes(modeladmin, request, queryset):
    return _void_action(
        modeladmin,
        request,
        queryset.select_related("school_class", "school", "term"),
        void=lambda actor, obj, reason: services.veto_void(actor=actor, veto=obj, reason=reason),
        title=_("Withdraw vetoes"),
    )


@admin.register(ClassVeto)
class ClassVetoAdmin(SchoolScopedAdmin):
    form = VetoAdminForm
    list_display = ["occurred_on", "school_class", "reason", "recorded_by", "voided_at", "void_reason"]
    list_filter = ["school", ("voided_at", admin.EmptyFieldListFilter)]
    search_fields = ["school_class__name", "reason"]
    list_select_related = ["school_class", "recorded_by"]
    date_hierarchy = "occurred_on"
    actions = [void_vetoes]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["school_class", "occurred_on", "reason", "recorded_by", "created_at", "voided_by", "voided_at", "void_reason"]
        return []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["school_class", "occurred_on", "reason"]
        return self.get_readonly_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        # Opening a veto shows it read-only; the action is the only change.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        if change:
            return
        veto = services.veto_record(
            school=obj.school_class.school,
            school_class=obj.school_class,
            occurred_on=obj.occurred_on,
            reason=obj.reason,
            recorded_by=request.user,
        )
        # The admin goes on with `obj` (log entry, redirect): make it the saved row.
        obj.__dict__.update({k: v for k, v in veto.__dict__.items() if k != "_state"})
        obj._state.adding = False
        obj._state.db = veto._state.db
