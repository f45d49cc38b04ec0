"""Reads of students and guardians, scoped to the person asking."""

from django.db.models import Prefetch, Q

from accounts import roles
from accounts.policies import has_school_wide_reach
from accounts.roles import holds
from classes.selectors import current_term, taught_class_ids

from .models import Enrollment, Guardianship, Student


def _open_enrollments(term):
    qs = Enrollment.objects.filter(end_date__isnull=True).select_related("school_class", "school_class__grade")
    if term is not None:
        qs = qs.filter(school_year_id=term.school_year_id)
    return qs


def student_list_for(user, school, *, term=None):
    """Students of `school` that `user` may see: everyone for school-wide
    roles; the current students of their classes for teachers; their own
    children for guardians; themselves for students. Each student carries
    `current_enrollments` (0 or 1 item) for the current school year."""
    if school is None:
        return Student.objects.none()
    term = term or current_term(school)
    qs = Student.objects.filter(school=school)
    if not has_school_wide_reach(user, school):
        q = Q(pk__in=[])
        if term is not None and holds(user, school, roles.TEACHERS):
            q |= Q(
                pk__in=Enrollment.objects.filter(
                    school=school,
                    school_year_id=term.school_year_id,
                    end_date__isnull=True,
                    school_class_id__in=taught_class_ids(user, school, term),
                ).values("student_id")
            )
        if holds(user, school, roles.GUARDIANS):
            q |= Q(pk__in=children_ids(user, school))
        if holds(user, school, roles.STUDENTS):
            q |= Q(user=user)
        qs = qs.filter(q)
    return qs.prefetch_related(
        Prefetch("enrollments", queryset=_open_enrollments(term), to_attr="current_enrollments")
    ).order_by("student_number")


def children_ids(user, school):
    """The ids of a guardian's own children in `school` (a school or its
    id), as a subquery: the one spelling of "my children" the portal's
    doors and lists use."""
    return Guardianship.objects.filter(school=school, guardian__user=user).values("student_id")


def children_of(user, school):
    """A guardian's own children in `school` (for the portal)."""
    if school is None or not holds(user, school, roles.GUARDIANS):
        return Student.objects.none()
    term = current_term(school)
    return (
        Student.objects.filter(school=school, guardianships__guardian__user=user)
        .prefetch_related(Prefetch("enrollments", queryset=_open_enrollments(term), to_attr="current_enrollments"))
        .order_by("name", "pk")
        .distinct()
    )


def roster_for_class(school_class):
    """The students currently enrolled in a class, with their guardians;
    three queries whatever the class size."""
    guardianships = Guardianship.objects.select_related("guardian").order_by("-is_primary", "pk")
    return (
        Student.objects.filter(
            enrollments__school_class=school_class, enrollments__end_date__isnull=True
        )
        .prefetch_related(Prefetch("guardianships", queryset=guardianships))
        .order_by("student_number")
    )


def enrollment_history(student):
    return student.enrollments.select_related("school_class", "school_year").order_by("-start_date", "-id")


def guardianships_of(student):
    return student.guardianships.select_related("guardian").order_by("-is_primary", "pk")
