"""Who may record, review, void and award in the conduct ledger.

- Record points: the class's head teacher, the class's subject teachers,
  and the moral-education office for any class of the school.
- Manage a class's groups, rewards, stars and review queue: its head teacher.
- Void an event: whoever recorded it, the class's head teacher, the office.
- Confirm school stars: the office.
Nobody acts across schools: every object is first fetched within the
person's school and reach (404 otherwise).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts import roles
from accounts.roles import holds
from classes.models import SchoolClass, TeachingAssignment
from classes.policies import get_class_for, require_staff
from classes.selectors import current_term, head_teacher_class_ids, taught_class_ids
from students.policies import get_student_for

from ..models import ConductEvent, StarAward, StudentGroup


def is_office(user, school) -> bool:
    return holds(user, school, roles.OFFICE)


def is_head_teacher_of(user, school, school_class) -> bool:
    term = current_term(school)
    return term is not None and head_teacher_class_ids(user, school, term).filter(school_class_id=school_class.pk).exists()


def can_record_points(user, school, school_class) -> bool:
    if is_office(user, school):
        return school_class.school_id == school.pk
    term = current_term(school)
    return term is not None and taught_class_ids(user, school, term).filter(school_class_id=school_class.pk).exists()


def can_manage_class(user, school, school_class) -> bool:
    return is_head_teacher_of(user, school, school_class)


def can_void_event(user, school, event: ConductEvent) -> bool:
    if event.school_id != school.pk:
        return False
    if event.recorded_by_id == user.pk or is_office(user, school):
        return True
    return is_head_teacher_of(user, school, event.school_class)


def get_class_for_recording(user, school, pk):
    """The class to record points in, with `release_time` (the school's
    staged-release time, None when the school has no conduct settings):
    one query on the way that succeeds. For a teacher, `as_head` says
    whether they are the class's head teacher (None for the office). 404
    if out of reach, 403 if the person may see it but not record (e.g. the
    principal).

    This runs on every tap of the entry page, so it is one small
    hand-written query (compiling the ORM's JOIN cost more than running it;
    docs/performance.md): the class, the release time, and for a teacher
    their assignment in the current term, the head teacher's row first."""
    from ..models import ConductSettings

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    sql = (
        "SELECT c.id, c.school_id, c.school_year_id, c.grade_id, c.number, c.name, cs.release_time AS release_time, {as_head} AS as_head "
        f"FROM {SchoolClass._meta.db_table} c LEFT JOIN {ConductSettings._meta.db_table} cs ON cs.school_id = c.school_id "
        "{join} WHERE c.id = %s AND c.school_id = %s {tail}"
    )
    rows = []
    term = current_term(school)
    if is_office(user, school):
        # Any class of the school, but of the current school year only (as
        # classes.selectors.class_list_for shows the office).
        if term is not None:
            query = sql.format(as_head="NULL", join="", tail="AND c.school_year_id = %s")
            rows = list(SchoolClass.objects.raw(query, [pk, school.pk, term.school_year_id]))
    else:
        kinds = [kind for group, kind in ((roles.HEAD_TEACHERS, True), (roles.SUBJECT_TEACHERS, False)) if holds(user, school, group)]
        if term is not None and kinds:
            marks = ", ".join(["%s"] * len(kinds))
            join = (
                f"JOIN {TeachingAssignment._meta.db_table} t ON t.school_class_id = c.id AND t.term_id = %s "
                f"AND t.teacher_id = %s AND t.is_head_teacher IN ({marks})"
            )
            query = sql.format(as_head="t.is_head_teacher", join=join, tail="ORDER BY t.is_head_teacher DESC")
            rows = list(SchoolClass.objects.raw(query, [term.pk, user.pk, *kinds, pk, school.pk]))
    school_class = rows[0] if rows else None
    if school_class is None:
        get_class_for(user, school, pk)  # 404 when out of reach (or not staff: 403)
        raise PermissionDenied
    school_class.school = school
    # Raw annotations skip the fields' converters: SQLite gives "20:00:00" and 0/1.
    if isinstance(school_class.release_time, str):
        school_class.release_time = datetime.time.fromisoformat(school_class.release_time)
    # None: not known from this query (the office's path); see can_manage_class.
    school_class.as_head = None if school_class.as_head is None else bool(school_class.as_head)
    return school_class


def get_class_for_managing(user, school, pk):
    school_class = get_class_for(user, school, pk)
    if not can_manage_class(user, school, school_class):
        raise PermissionDenied
    return school_class


def get_student_points_for(user, school, pk):
    """A student's conduct page: staff who reach the student."""
    return get_student_for(user, school, pk)


def get_event_for_voiding(user, school, pk):
    require_staff(user, school)
    event = get_object_or_404(
        ConductEvent.objects.select_related("school_class", "student"), pk=pk, school=school
    )
    # Reach first (404), then the right to void (403).
    get_student_for(user, school, event.student_id)
    if not can_void_event(user, school, event):
        raise PermissionDenied
    return event


def get_group_for_managing(user, school, pk):
    # Non-staff first (403 whatever the id), so a guardian cannot tell which group ids exist.
    require_staff(user, school)
    group = get_object_or_404(StudentGroup.objects.select_related("school_class"), pk=pk, school=school)
    get_class_for_managing(user, school, group.school_class_id)
    return group


def get_star_for_deciding(user, school, pk):
    if not is_office(user, school):
        raise PermissionDenied
    return get_object_or_404(StarAward.objects.select_related("student", "category"), pk=pk, school=school)
