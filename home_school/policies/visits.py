"""Who may see and do what with home visits.

- Plan: a teacher for the students of the classes they teach (the visit is
  theirs); the office for any student and any teacher of the school.
- See a visit, notes included: its teacher, the teacher's supervisor for
  that term, the office, school admins and the principal (404 for others).
- Record it: its teacher only (403 for others who see it).
- Cancel it: its teacher or the office.
- Assign supervisors: the office.
Guardians and students get 403 on every staff page; their portal list shows
the plan without the notes. Another school's objects are never found.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts import roles
from accounts.roles import holds
from classes.policies import require_staff
from classes.selectors import taught_class_ids
from students.models import Enrollment, Student

from ..models import VisitSupervision
from ..selectors.visits import is_teacher, school_teachers, visit_list_for


def is_visit_office(user, school) -> bool:
    return holds(user, school, roles.OFFICE_OR_ADMIN)


def can_plan_visits(user, school) -> bool:
    return is_visit_office(user, school) or is_teacher(user, school)


def require_planner(user, school):
    require_staff(user, school)
    if not can_plan_visits(user, school):
        raise PermissionDenied


def plannable_students(user, school, term):
    """Students `user` may plan a visit to: the current students of the
    classes they teach; every current student for the office."""
    if term is None:
        return Student.objects.none()
    enrollments = Enrollment.objects.filter(school=school, school_year_id=term.school_year_id, end_date__isnull=True)
    if not is_visit_office(user, school):
        enrollments = enrollments.filter(school_class_id__in=taught_class_ids(user, school, term))
    return Student.objects.filter(school=school, pk__in=enrollments.values("student_id")).order_by("student_number")


def plannable_teachers(user, school):
    """The office plans for any teacher; a teacher plans their own visits."""
    if is_visit_office(user, school):
        return school_teachers(school)
    return school_teachers(school).filter(pk=user.pk)


def get_visit_for(user, school, pk):
    """A visit on the staff pages: 403 for non-staff, 404 out of reach."""
    require_staff(user, school)
    return get_object_or_404(visit_list_for(user, school), pk=pk)


def can_record_visit(user, visit) -> bool:
    return visit.teacher_id == user.pk


def can_cancel_visit(user, school, visit) -> bool:
    return visit.teacher_id == user.pk or is_visit_office(user, school)


def get_visit_for_recording(user, school, pk):
    visit = get_visit_for(user, school, pk)
    if not can_record_visit(user, visit):
        raise PermissionDenied
    return visit


def get_visit_for_cancelling(user, school, pk):
    visit = get_visit_for(user, school, pk)
    if not can_cancel_visit(user, school, visit):
        raise PermissionDenied
    return visit


def require_visit_office(user, school):
    require_staff(user, school)
    if not is_visit_office(user, school):
        raise PermissionDenied


def get_supervision_for_office(user, school, pk):
    require_visit_office(user, school)
    return get_object_or_404(VisitSupervision.objects.select_related("supervisor", "teacher"), pk=pk, school=school)
