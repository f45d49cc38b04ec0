"""Reads of parent meetings, scoped to the person asking.

Staff reach (meeting_list_for): every meeting of the school for school-wide
roles (office, principal, counsellor, school admin); for a teacher, the
meetings of a class they teach and the grade meetings of a grade they teach
in, in the meeting's own term. Guardian reach (meeting_list_for_guardian):
the meetings of their children's classes and grades in that school year.
"""

import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts import roles
from accounts.policies import has_school_wide_reach, is_staff_in
from accounts.roles import holds
from classes.models import TeachingAssignment
from students.models import Enrollment, Guardianship, Student
from students.selectors import children_ids

from ..models import AgendaItem, FollowUpAction, MeetingAttendance, MeetingReply, ParentMeeting, TopicProposal


def teacher_assignments(user, school):
    """The teaching assignments that give `user` reach, in any term: as head
    teacher (needs the role) and as subject teacher (needs the role)."""
    q = Q(pk__in=[])
    if holds(user, school, roles.HEAD_TEACHERS):
        q |= Q(is_head_teacher=True)
    if holds(user, school, roles.SUBJECT_TEACHERS):
        q |= Q(is_head_teacher=False)
    return TeachingAssignment.objects.filter(q, school=school, teacher=user)


def _in_scope(assignments_or_enrollments):
    """Q for meetings whose class, or whose grade, appears in the rows
    (correlated on the meeting's class or grade)."""
    return Q(Exists(assignments_or_enrollments.filter(school_class=OuterRef("school_class")))) | Q(
        Exists(assignments_or_enrollments.filter(school_class__grade=OuterRef("grade")))
    )


def meeting_list_for(user, school):
    """Meetings `user` reaches on the staff pages, any term."""
    if school is None or not is_staff_in(user, school):
        return ParentMeeting.objects.none()
    qs = ParentMeeting.objects.filter(school=school)
    if not has_school_wide_reach(user, school):
        qs = qs.filter(_in_scope(teacher_assignments(user, school).filter(term=OuterRef("term"))))
    return qs.select_related("school_class", "grade", "term")


def _count(model, **filters):
    sub = (
        model.objects.filter(meeting=OuterRef("pk"), **filters)
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def meeting_rows_for(user, school, term):
    """The staff list: the term's meetings in reach with reply, topic and
    attendance counts; one query whatever the number of meetings."""
    if term is None:
        return ParentMeeting.objects.none()
    return (
        meeting_list_for(user, school)
        .filter(term=term)
        .annotate(
            attend_count=_count(MeetingReply, answer=MeetingReply.Answer.ATTEND),
            decline_count=_count(MeetingReply, answer=MeetingReply.Answer.DECLINE),
            pending_topics=_count(TopicProposal, status=TopicProposal.Status.PENDING),
            present_count=_count(MeetingAttendance, present=True),
        )
        .order_by("starts_at", "pk")
    )


def _guardian_enrollments(user, school):
    return Enrollment.objects.filter(
        school=school,
        end_date__isnull=True,
        student__in=children_ids(user, school),
    )


def meeting_list_for_guardian(user, school):
    """Meetings of the guardian's children's classes and grades."""
    if school is None or not holds(user, school, roles.GUARDIANS):
        return ParentMeeting.objects.none()
    enrollments = _guardian_enrollments(user, school).filter(school_year=OuterRef("term__school_year"))
    return ParentMeeting.objects.filter(school=school).filter(_in_scope(enrollments)).select_related(
        "school_class", "grade", "term"
    )


def scope_enrollments(meeting):
    """The open enrollments of the meeting's families: its class, or every
    class of its grade, in the meeting's school year."""
    qs = Enrollment.objects.filter(
        school_id=meeting.school_id, school_year_id=meeting.term.school_year_id, end_date__isnull=True
    )
    if meeting.school_class_id:
        return qs.filter(school_class_id=meeting.school_class_id)
    return qs.filter(school_class__grade_id=meeting.grade_id)


def meeting_class_ids(meeting) -> set[int]:
    """The classes a meeting is for (one, or the grade's classes that year)."""
    if meeting.school_class_id:
        return {meeting.school_class_id}
    from classes.models import SchoolClass

    return set(
        SchoolClass.objects.filter(
            school_id=meeting.school_id, grade_id=meeting.grade_id, school_year_id=meeting.term.school_year_id
        ).values_list("pk", flat=True)
    )


def meeting_children(user, meeting):
    """The guardian's children the meeting is for, by name."""
    return Student.objects.filter(
        pk__in=scope_enrollments(meeting).values("student_id"), guardianships__guardian__user=user
    ).order_by("name", "pk")


def reply_counts(meeting) -> dict:
    """Families in scope, and how many said they will come, cannot come,
    have not answered, and were marked present. Three queries."""
    families = scope_enrollments(meeting).count()
    replies = MeetingReply.objects.filter(meeting=meeting).aggregate(
        attend=Count("pk", filter=Q(answer=MeetingReply.Answer.ATTEND)),
        decline=Count("pk", filter=Q(answer=MeetingReply.Answer.DECLINE)),
    )
    present = MeetingAttendance.objects.filter(meeting=meeting, present=True).count()
    return {
        "families": families,
        "attend": replies["attend"],
        "decline": replies["decline"],
        "no_reply": max(families - replies["attend"] - replies["decline"], 0),
        "present": present,
    }


def agenda_of(meeting):
    return AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk")


def pending_proposals(meeting):
    return (
        TopicProposal.objects.filter(meeting=meeting, status=TopicProposal.Status.PENDING)
        .select_related("student", "proposed_by")
        .order_by("created_at", "pk")
    )


def decided_proposals(meeting):
    return (
        TopicProposal.objects.filter(meeting=meeting)
        .exclude(status=TopicProposal.Status.PENDING)
        .select_related("student")
        .order_by("-decided_at", "-pk")
    )


def family_proposals(user, meeting):
    """The proposals made for the guardian's own children (theirs, or the
    other parent's): never another family's."""
    return TopicProposal.objects.filter(
        meeting=meeting,
        student__in=children_ids(user, meeting.school_id),
    ).select_related("student").order_by("created_at", "pk")


def follow_ups_of(meeting):
    return FollowUpAction.objects.filter(meeting=meeting).select_related("owner").order_by("done_at", "due_on", "pk")


def attendance_families(meeting, class_ids):
    """The families of the given classes of the meeting, for the tap list:
    each enrollment with its student, class, guardians, reply and mark.
    Four queries whatever the number of families."""
    guardianships = Guardianship.objects.select_related("guardian").order_by("-is_primary", "pk")
    enrollments = list(
        scope_enrollments(meeting)
        .filter(school_class_id__in=class_ids)
        .select_related("student", "school_class")
        .prefetch_related(Prefetch("student__guardianships", queryset=guardianships))
        .order_by("school_class__number", "student__student_number")
    )
    student_ids = [e.student_id for e in enrollments]
    replies = dict(MeetingReply.objects.filter(meeting=meeting, student_id__in=student_ids).values_list("student_id", "answer"))
    marks = {
        a.student_id: a
        for a in MeetingAttendance.objects.filter(meeting=meeting, student_id__in=student_ids).select_related("guardian")
    }
    families = []
    for e in enrollments:
        mark = marks.get(e.student_id)
        families.append(
            {
                "student": e.student,
                "school_class": e.school_class,
                "guardians": list(e.student.guardianships.all()),
                "reply": replies.get(e.student_id, ""),
                "present": bool(mark and mark.present),
                "mark": mark,
            }
        )
    return families


def present_count(meeting, class_ids) -> int:
    """Families of the given classes marked present: one query."""
    students = scope_enrollments(meeting).filter(school_class_id__in=class_ids).values("student_id")
    return MeetingAttendance.objects.filter(meeting=meeting, present=True, student__in=students).count()


def attendance_family(meeting, student):
    """One family's card after a tap (the same shape as attendance_families)."""
    enrollment = (
        scope_enrollments(meeting)
        .filter(student=student)
        .select_related("student", "school_class")
        .prefetch_related(
            Prefetch("student__guardianships", queryset=Guardianship.objects.select_related("guardian").order_by("-is_primary", "pk"))
        )
        .first()
    )
    reply = MeetingReply.objects.filter(meeting=meeting, student=student).values_list("answer", flat=True).first()
    mark = MeetingAttendance.objects.filter(meeting=meeting, student=student).select_related("guardian").first()
    return {
        "student": enrollment.student,
        "school_class": enrollment.school_class,
        "guardians": list(enrollment.student.guardianships.all()),
        "reply": reply or "",
        "present": bool(mark and mark.present),
        "mark": mark,
    }


def family_replies(meeting, children) -> dict:
    """{student id: reply} for the given children: one query."""
    return {
        r.student_id: r
        for r in MeetingReply.objects.filter(meeting=meeting, student__in=[c.pk for c in children]).select_related("answered_by")
    }


def guardian_replies(user, meetings) -> dict:
    """{(meeting id, student id): answer} for the guardian's children: one query."""
    rows = MeetingReply.objects.filter(
        meeting__in=[m.pk for m in meetings],
        student__in=Guardianship.objects.filter(guardian__user=user).values("student_id"),
    ).values_list("meeting_id", "student_id", "answer")
    return {(m, s): a for m, s, a in rows}


def guardian_meetings_with_answers(user, school, *, term) -> list[ParentMeeting]:
    """The guardian's children's meetings (of the term's school year when
    there is a term), earliest first, each with `my_answer`: ATTEND when the
    family said it comes for any child, DECLINE when it only declined, ""
    without a reply. Two queries whatever the number of meetings."""
    meetings = meeting_list_for_guardian(user, school)
    if term is not None:
        meetings = meetings.filter(term__school_year_id=term.school_year_id)
    meetings = list(meetings.order_by("starts_at", "pk"))
    replies = {}
    for (meeting_id, _student_id), answer in guardian_replies(user, meetings).items():
        replies.setdefault(meeting_id, []).append(answer)
    for m in meetings:
        answers = replies.get(m.pk, [])
        m.my_answer = (
            MeetingReply.Answer.ATTEND if MeetingReply.Answer.ATTEND in answers else (MeetingReply.Answer.DECLINE if answers else "")
        )
    return meetings


def meetings_due_for_reminder(school, day):
    """The school's meetings that start on the local date `day`."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    end = start + datetime.timedelta(days=1)
    return ParentMeeting.objects.filter(school=school, starts_at__gte=start, starts_at__lt=end).select_related(
        "term", "school_class", "grade"
    )


def reminder_recipients(meeting):
    """Guardians' accounts for the meeting's children whose family has not
    declined. A guardian with two children in a grade meeting is reminded
    if either has not declined."""
    from accounts.models import User

    declined = MeetingReply.objects.filter(meeting=meeting, answer=MeetingReply.Answer.DECLINE).values("student_id")
    students = scope_enrollments(meeting).exclude(student_id__in=declined).values("student_id")
    return User.objects.filter(
        is_active=True,
        guardian_profiles__school_id=meeting.school_id,
        guardian_profiles__guardianships__student__in=students,
    ).distinct()


def guardian_accounts_of(meeting):
    """Every guardian account of the meeting's families."""
    from accounts.models import User

    return User.objects.filter(
        is_active=True,
        guardian_profiles__school_id=meeting.school_id,
        guardian_profiles__guardianships__student__in=scope_enrollments(meeting).values("student_id"),
    ).distinct()
