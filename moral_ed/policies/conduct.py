"""Who may record, review, void and award in the conduct ledger.

- Record points: the class's head teacher, the class's subject teachers,
  and the moral-education office for any class of the school.
- Manage a class's groups, rewards, stars and review queue: its head teacher.
- Void an event: whoever recorded it, the class's head teacher, the office.
- Confirm school stars: the office.
Nobody acts across schools: every object is first fetched within the
person's school and reach (404 otherwise).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import get_object_or_404

from accounts.models import Role
from accounts.policies import has_role
from classes.models import SchoolClass
from classes.policies import get_class_for, require_staff
from classes.selectors import current_term, head_teacher_class_ids, taught_class_ids
from students.policies import get_student_for

from ..models import ConductEvent, StarAward, StudentGroup


def is_office(user, school) -> bool:
    return has_role(user, school, Role.OFFICE)


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

    This runs on every tap of the entry page (docs/performance.md), so the
    query is kept small: the teaching assignment is a JOIN, not a subquery,
    and only the class's own columns are read."""
    qs = (
        SchoolClass.objects.filter(pk=pk, school=school)
        .annotate(release_time=F("school__conduct_settings__release_time"))
        .only("pk", "school_id", "school_year_id", "grade_id", "number", "name")
    )
    if not is_office(user, school):
        term = current_term(school)
        kinds = [kind for role, kind in ((Role.HEAD_TEACHER, True), (Role.SUBJECT_TEACHER, False)) if has_role(user, school, role)]
        if term is None or not kinds:
            qs = qs.none()
        else:
            # The head teacher's row first: `as_head` then tells the entry
            # page whether this person manages the class, without a query.
            qs = qs.filter(
                assignments__term=term, assignments__teacher=user, assignments__is_head_teacher__in=kinds
            ).annotate(as_head=F("assignments__is_head_teacher")).order_by("-as_head")
    school_class = qs.first()
    if school_class is None:
        get_class_for(user, school, pk)  # 404 when out of reach (or not staff: 403)
        raise PermissionDenied
    school_class.school = school
    # None: not known from this query (the office's path); see can_manage_class.
    school_class.as_head = getattr(school_class, "as_head", None)
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
