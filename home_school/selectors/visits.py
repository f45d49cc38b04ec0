"""Reads of home visits, scoped to the person asking.

Staff reach (visit_list_for): the office, school admins and the principal
see every visit of the school; a teacher sees their own visits; a
home-visit supervisor also sees the visits of the teachers they supervise
in that term. Guardians (visit_list_for_guardian) see that a visit is
planned or done, with its date, method and teacher, never the notes.
"""

from django.db.models import Count, Exists, OuterRef, Q

from accounts import roles
from accounts.models import User
from accounts.policies import is_staff_in
from accounts.roles import holds
from classes.models import TeachingAssignment
from students.selectors import children_ids

from ..models import HomeVisit, VisitMethod, VisitSupervision

# The notes stay in the database when a guardian's list is read.
_NOTES = ("family_situation", "discussed", "follow_up")


def sees_all_visits(user, school) -> bool:
    return holds(user, school, roles.LEADERSHIP)


def is_teacher(user, school) -> bool:
    return holds(user, school, roles.TEACHERS)


def supervised_teacher_ids(user, school, term):
    if term is None:
        return VisitSupervision.objects.none().values("teacher_id")
    return VisitSupervision.objects.filter(school=school, term=term, supervisor=user).values("teacher_id")


def is_supervisor(user, school, term) -> bool:
    return term is not None and VisitSupervision.objects.filter(school=school, term=term, supervisor=user).exists()


def visit_list_for(user, school):
    """Visits `user` reaches on the staff pages, any term."""
    if school is None or not is_staff_in(user, school):
        return HomeVisit.objects.none()
    qs = HomeVisit.objects.filter(school=school)
    if not sees_all_visits(user, school):
        supervised = VisitSupervision.objects.filter(
            school=school, supervisor=user, term=OuterRef("term"), teacher=OuterRef("teacher")
        )
        qs = qs.filter(Q(teacher=user) | Q(Exists(supervised)))
    return qs.select_related("student", "teacher", "term")


def visit_rows_for(user, school, term, *, teacher_id=None, status=None):
    """The list page: the term's visits in reach, soonest planned first."""
    if term is None:
        return HomeVisit.objects.none()
    qs = visit_list_for(user, school).filter(term=term)
    if teacher_id:
        qs = qs.filter(teacher_id=teacher_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "planned_on", "pk")


def visit_counts_by_teacher(user, school, term) -> list[dict]:
    """Per teacher for the term: planned (not cancelled), done, still
    waiting, and done visits by method. The office sees every head teacher
    of the term and every teacher with a visit; a supervisor their
    teachers; a teacher themself. Two queries whatever the numbers."""
    if term is None:
        return []
    by_method = {f"done_{m}": Count("pk", filter=Q(status=HomeVisit.Status.DONE, method=m)) for m in VisitMethod.values}
    rows = {
        r["teacher_id"]: r
        for r in visit_list_for(user, school)
        .filter(term=term)
        .order_by()
        .values("teacher_id")
        .annotate(
            planned=Count("pk", filter=~Q(status=HomeVisit.Status.CANCELLED)),
            done=Count("pk", filter=Q(status=HomeVisit.Status.DONE)),
            waiting=Count("pk", filter=Q(status=HomeVisit.Status.PLANNED)),
            **by_method,
        )
    }
    teacher_q = Q(pk__in=list(rows))
    if sees_all_visits(user, school):
        teacher_q |= Q(pk__in=TeachingAssignment.objects.filter(school=school, term=term, is_head_teacher=True).values("teacher_id"))
    else:
        teacher_q |= Q(pk__in=supervised_teacher_ids(user, school, term))
        if is_teacher(user, school):
            teacher_q |= Q(pk=user.pk)
    empty = {"planned": 0, "done": 0, "waiting": 0, **{k: 0 for k in by_method}}
    result = []
    for teacher in User.objects.filter(teacher_q).order_by("full_name", "username"):
        row = {**empty, **{k: v for k, v in rows.get(teacher.pk, {}).items() if k != "teacher_id"}}
        row["teacher"] = teacher
        result.append(row)
    return result


def supervisions_for_term(school, term):
    if term is None:
        return VisitSupervision.objects.none()
    return (
        VisitSupervision.objects.filter(school=school, term=term)
        .select_related("supervisor", "teacher")
        .order_by("supervisor__full_name", "supervisor_id", "teacher__full_name", "teacher_id")
    )


def school_staff(school):
    """The school's staff accounts (for supervisor and owner choices)."""
    return (
        User.objects.filter(is_active=True, memberships__school=school, memberships__role__in=list(roles.STAFF))
        .distinct()
        .order_by("full_name", "username")
    )


def school_teachers(school):
    """Accounts holding a teacher role in the school."""
    return (
        User.objects.filter(
            is_active=True, memberships__school=school, memberships__role__in=list(roles.TEACHERS)
        )
        .distinct()
        .order_by("full_name", "username")
    )


def visit_list_for_guardian(user, school):
    """The guardian's children's planned and done visits, without the
    teacher's notes (they are not even read from the database)."""
    if school is None or not holds(user, school, roles.GUARDIANS):
        return HomeVisit.objects.none()
    children = children_ids(user, school)
    return (
        HomeVisit.objects.filter(school=school, student__in=children, status__in=[HomeVisit.Status.PLANNED, HomeVisit.Status.DONE])
        .defer(*_NOTES)
        .select_related("student", "teacher")
        .order_by("-planned_on", "-pk")
    )
