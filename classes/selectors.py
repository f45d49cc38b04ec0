"""Reads of the school's structure, scoped to the person asking."""

from django.db.models import Count, F, FilteredRelation, Prefetch, Q

from accounts import roles
from accounts.policies import has_school_wide_reach
from accounts.roles import holds

from .models import SchoolClass, TeachingAssignment, Term

_TERM_FIELDS = ("pk", "school_year_id", "number", "start_date", "end_date")


def current_term(school) -> Term | None:
    """The school's current term (at most one: constraint
    term_one_current_per_school). Remembered on the school object, so a
    request asks the database at most once (and not at all when the
    middleware brought it with the memberships)."""
    if school is None:
        return None
    if "_current_term" not in school.__dict__:
        school._current_term = Term.objects.filter(school=school, is_current=True).first()
    return school._current_term


def with_current_term(queryset, school_field="school"):
    """Annotate rows that have a school with that school's current term:
    one LEFT JOIN on the term (at most one current term per school, so
    rows are not multiplied)."""
    relation = f"{school_field}__terms"
    annotations = {f"_term_{field}": F(f"_current_term__{'id' if field == 'pk' else field}") for field in _TERM_FIELDS}
    return queryset.annotate(
        _current_term=FilteredRelation(relation, condition=Q(**{f"{relation}__is_current": True}))
    ).annotate(**annotations)


def remember_current_term(school, row) -> None:
    """Build the current Term from a row annotated by with_current_term."""
    if getattr(row, "_term_pk", None) is None:
        school._current_term = None
        return
    school._current_term = Term(
        pk=row._term_pk,
        school_id=school.pk,
        school_year_id=row._term_school_year_id,
        number=row._term_number,
        start_date=row._term_start_date,
        end_date=row._term_end_date,
        is_current=True,
    )


def taught_class_ids(user, school, term):
    """Ids of the classes `user` reaches as a teacher in `term`: as head
    teacher (needs the head-teacher role) and as subject teacher (needs the
    subject-teacher role). Returned as a subquery."""
    q = Q(pk__in=[])
    if holds(user, school, roles.HEAD_TEACHERS):
        q |= Q(is_head_teacher=True)
    if holds(user, school, roles.SUBJECT_TEACHERS):
        q |= Q(is_head_teacher=False)
    return TeachingAssignment.objects.filter(q, school=school, term=term, teacher=user).values("school_class_id")


def head_teacher_class_ids(user, school, term):
    if term is None or not holds(user, school, roles.HEAD_TEACHERS):
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
    qs = SchoolClass.objects.filter(school=school, school_year_id=term.school_year_id)
    if not has_school_wide_reach(user, school):
        qs = qs.filter(pk__in=taught_class_ids(user, school, term))
    head = TeachingAssignment.objects.filter(term=term, is_head_teacher=True).select_related("teacher")
    return (
        qs.select_related("grade", "school_year")
        .annotate(student_count=Count("enrollments", filter=Q(enrollments__end_date__isnull=True)))
        .prefetch_related(Prefetch("assignments", queryset=head, to_attr="head_assignments"))
        .order_by("grade__level", "number")
    )
