"""Reads of the school's structure, scoped to the person asking."""

from django.db.models import Count, Prefetch, Q

from accounts.models import Role
from accounts.policies import has_role, has_school_wide_reach

from .models import SchoolClass, TeachingAssignment, Term


def current_term(school) -> Term | None:
    """The school's current term (at most one: constraint term_one_current_per_school)."""
    if school is None:
        return None
    return Term.objects.filter(school=school, is_current=True).select_related("school_year").first()


def taught_class_ids(user, school, term) -> "QuerySet":
    """Ids of the classes `user` reaches as a teacher in `term`: as head
    teacher (needs the head-teacher role) and as subject teacher (needs the
    subject-teacher role). Returned as a subquery."""
    q = Q(pk__in=[])
    if has_role(user, school, Role.HEAD_TEACHER):
        q |= Q(is_head_teacher=True)
    if has_role(user, school, Role.SUBJECT_TEACHER):
        q |= Q(is_head_teacher=False)
    return TeachingAssignment.objects.filter(q, school=school, term=term, teacher=user).values("school_class_id")


def head_teacher_class_ids(user, school, term):
    if term is None or not has_role(user, school, Role.HEAD_TEACHER):
        return TeachingAssignment.objects.none().values("school_class_id")
    return TeachingAssignment.objects.filter(
        school=school, term=term, teacher=user, is_head_teacher=True
    ).values("school_class_id")


def class_list_for(user, school, *, term=None):
    """Classes of the current school year that `user` may see, with the
    head teacher and the number of enrolled students; three queries
    whatever the number of classes."""
    term = term or current_term(school)
    if term is None:
        return SchoolClass.objects.none()
    qs = SchoolClass.objects.filter(school=school, school_year=term.school_year)
    if not has_school_wide_reach(user, school):
        qs = qs.filter(pk__in=taught_class_ids(user, school, term))
    head = TeachingAssignment.objects.filter(term=term, is_head_teacher=True).select_related("teacher")
    return (
        qs.select_related("grade", "school_year")
        .annotate(student_count=Count("enrollments", filter=Q(enrollments__end_date__isnull=True)))
        .prefetch_related(Prefetch("assignments", queryset=head, to_attr="head_assignments"))
        .order_by("grade__level", "number")
    )
