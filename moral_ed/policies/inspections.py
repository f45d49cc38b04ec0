"""Who may inspect, void, veto and read class inspections.

- Inspect (the grid, recording): the moral-education office, for any class
  of its school and any day of the current term up to today; students on
  duty (值周生, Role.DUTY_STUDENT) for any class of their school, today
  only. Nobody else: teachers, the principal, guardians and students get
  403; another school's class is 404.
- Void an inspection entry: the office, any entry of its school; a duty
  student only their own entries, on the day they were made for.
- A class's inspection history: its head teacher, the office and the
  principal (school administrators too); a head teacher of another class
  gets 404 (classes.policies.get_class_for), other staff who reach the
  class 403, non-staff (duty students included) 403.
- Vetoes: the office records and voids; the principal reads the list.
- The published weekly ranking: every member of the school.

A duty student is not staff (accounts.models.STAFF_ROLES): every staff
page refuses them through classes.policies.require_staff, and the portal
only admits guardians and students. These pages are all they reach.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts import roles
from accounts.policies import roles_in
from accounts.roles import holds
from classes.models import SchoolClass
from classes.policies import get_class_for, require_staff
from classes.selectors import current_term, head_teacher_class_ids

from ..models import ClassEvent, ClassVeto


def is_inspection_office(user, school) -> bool:
    return holds(user, school, roles.OFFICE)


def is_duty_student(user, school) -> bool:
    return holds(user, school, roles.DUTY_STUDENTS)


def can_inspect(user, school) -> bool:
    return holds(user, school, roles.INSPECTORS)


def require_inspector(user, school):
    if school is None or not can_inspect(user, school):
        raise PermissionDenied


def can_record_on(user, school, day: datetime.date) -> bool:
    """The office records for any day (the service keeps it inside the
    term and not in the future); a duty student for today only."""
    if is_inspection_office(user, school):
        return True
    return is_duty_student(user, school) and day == timezone.localdate()


def can_void_inspection(user, school, event: ClassEvent) -> bool:
    if event.school_id != school.pk:
        return False
    if is_inspection_office(user, school):
        return True
    return (
        is_duty_student(user, school)
        and event.recorded_by_id == user.pk
        and event.occurred_on == timezone.localdate()
    )


def get_class_for_inspecting(user, school, pk) -> SchoolClass:
    """A class of the school's current year for the grid: 403 for anyone
    who does not inspect (whatever the id), 404 for a class of another
    school or year."""
    require_inspector(user, school)
    term = current_term(school)
    if term is None:
        raise PermissionDenied
    return get_object_or_404(
        SchoolClass.objects.select_related("grade"), pk=pk, school=school, school_year_id=term.school_year_id
    )


def get_inspection_for_voiding(user, school, pk) -> ClassEvent:
    require_inspector(user, school)
    event = get_object_or_404(ClassEvent.objects.select_related("school_class", "item"), pk=pk, school=school)
    if not can_void_inspection(user, school, event):
        raise PermissionDenied
    return event


def get_class_for_inspection_history(user, school, pk) -> SchoolClass:
    """The class's own inspection page: 404 where the person may not know
    the class, 403 for staff who reach it but are not its head teacher,
    the office, the principal or a school administrator."""
    school_class = get_class_for(user, school, pk)
    if holds(user, school, roles.LEADERSHIP):
        return school_class
    term = current_term(school)
    if head_teacher_class_ids(user, school, term).filter(school_class_id=school_class.pk).exists():
        return school_class
    raise PermissionDenied


def can_read_vetoes(user, school) -> bool:
    return holds(user, school, roles.OFFICE_OR_PRINCIPAL)


def require_veto_reader(user, school):
    require_staff(user, school)
    if not can_read_vetoes(user, school):
        raise PermissionDenied


def require_veto_office(user, school):
    if school is None or not is_inspection_office(user, school):
        raise PermissionDenied


def get_veto_for_voiding(user, school, pk) -> ClassVeto:
    require_veto_office(user, school)
    return get_object_or_404(ClassVeto.objects.select_related("school_class", "term"), pk=pk, school=school)


def require_school_member(user, school):
    """Any role in the school: staff, guardians, students, duty students."""
    if school is None or not roles_in(user, school):
        raise PermissionDenied
