"""Admin of parent committees (the staff pages are where they are run)."""

from django.contrib import admin

from accounts.admin_scoping import SchoolScopedAdmin, SchoolScopedTabularInline

from ..models import Committee, CommitteeMeeting, CommitteeMember


class CommitteeMemberInline(SchoolScopedTabularInline):
    model = CommitteeMember
    fields = ["guardian", "role", "start_date", "end_date"]
    raw_id_fields = ["guardian"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        # Members are added on the staff page (committee_member_add checks the class and the terms).
        return False


@admin.register(Committee)
class CommitteeAdmin(SchoolScopedAdmin):
    list_display = ["__str__", "level", "school_class", "school"]
    list_filter = ["school", "level"]
    search_fields = ["name", "school_class__name"]
    list_select_related = ["school", "school_class"]
    readonly_fields = ["level", "school_class", "created_by", "created_at"]
    fields = ["school", "level", "school_class", "name", "created_by", "created_at"]
    inlines = [CommitteeMemberInline]

    def has_add_permission(self, request):
        return False


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(SchoolScopedAdmin):
    list_display = ["guardian", "role", "committee", "start_date", "end_date"]
    list_filter = ["school", "role", ("end_date", admin.EmptyFieldListFilter)]
    search_fields = ["guardian__name", "committee__name", "committee__school_class__name"]
    list_select_related = ["guardian", "committee", "committee__school_class"]
    raw_id_fields = ["guardian", "committee", "added_by"]

    def has_add_permission(self, request):
        return False


@admin.register(CommitteeMeeting)
class CommitteeMeetingAdmin(SchoolScopedAdmin):
    list_display = ["held_on", "title", "committee", "recorded_by"]
    list_filter = ["school"]
    search_fields = ["title", "minutes"]
    list_select_related = ["committee", "committee__school_class", "recorded_by"]
    raw_id_fields = ["committee", "recorded_by", "attendees"]
    date_hierarchy = "held_on"
