"""Who may see and do what with parent meetings.

- Schedule: the office (any class or grade of the school) and head
  teachers (their own class).
- See a meeting on the staff pages: staff who reach it
  (selectors.meetings.meeting_list_for); 404 otherwise.
- Manage it (agenda, topics, minutes, follow-ups): the office, and the
  class's head teacher for a class meeting; 403 for others who see it.
- Take attendance: the office for every family, a head teacher for the
  families of the classes they lead among the meeting's classes.
- The portal page: guardians of a child the meeting is for; 404 otherwise.
Guardians and students get 403 on staff pages; staff get 403 on the portal.
Another school's objects are never found (404).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts import roles
from accounts.policies import require_guardian
from accounts.roles import holds
from classes.models import Grade, SchoolClass
from classes.policies import require_staff
from classes.selectors import head_teacher_class_ids

from ..models import FollowUpAction, TopicProposal
from ..selectors.meetings import meeting_class_ids, meeting_list_for, meeting_list_for_guardian


def is_meeting_office(user, school) -> bool:
    return holds(user, school, roles.OFFICE_OR_ADMIN)


def can_schedule_meetings(user, school) -> bool:
    return is_meeting_office(user, school) or holds(user, school, roles.HEAD_TEACHERS)


def schedulable_classes(user, school, term):
    """The classes `user` may schedule a meeting for in `term`."""
    if term is None:
        return SchoolClass.objects.none()
    qs = SchoolClass.objects.filter(school=school, school_year_id=term.school_year_id).select_related("grade")
    if not is_meeting_office(user, school):
        qs = qs.filter(pk__in=head_teacher_class_ids(user, school, term))
    return qs.order_by("grade__level", "number")


def schedulable_grades(user, school, term):
    """Grade meetings are the office's."""
    if term is None or not is_meeting_office(user, school):
        return Grade.objects.none()
    return Grade.objects.filter(school=school, classes__school_year_id=term.school_year_id).distinct().order_by("level")


def require_scheduler(user, school):
    require_staff(user, school)
    if not can_schedule_meetings(user, school):
        raise PermissionDenied


def can_manage_meeting(user, school, meeting) -> bool:
    if meeting.school_id != school.pk:
        return False
    if is_meeting_office(user, school):
        return True
    if meeting.school_class_id is None:
        return False
    return (
        head_teacher_class_ids(user, school, meeting.term)
        .filter(school_class_id=meeting.school_class_id)
        .exists()
    )


def attendance_class_ids(user, school, meeting) -> set[int]:
    """The meeting's classes whose families `user` may mark present."""
    if meeting.school_id != school.pk:
        return set()
    classes = meeting_class_ids(meeting)
    if is_meeting_office(user, school):
        return classes
    led = set(head_teacher_class_ids(user, school, meeting.term).values_list("school_class_id", flat=True))
    return classes & led


def get_meeting_for(user, school, pk):
    """A meeting on the staff pages: 403 for non-staff, 404 out of reach."""
    require_staff(user, school)
    return get_object_or_404(meeting_list_for(user, school), pk=pk)


def get_meeting_for_managing(user, school, pk):
    meeting = get_meeting_for(user, school, pk)
    if not can_manage_meeting(user, school, meeting):
        raise PermissionDenied
    return meeting


def get_meeting_for_attendance(user, school, pk):
    """The meeting and the classes whose families `user` marks."""
    meeting = get_meeting_for(user, school, pk)
    class_ids = attendance_class_ids(user, school, meeting)
    if not class_ids:
        raise PermissionDenied
    return meeting, class_ids


def get_proposal_for_deciding(user, school, pk):
    # Non-staff first (403 whatever the id), so a guardian cannot probe ids.
    require_staff(user, school)
    proposal = get_object_or_404(TopicProposal.objects.select_related("student"), pk=pk, school=school)
    proposal.meeting = get_meeting_for_managing(user, school, proposal.meeting_id)
    return proposal


def get_follow_up_for_managing(user, school, pk):
    require_staff(user, school)
    action = get_object_or_404(FollowUpAction.objects.all(), pk=pk, school=school)
    action.meeting = get_meeting_for_managing(user, school, action.meeting_id)
    return action



def get_meeting_for_guardian(user, school, pk):
    require_guardian(user, school)
    return get_object_or_404(meeting_list_for_guardian(user, school), pk=pk)
