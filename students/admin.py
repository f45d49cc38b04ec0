from django.contrib import admin

from accounts.admin_scoping import SchoolScopedAdmin

from .models import Enrollment, Guardian, Guardianship, Student


class GuardianshipInline(admin.TabularInline):
    model = Guardianship
    extra = 0
    autocomplete_fields = ["guardian"]
    fields = ["guardian", "relationship", "is_primary", "school"]


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    fields = ["school_class", "school_year", "start_date", "end_date", "school"]


@admin.register(Student)
class StudentAdmin(SchoolScopedAdmin):
    list_display = ["student_number", "name", "gender", "birth_date", "is_active", "school"]
    list_filter = ["school", "is_active", "gender"]
    search_fields = ["student_number", "name"]
    list_select_related = ["school"]
    inlines = [GuardianshipInline, EnrollmentInline]
    raw_id_fields = ["user"]


@admin.register(Guardian)
class GuardianAdmin(SchoolScopedAdmin):
    list_display = ["name", "mobile", "user", "school"]
    list_filter = ["school"]
    search_fields = ["name", "mobile", "guardianships__student__name"]
    list_select_related = ["school", "user"]
    raw_id_fields = ["user"]


@admin.register(Guardianship)
class GuardianshipAdmin(SchoolScopedAdmin):
    list_display = ["student", "guardian", "relationship", "is_primary", "school"]
    list_filter = ["school", "relationship", "is_primary"]
    search_fields = ["student__name", "student__student_number", "guardian__name", "guardian__mobile"]
    list_select_related = ["student", "guardian", "school"]
    autocomplete_fields = ["student", "guardian"]


@admin.register(Enrollment)
class EnrollmentAdmin(SchoolScopedAdmin):
    list_display = ["student", "school_class", "school_year", "start_date", "end_date"]
    list_filter = ["school", "school_year", "school_class__grade__level"]
    search_fields = ["student__name", "student__student_number", "school_class__name"]
    list_select_related = ["student", "school_class", "school_year"]
    autocomplete_fields = ["student"]
