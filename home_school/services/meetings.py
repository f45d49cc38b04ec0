"""Writes for parent meetings. Views check who may act (policies.meetings)
before calling; each service checks what must hold whoever calls it (the
meeting's school, the cut-off, the child in the meeting's scope)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.services import audit_record
from notifications.services import notify
from students.models import Guardian, Guardianship

from ..models import AgendaItem, FollowUpAction, MeetingAttendance, MeetingReply, ParentMeeting, TopicProposal
from ..selectors.meetings import guardian_accounts_of, meetings_due_for_reminder, reminder_recipients, scope_enrollments

# A family may have this many topics waiting or decided per meeting: enough
# to be heard, not enough to flood the head teacher's list.
MAX_PROPOSALS_PER_FAMILY = 3
# Used when the scheduler leaves the cut-off blank: the head teacher gets a day to sort the topics.
DEFAULT_TOPICS_LEAD = datetime.timedelta(days=1)


def _when(meeting) -> str:
    return date_format(timezone.localtime(meeting.starts_at), "Y-m-d H:i")


def _where(meeting) -> str:
    return meeting.place or meeting.online_link


@transaction.atomic
def meeting_schedule(
    *,
    actor,
    school,
    term,
    title: str,
    starts_at: datetime.datetime,
    place: str = "",
    online_link: str = "",
    description: str = "",
    topics_close_at: datetime.datetime | None = None,
    school_class=None,
    grade=None,
) -> ParentMeeting:
    """Schedule a meeting for one class or one grade and tell the
    families (one message per guardian, de-duplicated per meeting). The
    view checked that `actor` may schedule for that class or grade; this
    checks they belong to the school and the term's year. Not idempotent:
    every call is a new meeting."""
    if term is None:
        raise ValidationError(_("The school has no current term yet."))
    if (school_class is None) == (grade is None):
        raise ValidationError(_("Choose a class or a grade."))
    if school_class is not None and (school_class.school_id != school.pk or school_class.school_year_id != term.school_year_id):
        raise ValidationError(_("The class is not one of this term's classes."))
    if grade is not None and grade.school_id != school.pk:
        raise ValidationError(_("The grade belongs to another school."))
    if starts_at <= timezone.now():
        raise ValidationError(_("A meeting is scheduled for a time still to come."))
    if topics_close_at is None:
        # A day before; for a meeting less than a day away, until it starts.
        topics_close_at = starts_at - DEFAULT_TOPICS_LEAD
        if topics_close_at <= timezone.now():
            topics_close_at = starts_at
    if topics_close_at > starts_at:
        raise ValidationError(_("Topic proposals must close before the meeting starts."))
    meeting = ParentMeeting(
        school=school,
        term=term,
        school_class=school_class,
        grade=grade,
        title=title,
        starts_at=starts_at,
        place=place,
        online_link=online_link,
        description=description,
        topics_close_at=topics_close_at,
        created_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    audit_record(actor=actor, school=school, action="home_school.meeting.scheduled", target=meeting,
                 data={"starts_at": meeting.starts_at.isoformat()})
    notify(
        school=school,
        recipients=guardian_accounts_of(meeting),
        kind="home_school.meeting_scheduled",
        title=_("Parent meeting: %(title)s") % {"title": meeting.title},
        body=_("%(when)s, %(where)s. You can reply and propose topics until %(close)s.")
        % {"when": _when(meeting), "where": _where(meeting), "close": date_format(timezone.localtime(topics_close_at), "Y-m-d H:i")},
        link=reverse("home_school:portal_meeting", args=[meeting.pk]),
        dedupe_key=f"home_school.meeting_scheduled:meeting={meeting.pk}",
    )
    return meeting


@transaction.atomic
def agenda_item_add(*, actor, meeting, title: str) -> AgendaItem:
    """Add the school's own point at the end of the agenda. The view checked
    that `actor` manages the meeting."""
    last = AgendaItem.objects.filter(meeting=meeting).order_by("-position").values_list("position", flat=True).first()
    item = AgendaItem(school_id=meeting.school_id, meeting=meeting, title=title, position=(last or 0) + 1)
    item.full_clean()
    item.save()
    return item


def _check_child_in_meeting(actor, meeting, student):
    is_guardian = Guardianship.objects.filter(school_id=meeting.school_id, student=student, guardian__user=actor).exists()
    if not is_guardian or not scope_enrollments(meeting).filter(student=student).exists():
        raise ValidationError(_("This meeting is not for your child."))


@transaction.atomic
def topic_propose(*, actor, meeting, student, topic: str, details: str = "", anonymous: bool = False) -> TopicProposal:
    """A guardian proposes a topic for one of their children, before the
    cut-off. The view checked that the guardian reaches the meeting; this
    checks the child is theirs and in the meeting's scope. Not idempotent."""
    if not meeting.topics_open():
        raise ValidationError(_("Topic proposals for this meeting are closed."))
    _check_child_in_meeting(actor, meeting, student)
    if TopicProposal.objects.filter(meeting=meeting, student=student).count() >= MAX_PROPOSALS_PER_FAMILY:
        raise ValidationError(
            _("Your family has proposed %(n)s topics for this meeting already.") % {"n": MAX_PROPOSALS_PER_FAMILY}
        )
    proposal = TopicProposal(
        school_id=meeting.school_id,
        meeting=meeting,
        student=student,
        proposed_by=actor,
        topic=topic,
        details=details,
        anonymous=anonymous,
    )
    proposal.full_clean()
    proposal.save()
    return proposal


@transaction.atomic
def proposal_decide(*, actor, proposal, accept: bool, title: str = "") -> TopicProposal | None:
    """Accept a waiting topic into the agenda (credited to the child's name,
    or anonymously) or decline it, and tell the proposer. The view checked
    that `actor` manages the meeting. Idempotent: a proposal is decided once
    (the row is claimed while still pending); a second call changes nothing
    and returns None. Returns the decided proposal."""
    now = timezone.now()
    status = TopicProposal.Status.ACCEPTED if accept else TopicProposal.Status.DECLINED
    claimed = TopicProposal.objects.filter(pk=proposal.pk, status=TopicProposal.Status.PENDING).update(
        status=status, decided_at=now, decided_by=actor
    )
    if claimed != 1:
        return None
    proposal.status, proposal.decided_at, proposal.decided_by = status, now, actor
    meeting = proposal.meeting
    if accept:
        last = AgendaItem.objects.filter(meeting=meeting).order_by("-position").values_list("position", flat=True).first()
        item = AgendaItem(
            school_id=meeting.school_id,
            meeting=meeting,
            title=title or proposal.topic,
            position=(last or 0) + 1,
            proposal=proposal,
            from_guardian=True,
            credited_name="" if proposal.anonymous else proposal.student.name,
        )
        item.full_clean()
        item.save()
    audit_record(actor=actor, school=meeting.school, action="home_school.meeting.topic_decided", target=proposal,
                 data={"status": status})
    if accept:
        body = _("Your topic “%(topic)s” is on the agenda of %(meeting)s.")
    else:
        body = _("Your topic “%(topic)s” is not on the agenda of %(meeting)s this time; the head teacher has read it.")
    notify(
        school=meeting.school,
        recipients=[proposal.proposed_by],
        kind="home_school.meeting_topic_decided",
        title=_("Your topic for %(meeting)s") % {"meeting": meeting.title},
        body=body % {"topic": proposal.topic, "meeting": meeting.title},
        link=reverse("home_school:portal_meeting", args=[meeting.pk]),
        dedupe_key=f"home_school.meeting_topic_decided:proposal={proposal.pk}",
    )
    return proposal


@transaction.atomic
def meeting_reply(*, actor, meeting, student, answer: str) -> MeetingReply:
    """A guardian answers for one child: will attend or cannot. Changeable
    until the meeting starts; the last answer of any of the child's
    guardians counts. Idempotent (one row per meeting and child)."""
    if meeting.has_started():
        raise ValidationError(_("The meeting has started; replies are closed."))
    if answer not in MeetingReply.Answer.values:
        raise ValidationError(_("Choose whether you will attend."))
    _check_child_in_meeting(actor, meeting, student)
    reply, _created = MeetingReply.objects.update_or_create(
        meeting=meeting,
        student=student,
        defaults={"school_id": meeting.school_id, "answer": answer, "answered_by": actor, "answered_at": timezone.now()},
    )
    return reply


@transaction.atomic
def attendance_mark(*, actor, meeting, student, present: bool, class_ids) -> MeetingAttendance:
    """Mark a child's family present or not, on or after the meeting day.
    The view checked that `actor` takes attendance for `class_ids`; this
    checks the child is one of those classes' families. The guardian who
    came is the one who said they would attend, else the primary contact.
    Idempotent: one row per meeting and child, updated with the time."""
    if timezone.localdate() < timezone.localtime(meeting.starts_at).date():
        raise ValidationError(_("Attendance is taken on the day of the meeting."))
    if not scope_enrollments(meeting).filter(student=student, school_class_id__in=class_ids).exists():
        raise ValidationError(_("This family is not on your list for the meeting."))
    guardian = None
    if present:
        reply = MeetingReply.objects.filter(meeting=meeting, student=student, answer=MeetingReply.Answer.ATTEND).first()
        guardians = Guardian.objects.filter(guardianships__student=student).order_by("-guardianships__is_primary", "pk")
        if reply is not None:
            guardian = guardians.filter(user_id=reply.answered_by_id).first()
        guardian = guardian or guardians.first()
    mark, _created = MeetingAttendance.objects.update_or_create(
        meeting=meeting,
        student=student,
        defaults={
            "school_id": meeting.school_id,
            "present": present,
            "guardian": guardian,
            "marked_at": timezone.now(),
            "marked_by": actor,
        },
    )
    return mark


def _require_started(meeting):
    if not meeting.has_started():
        raise ValidationError(_("Minutes and follow-up actions are written once the meeting has started."))


@transaction.atomic
def minutes_save(*, actor, meeting, minutes: str) -> ParentMeeting:
    """Save the minutes (staff-only). The view checked that `actor` manages
    the meeting. Idempotent."""
    _require_started(meeting)
    meeting.minutes = minutes
    meeting.minutes_saved_at = timezone.now()
    meeting.full_clean()
    meeting.save(update_fields=["minutes", "minutes_saved_at"])
    audit_record(actor=actor, school=meeting.school, action="home_school.meeting.minutes_saved", target=meeting)
    return meeting


@transaction.atomic
def follow_up_add(*, actor, meeting, text: str, owner, due_on: datetime.date) -> FollowUpAction:
    """Add a follow-up action. The view checked that `actor` manages the
    meeting and that `owner` is the school's staff. Not idempotent."""
    _require_started(meeting)
    action = FollowUpAction(
        school_id=meeting.school_id, meeting=meeting, text=text, owner=owner, due_on=due_on, created_by=actor
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def follow_up_set_done(*, actor, action, done: bool) -> FollowUpAction:
    """Tick or untick a follow-up action. Idempotent: ticking a done action
    keeps its first time."""
    if done and action.done_at is None:
        action.done_at = timezone.now()
    elif not done:
        action.done_at = None
    action.save(update_fields=["done_at"])
    return action


def meeting_reminders_send(*, school, meeting_day: datetime.date) -> int:
    """Remind the guardians of every meeting on `meeting_day` (tomorrow, for
    the evening job) whose family has not declined. Idempotent: the key is
    per meeting and the inbox holds one message per (recipient, key), so a
    second run or a second worker sends nothing more. Returns how many
    messages are new."""
    sent = 0
    for meeting in meetings_due_for_reminder(school, meeting_day):
        sent += notify(
            school=school,
            recipients=list(reminder_recipients(meeting)),
            kind="home_school.meeting_reminder",
            title=_("Parent meeting tomorrow: %(title)s") % {"title": meeting.title},
            body=_("%(when)s, %(where)s.") % {"when": _when(meeting), "where": _where(meeting)},
            link=reverse("home_school:portal_meeting", args=[meeting.pk]),
            dedupe_key=f"home_school.meeting_reminder:meeting={meeting.pk}",
        )
    return sent
