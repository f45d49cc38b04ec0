from django.urls import reverse

from . import roles as role_groups
from .models import Role


def home_url_for(user, school, roles) -> str:
    """Where a person lands after login, by role (most specific first)."""
    if school is None:
        if user.is_staff:
            return reverse("admin:index")
        return reverse("accounts:no_school")
    if Role.HEAD_TEACHER in roles:
        from classes.models import SchoolClass
        from classes.selectors import current_term, head_teacher_class_ids

        term = current_term(school)
        first = (
            SchoolClass.objects.filter(pk__in=head_teacher_class_ids(user, school, term))
            .order_by("grade__level", "number")
            .values_list("pk", flat=True)
            .first()
        )
        if first:
            return reverse("classes:class_detail", args=[first])
    if roles & role_groups.STAFF_BUT_ADMIN:
        return reverse("classes:class_list")
    if Role.SCHOOL_ADMIN in roles:
        return reverse("admin:index")
    if Role.DUTY_STUDENT in roles:
        # 值周生: the inspection grid is all they use (moral_ed.policies.inspections).
        return reverse("moral_ed:inspection_grid")
    if roles & role_groups.PORTAL:
        return reverse("home_school:portal_home")
    return reverse("accounts:no_school")
