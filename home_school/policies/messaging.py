"""Who may read and write messages between school and family.

- A conversation's members: its teacher, and whoever is a guardian of its
  student now (Guardianship). Nobody else reads it: not the office, not the
  principal, not another teacher of the class. Non-members get 404 from
  every URL, so a conversation's existence does not leak.
- Start a conversation: a head teacher or subject teacher with the student
  in a class they teach this term (classes.selectors.taught_class_ids).
  A guardian may start one with their child's current head teacher only:
  subject teachers are reached when they write first, which keeps each
  teacher's inbox to the families they chose or lead.
- Post: members, while the teacher still teaches the student; afterwards
  the conversation stays readable but closed.
- Office hours: head and subject teachers set their own.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from accounts import roles
from accounts.policies import require_guardian
from accounts.roles import holds
from classes.policies import require_staff
from classes.selectors import current_term, taught_class_ids
from students.models import Enrollment, Guardianship
from students.selectors import children_of, student_list_for

from ..models import Attachment, Conversation
from ..selectors import messaging as selectors

TEACHER = "teacher"
GUARDIAN = "guardian"


def is_teacher(user, school) -> bool:
    return holds(user, school, roles.TEACHERS)


def require_teacher(user, school):
    """Staff pages of messaging are for head and subject teachers."""
    require_staff(user, school)
    if not is_teacher(user, school):
        raise PermissionDenied



def teacher_reaches_student(teacher, school, student_id) -> bool:
    """The teacher teaches the student's current class this term."""
    term = current_term(school)
    if term is None:
        return False
    return Enrollment.objects.filter(
        school=school,
        student_id=student_id,
        school_year_id=term.school_year_id,
        end_date__isnull=True,
        school_class_id__in=taught_class_ids(teacher, school, term),
    ).exists()


def get_student_for_messaging(user, school, pk):
    """The student a teacher is about to write about. 403 for people who
    are not staff, and for staff who see the student but do not teach them
    (office, principal, counsellor); 404 when out of reach."""
    require_staff(user, school)
    if is_teacher(user, school):
        student = selectors.messageable_students_for(user, school).filter(pk=pk).first()
        if student is not None:
            return student
    get_object_or_404(student_list_for(user, school), pk=pk)
    raise PermissionDenied


def get_child_for_messaging(user, school, pk):
    """A guardian's own child (404 for anyone else's), for writing to the
    child's head teacher."""
    require_guardian(user, school)
    return get_object_or_404(children_of(user, school), pk=pk)


def _member_conversations(user, school):
    is_guardian = Exists(Guardianship.objects.filter(school=school, student=OuterRef("student"), guardian__user=user))
    return (
        Conversation.objects.filter(school=school).annotate(is_guardian=is_guardian).filter(Q(teacher=user) | Q(is_guardian=True))
    )


def get_conversation_for(user, school, pk):
    """The conversation with `pk` if `user` is a member now; 404 otherwise
    (whatever their role). Sets `my_role` to TEACHER or GUARDIAN."""
    if school is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    conversation = get_object_or_404(_member_conversations(user, school).select_related("student", "teacher"), pk=pk)
    conversation.my_role = TEACHER if conversation.teacher_id == user.pk else GUARDIAN
    return conversation


def can_post(user, school, conversation) -> bool:
    """Members (get_conversation_for checked that) write while the
    teacher still teaches the student."""
    teacher = user if conversation.teacher_id == user.pk else conversation.teacher
    return teacher_reaches_student(teacher, school, conversation.student_id)


def get_attachment_for(user, school, pk):
    """An attachment's facts (not its bytes) for a member of its
    conversation; 404 for everyone else."""
    if school is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    conversations = _member_conversations(user, school).values("pk")
    return get_object_or_404(Attachment.objects.filter(school=school, message__conversation__in=conversations), pk=pk)
