from django.shortcuts import get_object_or_404

from accounts import roles
from accounts.policies import require_staff
from accounts.roles import holds

from .selectors import class_list_for, current_term, head_teacher_class_ids


def get_class_for(user, school, pk):
    """The class with `pk` if `user` may see it; 404 otherwise, so a person
    cannot learn that another school's or another teacher's class exists."""
    require_staff(user, school)
    return get_object_or_404(class_list_for(user, school), pk=pk)


def can_export_roster(user, school, school_class) -> bool:
    """The class's head teacher, the office and school admins export rosters
    (they hold guardians' phone numbers)."""
    if holds(user, school, roles.OFFICE_OR_ADMIN):
        return True
    term = current_term(school)
    return head_teacher_class_ids(user, school, term).filter(school_class_id=school_class.pk).exists()
