"""School scoping for the Django admin.

A superuser sees every school. A school administrator (is_staff and the
school_admin role) sees and edits only rows of the schools they administer,
and foreign-key choices are limited to those schools.
"""

from django.contrib import admin

from .models import Membership, Role


def admin_school_ids(request) -> list[int]:
    cache = request.__dict__.setdefault("_banwu_admin_school_ids", None)
    if cache is None:
        cache = list(
            Membership.objects.filter(user=request.user, role=Role.SCHOOL_ADMIN, school__is_active=True).values_list(
                "school_id", flat=True
            )
        )
        request._banwu_admin_school_ids = cache
    return cache


def is_school_admin(request) -> bool:
    return request.user.is_active and request.user.is_staff and bool(admin_school_ids(request))


class SchoolScopedAdmin(admin.ModelAdmin):
    """For models with a `school` foreign key, or a path to one
    (`school_field = "notification__school"`; a path through a reverse or
    many-to-many relation such as "user__memberships__school" is allowed)."""

    school_field = "school"

    def _allowed(self, request):
        return request.user.is_superuser or is_school_admin(request)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request) and self._owns(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request) and self._owns(request, obj)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request) and self._owns(request, obj)

    def _owns(self, request, obj):
        if obj is None or request.user.is_superuser:
            return True
        if "__" in self.school_field:
            # A path through relations: ask the database (one query).
            return self._scoped(self.model._default_manager.filter(pk=obj.pk), request).exists()
        school_id = getattr(obj, f"{self.school_field}_id", None)
        return school_id in admin_school_ids(request)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return self._scoped(qs, request)

    def _scoped(self, qs, request):
        lookup = {f"{self.school_field}__in": admin_school_ids(request)}
        if _crosses_many(self.model, self.school_field):
            # A join through a to-many relation would repeat rows.
            return qs.filter(pk__in=self.model._default_manager.filter(**lookup).values("pk"))
        return qs.filter(**lookup)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            model = db_field.related_model
            from classes.models import School

            ids = admin_school_ids(request)
            if model is School:
                kwargs["queryset"] = School.objects.filter(pk__in=ids)
            elif any(f.name == "school" for f in model._meta.get_fields()):
                kwargs["queryset"] = model._default_manager.filter(school__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _crosses_many(model, path: str) -> bool:
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.one_to_many or field.many_to_many:
            return True
        model = field.related_model
    return False
