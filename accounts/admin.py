from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .admin_scoping import SchoolScopedAdmin, admin_school_ids, is_school_admin
from .models import AuditEvent, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["school"]

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("school")
        if request.user.is_superuser:
            return qs
        return qs.filter(school__in=admin_school_ids(request))


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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

    def has_module_permission(self, request):
        return request.user.is_superuser or is_school_admin(request)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        # People are deactivated, not deleted: their records keep an author.
        return request.user.is_superuser

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(memberships__school__in=admin_school_ids(request)).distinct()

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ()
        return ("is_superuser", "is_staff", "last_login", "date_joined")


@admin.register(Membership)
class MembershipAdmin(SchoolScopedAdmin):
    list_display = ["user", "school", "role", "created_at"]
    list_filter = ["role", "school"]
    search_fields = ["user__username", "user__full_name", "user__mobile"]
    list_select_related = ["user", "school"]
    autocomplete_fields = ["user"]


@admin.register(AuditEvent)
class AuditEventAdmin(SchoolScopedAdmin):
    list_display = ["created_at", "actor", "school", "action", "target_repr"]
    list_filter = ["action", "school"]
    search_fields = ["action", "target_repr", "actor__username", "actor__full_name"]
    list_select_related = ["actor", "school"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
