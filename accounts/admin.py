import copy

from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from core.audit import ACTIONS, action_label
from core.forms import CleanedTextMixin

from . import services
from .admin_scoping import (
    AdminMomentField,
    SchoolScopedAdmin,
    SchoolScopedTabularInline,
    admin_school_ids,
    is_autocomplete,
    may_manage_user,
    users_managed_by,
)
from .models import AuditEvent, Membership, Role, User


def _roles_for(request, db_field, kwargs):
    """The roles a school administrator may give: every role but school
    administrator (administrators are appointed by a superuser, who also
    sets their staff flag)."""
    if not request.user.is_superuser:
        kwargs["choices"] = [(value, label) for value, label in db_field.get_choices() if value != Role.SCHOOL_ADMIN]
    return kwargs


@transaction.atomic
def _membership_save(request, membership, *, user=None):
    """Write a membership added or changed in the admin through the
    services (audit rows; the staff flag of a new administrator). The
    admin goes on with `membership` (log entry, redirect): it becomes the
    saved row."""
    user = user or membership.user
    if membership.pk:
        saved = services.membership_change(
            membership=membership, user=user, school=membership.school, role=membership.role, actor=request.user
        )
    else:
        saved = services.membership_grant(user=user, school=membership.school, role=membership.role, actor=request.user)
    membership.pk, membership.created_at = saved.pk, saved.created_at
    membership._state.adding = False


def _membership_delete(request, membership):
    services.membership_revoke(user=membership.user, school=membership.school, role=membership.role, actor=request.user)


class MembershipInline(SchoolScopedTabularInline):
    """A person's roles, on the person's page. A school administrator sees
    and gives roles in their schools only; a new account gets at least one
    (an account with none would be nobody's to manage)."""

    model = Membership
    extra = 0
    autocomplete_fields = ["school"]
    fields = ["school", "role"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("school")

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            kwargs = _roles_for(request, db_field, kwargs)
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_min_num(self, request, obj=None, **kwargs):
        return 1 if obj is None and not request.user.is_superuser else 0

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("validate_min", True)
        return super().get_formset(request, obj, **kwargs)


PASSWORD_MAX = 128


def _limited(field, limit):
    field = copy.deepcopy(field)
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)
    return field


class UserChangeForm(CleanedTextMixin, auth_forms.UserChangeForm):
    class Meta(auth_forms.UserChangeForm.Meta):
        field_classes = {**auth_forms.UserChangeForm.Meta.field_classes, "last_login": AdminMomentField,
                         "date_joined": AdminMomentField}


class UserCreationForm(CleanedTextMixin, auth_forms.AdminUserCreationForm):
    password1 = _limited(auth_forms.AdminUserCreationForm.base_fields["password1"], PASSWORD_MAX)
    password2 = _limited(auth_forms.AdminUserCreationForm.base_fields["password2"], PASSWORD_MAX)


class PasswordChangeForm(CleanedTextMixin, auth_forms.AdminPasswordChangeForm):
    password1 = _limited(auth_forms.AdminPasswordChangeForm.base_fields["password1"], PASSWORD_MAX)
    password2 = _limited(auth_forms.AdminPasswordChangeForm.base_fields["password2"], PASSWORD_MAX)


@admin.register(User)
class UserAdmin(SchoolScopedAdmin, DjangoUserAdmin):
    """People. A school administrator manages an account only when every
    membership of it lies in schools they administer and it is neither a
    superuser, nor staff-flagged, nor a school administrator
    (accounts.admin_scoping.users_managed_by): other accounts are the
    superuser's, so no administrator can reach beyond their schools by
    taking an account over. The staff and superuser flags are the
    superuser's too."""

    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = PasswordChangeForm
    list_display = ["username", "full_name", "mobile", "is_active", "is_staff", "must_change_password", "last_login"]
    list_filter = ["is_active", "is_staff", "must_change_password", "memberships__role"]
    search_fields = ["username", "full_name", "mobile", "email"]
    ordering = ["username"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "mobile", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "must_change_password")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "full_name", "mobile", "password1", "password2")}),)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser or is_autocomplete(request):
            # An autocomplete offers the people of the schools (a teacher
            # shared with another school can still teach here); the asking
            # field narrows it (SchoolScopedAdmin.get_search_results).
            return qs
        return users_managed_by(request, qs)

    def _owns(self, request, obj):
        return may_manage_user(request, obj)

    def has_delete_permission(self, request, obj=None):
        # People are deactivated, not deleted: their records keep an author.
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ()
        return ("is_superuser", "is_staff", "last_login", "date_joined")

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        for membership in formset.save(commit=False):
            _membership_save(request, membership, user=form.instance)
        for membership in formset.deleted_objects:
            _membership_delete(request, membership)
        return None


@admin.register(Membership)
class MembershipAdmin(SchoolScopedAdmin):
    """Roles in the administrator's schools. A school administrator gives
    roles only to accounts they manage (users_managed_by), never the
    school administrator role; a membership of another account is shown,
    not changed."""

    list_display = ["user", "school", "role", "created_at"]
    list_filter = ["role", "school"]
    search_fields = ["user__username", "user__full_name", "user__mobile"]
    list_select_related = ["user", "school"]
    autocomplete_fields = ["user"]

    def scope_for_field(self, db_field, request, queryset):
        if db_field.name == "user":
            return users_managed_by(request, queryset)
        return super().scope_for_field(db_field, request, queryset)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            kwargs = _roles_for(request, db_field, kwargs)
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def _may_change(self, request, obj):
        return obj is None or request.user.is_superuser or (obj.role != Role.SCHOOL_ADMIN and may_manage_user(request, obj.user))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_change(request, obj)

    def actionable_queryset(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        return queryset.filter(user__in=users_managed_by(request).values("pk"), school__in=admin_school_ids(request)).exclude(
            role=Role.SCHOOL_ADMIN
        )

    def save_model(self, request, obj, form, change):
        _membership_save(request, obj)

    def delete_model(self, request, obj):
        _membership_delete(request, obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "school"):
            _membership_delete(request, membership)


class AuditActionFilter(admin.SimpleListFilter):
    """The actions by their words (core.audit.ACTIONS), not their dotted names."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [(name, label) for name, label in ACTIONS.items()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action=self.value())
        return queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin, SchoolScopedAdmin):
    list_display = ["created_at", "actor", "school", "action_words", "target_repr"]
    list_filter = [AuditActionFilter, "school"]
    search_fields = ["action", "target_repr", "actor__username", "actor__full_name"]
    list_select_related = ["actor", "school"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    @admin.display(description=_("action"), ordering="action")
    def action_words(self, obj):
        return action_label(obj.action)
