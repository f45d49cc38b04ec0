"""Notices to guardians (通知 / 致家长一封信) and their receipts (回执).

A notice is written by a head teacher (to their own classes) or the
moral-education office (any classes, a grade, the whole school). On sending,
home_school.services.notices.notice_send resolves the audience once into one
NoticeReceipt per student; any of the student's guardians reads, confirms or
replies on it, and who did is recorded.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.text import BODY_MAX

MIN_CHOICES = 2
MAX_CHOICES = 6
CHOICE_MAX_LENGTH = 20
COMMENT_MAX_LENGTH = 200
MAX_REMIND_AFTER_HOURS = 7 * 24


class NoticeScope(models.TextChoices):
    CLASSES = "classes", _("one or more classes")
    GRADE = "grade", _("a grade")
    SCHOOL = "school", _("the whole school")


class ReceiptType(models.TextChoices):
    NONE = "none", _("no receipt")
    READ = "read", _("read receipt")
    CONFIRM = "confirm", _("confirmation")
    REPLY = "reply", _("reply with a choice")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SCHEDULED = "scheduled", _("scheduled")
    SENT = "sent", _("sent")
    CANCELLED = "cancelled", _("cancelled")


class Notice(models.Model):
    """One notice. Its status is derived from the time fields: sent_at set
    once by the claim in notice_send (never cleared), cancelled_at set once
    by notice_cancel; both are conditional UPDATEs on `sent_at IS NULL`."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"), max_length=BODY_MAX)
    scope = models.CharField(_("addressed to"), max_length=10, choices=NoticeScope.choices, default=NoticeScope.CLASSES)
    classes = models.ManyToManyField(
        "classes.SchoolClass", through="NoticeClass", related_name="+", blank=True, verbose_name=_("classes")
    )
    grade = models.ForeignKey(
        "classes.Grade", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("grade")
    )
    receipt_type = models.CharField(_("receipt"), max_length=10, choices=ReceiptType.choices, default=ReceiptType.READ)
    # The reply choices in order (2–6 short labels); a receipt stores the index.
    choices = models.JSONField(_("reply choices"), default=list, blank=True)
    reply_deadline = models.DateTimeField(
        _("answer by"),
        null=True,
        blank=True,
        help_text=_("Optional. Replies can be changed until then; confirmations after it are kept as late."),
    )
    remind_after_hours = models.PositiveSmallIntegerField(
        _("remind after (hours)"),
        null=True,
        blank=True,
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REMIND_AFTER_HOURS)],
        help_text=_("Guardians who have not answered get one reminder after this many hours. Leave blank for none."),
    )
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(pgettext_lazy("time", "sent"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(pgettext_lazy("time", "cancelled"), null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("cancelled by"),
    )
    # Set when sent: sent_at + remind_after_hours (null: no reminder).
    remind_at = models.DateTimeField(_("reminder due"), null=True, blank=True, editable=False)
    reminders_sent_at = models.DateTimeField(_("reminders sent"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=NoticeScope.values),
                name="notice_scope_known",
                violation_error_message=_("Choose whom the notice is addressed to from the list."),
            ),
            models.CheckConstraint(
                condition=Q(receipt_type__in=ReceiptType.values),
                name="notice_receipt_type_known",
                violation_error_message=_("Choose a receipt from the list."),
            ),
            # home_school.services.notices._audience relies on a grade exactly when the scope is a grade.
            models.CheckConstraint(
                condition=(Q(scope=NoticeScope.GRADE) & Q(grade__isnull=False))
                | (~Q(scope=NoticeScope.GRADE) & Q(grade__isnull=True)),
                name="notice_grade_iff_grade_scope",
                violation_error_message=_("A notice to a grade names the grade; other notices name none."),
            ),
            # A notice is either sent or cancelled, never both (both claims are
            # conditional on sent_at IS NULL and cancelled_at IS NULL).
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(cancelled_at__isnull=True), name="notice_not_sent_and_cancelled",
                violation_error_message=_("A notice is either sent or cancelled, not both."),
            ),
            models.CheckConstraint(
                condition=Q(remind_after_hours__isnull=True)
                | Q(remind_after_hours__gte=1, remind_after_hours__lte=MAX_REMIND_AFTER_HOURS),
                name="notice_remind_after_in_range",
                violation_error_message=_("Remind after 1 to 168 hours, or leave it blank for no reminder."),
            ),
        ]
        indexes = [
            models.Index(fields=["school", "-created_at"]),
            models.Index(fields=["author", "-created_at"]),
            # notices_send_due: scheduled notices not yet sent or cancelled.
            models.Index(
                fields=["scheduled_for"],
                condition=Q(sent_at__isnull=True, cancelled_at__isnull=True, scheduled_for__isnull=False),
                name="notice_scheduled_due",
            ),
            # notice_reminders_due: sent notices whose reminder is still to go.
            models.Index(
                fields=["remind_at"],
                condition=Q(reminders_sent_at__isnull=True, remind_at__isnull=False),
                name="notice_reminder_due",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def status(self) -> str:
        if self.cancelled_at:
            return NoticeStatus.CANCELLED
        if self.sent_at:
            return NoticeStatus.SENT
        if self.scheduled_for:
            return NoticeStatus.SCHEDULED
        return NoticeStatus.DRAFT

    def get_status_display(self) -> str:
        return NoticeStatus(self.status).label

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None

    @property
    def is_open(self) -> bool:
        """Neither sent nor cancelled: it can still be sent or cancelled."""
        return self.sent_at is None and self.cancelled_at is None

    def deadline_passed(self, now=None) -> bool:
        return self.reply_deadline is not None and (now or timezone.now()) > self.reply_deadline

    def choice_label(self, index) -> str:
        if index is None or not 0 <= index < len(self.choices or []):
            return ""
        return self.choices[index]

    def clean(self):
        errors = {}
        if self.receipt_type == ReceiptType.REPLY:
            choices = self.choices if isinstance(self.choices, list) else []
            labels = [str(c).strip() for c in choices]
            if not MIN_CHOICES <= len(labels) <= MAX_CHOICES:
                errors["choices"] = _("Give between %(min)s and %(max)s choices.") % {"min": MIN_CHOICES, "max": MAX_CHOICES}
            elif any(not c or len(c) > CHOICE_MAX_LENGTH for c in labels):
                errors["choices"] = _("Each choice is 1–%(n)s characters.") % {"n": CHOICE_MAX_LENGTH}
            elif len(set(labels)) != len(labels):
                errors["choices"] = _("The choices must differ from each other.")
        elif self.choices:
            errors["choices"] = _("Only a notice with a reply has choices.")
        if self.grade_id and self.school_id and self.grade.school_id != self.school_id:
            errors["grade"] = _("The grade belongs to another school.")
        if self.reply_deadline and self.scheduled_for and self.reply_deadline <= self.scheduled_for:
            errors["reply_deadline"] = _("The deadline must be after the sending time.")
        if self.reply_deadline and self.receipt_type == ReceiptType.NONE:
            errors["reply_deadline"] = _("A notice without a receipt has no deadline.")
        if errors:
            raise ValidationError(errors)


class NoticeClass(models.Model):
    """A class a notice is addressed to (scope "classes")."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="notice_classes", verbose_name=_("notice"))
    school_class = models.ForeignKey("classes.SchoolClass", on_delete=models.PROTECT, related_name="+", verbose_name=_("class"))

    class Meta:
        verbose_name = _("addressed class")
        verbose_name_plural = _("addressed classes")
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "school_class"],
                name="noticeclass_unique_pair",
                violation_error_message=_("The notice is addressed to this class already."),
            ),
        ]

    def __str__(self):
        return f"{self.notice} · {self.school_class}"


class NoticeReceipt(models.Model):
    """One student's receipt of a notice, shared by all the student's
    guardians: the first to read, confirm or reply is recorded (a reply can
    be changed until the deadline; the last answer and who gave it stay)."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("notice"))
    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, related_name="notice_receipts", verbose_name=_("student")
    )
    # The class the student was in when the notice was sent.
    school_class = models.ForeignKey("classes.SchoolClass", on_delete=models.PROTECT, related_name="+", verbose_name=_("class"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("read by")
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    reply_choice = models.PositiveSmallIntegerField(_("reply"), null=True, blank=True)
    reply_comment = models.CharField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replied by"),
    )
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice receipt")
        verbose_name_plural = _("notice receipts")
        ordering = ["notice", "school_class", "student"]
        constraints = [
            # notice_send bulk-creates with ignore_conflicts and the guardian's
            # answer services update "the" receipt of a student: one per student.
            models.UniqueConstraint(
                fields=["notice", "student"],
                name="noticereceipt_one_per_student",
                violation_error_message=_("This student has a receipt for the notice already."),
            ),
            models.CheckConstraint(
                condition=Q(reply_choice__isnull=True) | Q(reply_choice__lt=MAX_CHOICES),
                name="noticereceipt_choice_in_range",
                violation_error_message=_("Choose one of the answers."),
            ),
            models.CheckConstraint(
                condition=Q(reply_choice__isnull=True, replied_at__isnull=True)
                | Q(reply_choice__isnull=False, replied_at__isnull=False),
                name="noticereceipt_reply_has_time",
                violation_error_message=_("An answer has the time it was given; without an answer there is none."),
            ),
        ]
        indexes = [models.Index(fields=["notice", "school_class"])]

    def __str__(self):
        return f"{self.notice} · {self.student}"
