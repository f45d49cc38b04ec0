"""Admin for home visits and their supervisors."""

from django.contrib import admin

from accounts.admin_scoping import SchoolScopedAdmin

from ..models import HomeVisit, VisitSupervision


@admin.register(HomeVisit)
class HomeVisitAdmin(SchoolScopedAdmin):
    list_display = ["student", "teacher", "planned_on", "method", "status", "done_on", "term"]
    list_filter = ["school", "term", "status", "method"]
    search_fields = ["student__name", "student__student_number", "teacher__full_name"]
    list_select_related = ["student", "teacher", "term", "term__school_year"]
    date_hierarchy = "planned_on"
    readonly_fields = ["created_by", "created_at", "recorded_at"]

    def has_add_permission(self, request):
        # Made on the staff pages, whose services notify and audit.
        return False


@admin.register(VisitSupervision)
class VisitSupervisionAdmin(SchoolScopedAdmin):
    list_display = ["supervisor", "teacher", "term", "assigned_by", "assigned_at"]
    list_filter = ["school", "term"]
    search_fields = ["supervisor__full_name", "teacher__full_name"]
    list_select_related = ["supervisor", "teacher", "term", "term__school_year", "assigned_by"]
    readonly_fields = ["assigned_by", "assigned_at"]

    def has_add_permission(self, request):
        # Made on the staff pages, whose services notify and audit.
        return False
