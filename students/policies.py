from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts import roles
from accounts.policies import is_staff_in
from accounts.roles import holds
from classes.selectors import current_term, head_teacher_class_ids

from .models import Enrollment
from .selectors import student_list_for


def get_student_for(user, school, pk):
    """The student with `pk` on a staff page: 403 for people who are not
    staff of the school (guardians use the portal), 404 for a student the
    staff member does not reach."""
    if not is_staff_in(user, school):
        raise PermissionDenied
    return get_object_or_404(student_list_for(user, school), pk=pk)


def can_see_guardian_contacts(user, school, student) -> bool:
    """Guardians' phone numbers: the office, school admins, and the head
    teacher of the student's current class. Others see them masked."""
    if holds(user, school, roles.OFFICE_OR_ADMIN):
        return True
    term = current_term(school)
    if term is None:
        return False
    return Enrollment.objects.filter(
        student=student,
        end_date__isnull=True,
        school_year_id=term.school_year_id,
        school_class_id__in=head_teacher_class_ids(user, school, term),
    ).exists()
