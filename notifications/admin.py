from django.contrib import admin

from accounts.admin_scoping import SchoolScopedAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(SchoolScopedAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at"]
    list_filter = ["kind", "school"]
    search_fields = ["title", "recipient__username", "recipient__full_name", "dedupe_key"]
    list_select_related = ["recipient", "school"]
    date_hierarchy = "created_at"
    readonly_fields = ["school", "recipient", "kind", "title", "body", "link", "dedupe_key", "created_at", "read_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
