"""Admin of the messaging part. Administrators set office hours and see
which conversations exist; the messages themselves are private to the
teacher and the family and are not shown here."""

from django.contrib import admin

from accounts.admin_scoping import SchoolScopedAdmin

from ..models import Conversation, OfficeHours


@admin.register(OfficeHours)
class OfficeHoursAdmin(SchoolScopedAdmin):
    list_display = ["teacher", "weekday", "start_time", "end_time", "school"]
    list_filter = ["school", "weekday"]
    search_fields = ["teacher__full_name", "teacher__username"]
    list_select_related = ["teacher", "school"]
    autocomplete_fields = ["teacher"]


@admin.register(Conversation)
class ConversationAdmin(SchoolScopedAdmin):
    list_display = ["student", "teacher", "created_at", "last_message_at", "school"]
    list_filter = ["school"]
    search_fields = ["student__name", "student__student_number", "teacher__full_name"]
    list_select_related = ["student", "teacher", "school"]
    fields = ["school", "student", "teacher", "started_by", "created_at", "last_message_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        # Conversations start from the staff pages, with a first message.
        return False

    def has_change_permission(self, request, obj=None):
        return False
