from django.contrib import admin

from accounts.admin_scoping import SchoolScopedAdmin, SchoolScopedTabularInline

from .models import Grade, School, SchoolClass, SchoolYear, TeachingAssignment, Term


@admin.register(School)
class SchoolAdmin(SchoolScopedAdmin):
    list_display = ["code", "name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            from moral_ed.services.defaults import defaults_install

            defaults_install(school=obj)


@admin.register(SchoolYear)
class SchoolYearAdmin(SchoolScopedAdmin):
    list_display = ["name", "school", "start_date", "end_date"]
    list_filter = ["school"]
    search_fields = ["name"]
    list_select_related = ["school"]


@admin.register(Term)
class TermAdmin(SchoolScopedAdmin):
    list_display = ["__str__", "school", "start_date", "end_date", "is_current"]
    list_filter = ["school", "is_current"]
    search_fields = ["school_year__name"]
    list_select_related = ["school", "school_year"]


@admin.register(Grade)
class GradeAdmin(SchoolScopedAdmin):
    list_display = ["__str__", "level", "school"]
    list_filter = ["school"]
    search_fields = ["name"]
    list_select_related = ["school"]


class TeachingAssignmentInline(SchoolScopedTabularInline):
    model = TeachingAssignment
    extra = 0
    autocomplete_fields = ["teacher"]
    fields = ["term", "teacher", "subject", "is_head_teacher", "school"]


@admin.register(SchoolClass)
class SchoolClassAdmin(SchoolScopedAdmin):
    list_display = ["name", "grade", "school_year", "school"]
    list_filter = ["school", "school_year", "grade__level"]
    search_fields = ["name"]
    list_select_related = ["school", "school_year", "grade"]
    inlines = [TeachingAssignmentInline]


@admin.register(TeachingAssignment)
class TeachingAssignmentAdmin(SchoolScopedAdmin):
    list_display = ["school_class", "teacher", "subject", "is_head_teacher", "term"]
    list_filter = ["school", "is_head_teacher", "term", "subject"]
    search_fields = ["teacher__full_name", "teacher__username", "school_class__name", "subject"]
    list_select_related = ["school_class", "teacher", "term", "term__school_year"]
    autocomplete_fields = ["teacher"]
