from django.contrib import admin

from accounts.admin_scoping import SchoolScopedAdmin
from core.admin import ReadOnlyAdmin

from ..models import VolunteerActivity, VolunteerSignup


@admin.register(VolunteerActivity)
class VolunteerActivityAdmin(SchoolScopedAdmin):
    list_display = ["date", "title", "school_class", "slots", "organiser", "cancelled_at"]
    list_filter = ["school", ("cancelled_at", admin.EmptyFieldListFilter)]
    search_fields = ["title"]
    list_select_related = ["school_class", "organiser"]
    raw_id_fields = ["school_class", "organiser"]
    date_hierarchy = "date"


@admin.register(VolunteerSignup)
class VolunteerSignupAdmin(ReadOnlyAdmin, SchoolScopedAdmin):
    """Read-only: sign-ups are made by guardians and confirmed by organisers
    (volunteer_sign_up holds the slots under a lock)."""

    list_display = ["activity", "guardian", "created_at", "done_at"]
    list_filter = ["school", ("done_at", admin.EmptyFieldListFilter)]
    search_fields = ["guardian__name", "activity__title"]
    list_select_related = ["activity", "guardian"]
