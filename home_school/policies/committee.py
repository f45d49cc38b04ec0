"""Who may see and do what in the parent committee part, and the reach
helpers the volunteering, participation, suggestion and parent-school
parts share.

Staff pages (under /home-school/):
- a class's committee: its head teacher manages it; the office (and school
  admins) manage every class's; the principal reads every class's; other
  staff do not know it exists (404);
- the school's committee: the office manages it; every staff member of the
  school reads it.
Guardians and students get 403 on every staff page.

Portal (under /portal/): a guardian sees the committees of their
children's current classes and the school's committee, names and roles
only; any other committee is a 404. Students get 403.
Nothing crosses schools: every object is fetched within request.school.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from accounts import roles
from accounts.policies import require_guardian, require_staff
from accounts.roles import holds
from classes.selectors import current_term, head_teacher_class_ids
from students.models import Enrollment

from ..models import Committee, CommitteeMeeting, CommitteeMember

# --- Shared reach helpers -------------------------------------------------------------


def is_home_school_office(user, school) -> bool:
    """The moral-education office and school admins run the school's
    home-school work: the school committee, school-wide activities, the
    parent school, the office's suggestion box."""
    return holds(user, school, roles.OFFICE_OR_ADMIN)


def reads_whole_school(user, school) -> bool:
    """The office, school admins and the principal read every class's
    committee, activities and recognition list."""
    return holds(user, school, roles.LEADERSHIP)




def headed_class_ids(user, school):
    """Ids of the classes `user` heads this term (a subquery)."""
    return head_teacher_class_ids(user, school, current_term(school))


def heads_class(user, school, class_id) -> bool:
    return class_id is not None and headed_class_ids(user, school).filter(school_class_id=class_id).exists()


def guardian_class_ids(user, school):
    """Ids of the classes the guardian's children are in now (a subquery)."""
    term = current_term(school)
    if term is None or not holds(user, school, roles.GUARDIANS):
        return Enrollment.objects.none().values("school_class_id")
    return Enrollment.objects.filter(
        school=school,
        school_year_id=term.school_year_id,
        end_date__isnull=True,
        student__guardianships__guardian__user=user,
        student__guardianships__guardian__school=school,
    ).values("school_class_id")


# --- Committees -------------------------------------------------------------------------


def staff_committees(user, school):
    """The committees `user` (staff) may read, unscoped by select_related."""
    qs = Committee.objects.filter(school=school)
    if reads_whole_school(user, school):
        return qs
    return qs.filter(Q(level="school") | Q(school_class_id__in=headed_class_ids(user, school)))


def can_manage_committee(user, school, committee) -> bool:
    if committee.school_id != school.pk:
        return False
    if is_home_school_office(user, school):
        return True
    return not committee.is_school_level and heads_class(user, school, committee.school_class_id)


def can_set_up_class_committee(user, school, school_class) -> bool:
    return school_class.school_id == school.pk and (
        is_home_school_office(user, school) or heads_class(user, school, school_class.pk)
    )


def get_committee_for(user, school, pk):
    """A committee on a staff page: 403 for non-staff, 404 out of reach."""
    require_staff(user, school)
    return get_object_or_404(staff_committees(user, school).select_related("school_class"), pk=pk)


def get_committee_for_managing(user, school, pk):
    committee = get_committee_for(user, school, pk)
    if not can_manage_committee(user, school, committee):
        raise PermissionDenied
    return committee


def get_member_for_managing(user, school, pk):
    require_staff(user, school)
    member = get_object_or_404(
        CommitteeMember.objects.select_related("committee", "committee__school_class", "guardian"), pk=pk, school=school
    )
    get_committee_for_managing(user, school, member.committee_id)
    return member


def get_meeting_for(user, school, pk):
    require_staff(user, school)
    meeting = get_object_or_404(
        CommitteeMeeting.objects.select_related("committee", "committee__school_class", "recorded_by"), pk=pk, school=school
    )
    get_committee_for(user, school, meeting.committee_id)
    return meeting


def get_meeting_for_managing(user, school, pk):
    meeting = get_meeting_for(user, school, pk)
    if not can_manage_committee(user, school, meeting.committee):
        raise PermissionDenied
    return meeting


def get_portal_committee_for(user, school, pk):
    from ..selectors.committee import portal_committees_for

    require_guardian(user, school)
    return get_object_or_404(portal_committees_for(user, school), pk=pk)
