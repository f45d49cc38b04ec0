"""Who may see and do what in the dormitories.

- The moral-education office of the school: everything (buildings and
  beds, inspections, voids, every case; it may also decide the cases of
  head-teacher steps).
- The principal: reads what the office reads; posts nothing (403).
- A head teacher: reads the dorm entries, level and cases of the current
  students of their own class, and decides their cases at steps confirmed
  by the head teacher (not the office's steps: 403).
- Other staff: 403 on dorm pages (404 for objects outside their reach).
- Guardians and students: 403 everywhere here; they hear of confirmed
  cases through notifications.
Objects of another school: 404 (they are fetched within request.school).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts import roles
from accounts.roles import holds
from classes.policies import get_class_for, require_staff
from classes.selectors import current_term, head_teacher_class_ids
from students.models import Enrollment
from students.policies import get_student_for

from ..models import Confirmer, DormBuilding, DormCase, DormEvent
from .conduct import is_head_teacher_of, is_office


def can_manage_dorms(user, school) -> bool:
    return is_office(user, school)


def can_read_all_dorms(user, school) -> bool:
    """The office and the principal read every dorm page of the school."""
    return holds(user, school, roles.OFFICE_OR_PRINCIPAL)


def can_use_dorm_pages(user, school) -> bool:
    """The dorm home and case list: the office, the principal, head teachers."""
    return holds(user, school, roles.DORM_READERS)


def is_head_teacher_of_student(user, school, student_id) -> bool:
    """`user` is the head teacher of the student's current class."""
    term = current_term(school)
    if term is None:
        return False
    return Enrollment.objects.filter(
        student_id=student_id,
        end_date__isnull=True,
        school_year_id=term.school_year_id,
        school_class_id__in=head_teacher_class_ids(user, school, term),
    ).exists()


def can_decide_case(user, school, case: DormCase) -> bool:
    """The step's confirmer: the office for any step; the student's
    current head teacher for a step confirmed by the head teacher."""
    if case.school_id != school.pk:
        return False
    if is_office(user, school):
        return True
    return case.step.confirmer == Confirmer.HEAD_TEACHER and is_head_teacher_of_student(user, school, case.student_id)


def require_dorm_pages(user, school):
    require_staff(user, school)
    if not can_use_dorm_pages(user, school):
        raise PermissionDenied


def get_building_for(user, school, pk, *, manage=False):
    """A building's pages: the office (and, to read, the principal). Not
    for other people whatever the id (403), so nobody can probe ids; 404
    for another school's building."""
    require_staff(user, school)
    allowed = can_manage_dorms(user, school) if manage else can_read_all_dorms(user, school)
    if not allowed:
        raise PermissionDenied
    return get_object_or_404(DormBuilding, pk=pk, school=school)


def get_event_for_voiding(user, school, pk):
    require_staff(user, school)
    if not can_manage_dorms(user, school):
        raise PermissionDenied
    return get_object_or_404(DormEvent.objects.select_related("room", "student"), pk=pk, school=school)


def get_class_for_dorms(user, school, pk):
    """A class's dorm page: 404 out of reach (classes.policies), then 403
    for staff who reach the class but are not its head teacher, the office
    or the principal (e.g. its subject teachers)."""
    school_class = get_class_for(user, school, pk)
    if can_read_all_dorms(user, school) or is_head_teacher_of(user, school, school_class):
        return school_class
    raise PermissionDenied


def get_student_for_dorms(user, school, pk):
    """A student's dorm page: 404 out of reach (students.policies), then
    403 unless the office, the principal or their current head teacher."""
    student = get_student_for(user, school, pk)
    if can_read_all_dorms(user, school) or is_head_teacher_of_student(user, school, student.pk):
        return student
    raise PermissionDenied


def get_case_for(user, school, pk):
    """A case: 403 for people who are not staff whatever the id; 404 for
    another school's case or a student out of reach; 403 for staff who
    reach the student but may not read dorm cases."""
    require_staff(user, school)
    case = get_object_or_404(DormCase.objects.select_related("student", "step", "decided_by", "school"), pk=pk, school=school)
    if can_read_all_dorms(user, school):
        return case
    get_student_for(user, school, case.student_id)
    if is_head_teacher_of_student(user, school, case.student_id):
        return case
    raise PermissionDenied


def get_case_for_deciding(user, school, pk):
    case = get_case_for(user, school, pk)
    if not can_decide_case(user, school, case):
        raise PermissionDenied
    return case
