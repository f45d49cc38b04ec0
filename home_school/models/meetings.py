"""Parent meetings (家长会): a class's or a grade's meeting, the topics
guardians propose before it, the agenda, guardians' replies, attendance
taken on the day, minutes and follow-up actions.

Every row carries its `school`. Reach (who sees which meeting) is in
home_school.selectors.meetings; writes are in home_school.services.meetings.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.text import BODY_MAX, MINUTES_MAX, NOTE_MAX


class ParentMeeting(models.Model):
    """One parent meeting, for one class or for a whole grade, in a term."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    term = models.ForeignKey("classes.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("term"))
    school_class = models.ForeignKey(
        "classes.SchoolClass",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parent_meetings",
        verbose_name=_("class"),
    )
    grade = models.ForeignKey(
        "classes.Grade",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parent_meetings",
        verbose_name=_("grade"),
    )
    title = models.CharField(_("title"), max_length=100)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    online_link = models.URLField(_("online meeting link"), blank=True)
    description = models.TextField(_("description"), max_length=BODY_MAX, blank=True)
    topics_close_at = models.DateTimeField(
        _("topic proposals close at"), help_text=_("Guardians may propose topics until this time.")
    )
    minutes = models.TextField(_("minutes"), max_length=MINUTES_MAX, blank=True)
    minutes_saved_at = models.DateTimeField(_("minutes saved at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("scheduled by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("parent meeting")
        verbose_name_plural = _("parent meetings")
        ordering = ["-starts_at", "-id"]
        constraints = [
            # The reach selectors match a meeting either by class or by grade, never both.
            models.CheckConstraint(
                condition=Q(school_class__isnull=False, grade__isnull=True) | Q(school_class__isnull=True, grade__isnull=False),
                name="parentmeeting_class_or_grade",
                violation_error_message=_("A parent meeting is for one class or for one grade."),
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_link=""),
                name="parentmeeting_has_place_or_link",
                violation_error_message=_("Give a place or an online meeting link."),
            ),
            # services.meetings.topic_propose relies on proposals closing no later than the start.
            models.CheckConstraint(
                condition=Q(topics_close_at__lte=F("starts_at")),
                name="parentmeeting_topics_close_first",
                violation_error_message=_("Topic proposals must close before the meeting starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["school", "term", "starts_at"]),
            # selectors.meetings.meetings_due_for_reminder reads meetings by start time.
            models.Index(fields=["starts_at"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_grade_meeting(self) -> bool:
        return self.grade_id is not None

    def audience_name(self) -> str:
        """六(1)班 or 六年级 (select_related school_class / grade first)."""
        return str(self.school_class if self.school_class_id else self.grade)

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    def topics_open(self, now=None) -> bool:
        return (now or timezone.now()) < self.topics_close_at


class TopicProposal(models.Model):
    """A topic a guardian proposes before the meeting, for one child.

    Only the proposer and the school's staff see it; other guardians see the
    topic only once it is accepted into the agenda, credited to the child's
    name (陈小雨家长) or anonymously."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        ACCEPTED = "accepted", _("on the agenda")
        DECLINED = "declined", _("not taken up")

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    meeting = models.ForeignKey(ParentMeeting, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("meeting"))
    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="+", verbose_name=_("student"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("proposed by")
    )
    topic = models.CharField(_("topic"), max_length=200)
    details = models.TextField(_("details"), max_length=NOTE_MAX, blank=True)
    anonymous = models.BooleanField(_("credit me anonymously"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )

    class Meta:
        verbose_name = _("topic proposal")
        verbose_name_plural = _("topic proposals")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "declined"]),
                name="topicproposal_status_known",
                violation_error_message=_("Choose a status from the list."),
            ),
            # services.meetings.proposal_decide claims a pending row; a decided one has its time.
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True) | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="topicproposal_decided_has_time",
                violation_error_message=_("A decided topic has the time it was decided; a waiting one has none."),
            ),
        ]
        indexes = [models.Index(fields=["meeting", "status"])]

    def __str__(self):
        return self.topic


class AgendaItem(models.Model):
    """One point of a meeting's agenda: the school's own, or a guardian's
    accepted topic with its credit. The credit is the child's name copied at
    acceptance (blank when the guardian asked to stay anonymous), so the
    portal shows it without reading the proposal."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    meeting = models.ForeignKey(ParentMeeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting"))
    title = models.CharField(_("topic"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    proposal = models.OneToOneField(
        TopicProposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_item",
        verbose_name=_("proposal"),
    )
    from_guardian = models.BooleanField(_("proposed by a guardian"), default=False)
    credited_name = models.CharField(_("credited child"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_guardian=True) | Q(credited_name=""),
                name="agendaitem_credit_only_for_guardian",
                violation_error_message=_("Only a topic a guardian proposed is credited to a child."),
            ),
        ]

    def __str__(self):
        return self.title


class MeetingReply(models.Model):
    """A family's answer for one child: will attend, or cannot. Any of the
    child's guardians may change it until the meeting starts."""

    class Answer(models.TextChoices):
        ATTEND = "attend", _("will attend")
        DECLINE = "decline", _("cannot attend")

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    meeting = models.ForeignKey(ParentMeeting, on_delete=models.CASCADE, related_name="replies", verbose_name=_("meeting"))
    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="+", verbose_name=_("student"))
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("answered by")
    )
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting reply")
        verbose_name_plural = _("meeting replies")
        ordering = ["meeting", "student"]
        constraints = [
            # services.meetings.meeting_reply updates this one row per family and child.
            models.UniqueConstraint(
                fields=["meeting", "student"],
                name="meetingreply_one_per_student",
                violation_error_message=_("This child's family has replied to the meeting already."),
            ),
            models.CheckConstraint(
                condition=Q(answer__in=["attend", "decline"]),
                name="meetingreply_answer_known",
                violation_error_message=_("Choose whether you will attend."),
            ),
        ]

    def __str__(self):
        return f"{self.meeting} · {self.student} · {self.get_answer_display()}"


class MeetingAttendance(models.Model):
    """Whether a child's family came, marked on the day by the head teacher.

    One row per (meeting, student), with the guardian who came when known
    and the time of the last mark. Participation points count the rows with
    `present` (an untapped family is a row with present=False, so a
    correction never deletes anything)."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    meeting = models.ForeignKey(ParentMeeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting"))
    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="+", verbose_name=_("student"))
    guardian = models.ForeignKey(
        "students.Guardian",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_attendance",
        verbose_name=_("guardian"),
    )
    present = models.BooleanField(_("present"), default=True)
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("marked by")
    )

    class Meta:
        verbose_name = _("meeting attendance")
        verbose_name_plural = _("meeting attendance")
        ordering = ["meeting", "student"]
        constraints = [
            # services.meetings.attendance_mark updates this one row (update_or_create).
            models.UniqueConstraint(
                fields=["meeting", "student"],
                name="meetingattendance_one_per_student",
                violation_error_message=_("This family's attendance is marked already."),
            ),
        ]
        # Participation reads a guardian's attended meetings.
        indexes = [models.Index(fields=["guardian", "present"])]

    def __str__(self):
        return f"{self.meeting} · {self.student}"


class FollowUpAction(models.Model):
    """Something agreed at the meeting: what, who, by when, and whether it is done."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    meeting = models.ForeignKey(ParentMeeting, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("meeting"))
    text = models.CharField(pgettext_lazy("follow-up", "action"), max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner"))
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.text

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
