from django.contrib import admin

from accounts.admin_scoping import SchoolScopedAdmin, SchoolScopedTabularInline

from ..models import Suggestion, SuggestionReply


class SuggestionReplyInline(SchoolScopedTabularInline):
    model = SuggestionReply
    fields = ["created_at", "author", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Suggestion)
class SuggestionAdmin(SchoolScopedAdmin):
    """Read-only. The form leaves out code_hash; anonymous rows have no
    writer to show."""

    list_display = ["written_on", "recipient", "school_class", "is_anonymous", "writer", "__str__"]
    list_filter = ["school", "recipient", "is_anonymous"]
    list_select_related = ["school_class", "writer"]
    fields = ["school", "written_on", "recipient", "school_class", "is_anonymous", "writer", "body"]
    readonly_fields = fields
    inlines = [SuggestionReplyInline]
    date_hierarchy = "written_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
