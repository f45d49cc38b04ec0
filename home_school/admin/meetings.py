"""Admin for parent meetings. Replies, attendance and topic proposals are
the families' and head teachers' own records: read-only here."""

from django.contrib import admin

from accounts.admin_scoping import SchoolScopedAdmin

from ..models import AgendaItem, FollowUpAction, MeetingAttendance, MeetingReply, ParentMeeting, TopicProposal


class FamilyRecordAdmin(SchoolScopedAdmin):
    """Read and, by the administrator, deleted; never added or changed here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ParentMeeting)
class ParentMeetingAdmin(SchoolScopedAdmin):
    list_display = ["title", "starts_at", "school_class", "grade", "term", "school"]
    list_filter = ["school", "term"]
    search_fields = ["title", "place"]
    list_select_related = ["school", "school_class", "grade", "term", "term__school_year"]
    date_hierarchy = "starts_at"
    readonly_fields = ["created_by", "created_at", "minutes_saved_at"]

    def has_add_permission(self, request):
        # Made on the staff pages, whose services notify and audit.
        return False


@admin.register(AgendaItem)
class AgendaItemAdmin(SchoolScopedAdmin):
    list_display = ["title", "meeting", "position", "from_guardian", "credited_name"]
    list_filter = ["school", "from_guardian"]
    search_fields = ["title", "meeting__title"]
    list_select_related = ["meeting"]
    readonly_fields = ["proposal", "from_guardian", "credited_name"]


@admin.register(TopicProposal)
class TopicProposalAdmin(FamilyRecordAdmin):
    list_display = ["topic", "meeting", "student", "anonymous", "status", "created_at"]
    list_filter = ["school", "status", "anonymous"]
    search_fields = ["topic", "meeting__title", "student__name"]
    list_select_related = ["meeting", "student"]


@admin.register(MeetingReply)
class MeetingReplyAdmin(FamilyRecordAdmin):
    list_display = ["meeting", "student", "answer", "answered_by", "answered_at"]
    list_filter = ["school", "answer"]
    search_fields = ["meeting__title", "student__name"]
    list_select_related = ["meeting", "student", "answered_by"]


@admin.register(MeetingAttendance)
class MeetingAttendanceAdmin(FamilyRecordAdmin):
    list_display = ["meeting", "student", "guardian", "present", "marked_at", "marked_by"]
    list_filter = ["school", "present"]
    search_fields = ["meeting__title", "student__name", "guardian__name"]
    list_select_related = ["meeting", "student", "guardian", "marked_by"]


@admin.register(FollowUpAction)
class FollowUpActionAdmin(SchoolScopedAdmin):
    list_display = ["text", "meeting", "owner", "due_on", "done_at"]
    list_filter = ["school"]
    search_fields = ["text", "meeting__title"]
    list_select_related = ["meeting", "owner"]
    readonly_fields = ["created_by", "created_at"]

    def has_add_permission(self, request):
        # Made on the staff pages, whose services notify and audit.
        return False
