"""Messages between a teacher and a student's family.

A Conversation is one (student, teacher) pair. Its members are derived, not
stored: the teacher, plus whoever is a guardian of the student right now
(students.Guardianship). A guardian added later reads the whole history; a
guardian removed loses access on the next request
(home_school.policies.messaging.get_conversation_for).
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import ATTACHMENT_TYPES

MESSAGE_MAX_CHARS = 2000

class Conversation(models.Model):
    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, related_name="conversations", verbose_name=_("student")
    )
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("teacher"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    created_at = models.DateTimeField(_("started at"), default=timezone.now, editable=False)
    # Kept by message_send so the lists order by one column, not an aggregate.
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            # home_school.services.messaging.conversation_start relies on this
            # to return the existing conversation instead of a second one.
            models.UniqueConstraint(
                fields=["student", "teacher"],
                name="conversation_one_per_student_teacher",
                violation_error_message=_("This teacher and this student's family have a conversation already."),
            ),
        ]
        indexes = [
            # The teacher's list (selectors.messaging.conversation_list_for_teacher).
            models.Index(fields=["school", "teacher", "-last_message_at"], name="conversation_teacher_list"),
        ]

    def __str__(self):
        return f"{self.student} · {self.teacher}"


class Message(models.Model):
    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages", verbose_name=_("conversation")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))
    body = models.TextField(_("message"), max_length=MESSAGE_MAX_CHARS, blank=True, validators=[MaxLengthValidator(MESSAGE_MAX_CHARS)])
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["conversation", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), MESSAGE_MAX_CHARS),
                name="message_body_max_length",
                violation_error_message=_("A message is at most 2000 characters."),
            ),
        ]
        # Unread counts compare message ids with ConversationRead.last_read_message_id.
        indexes = [models.Index(fields=["conversation", "id"], name="message_conversation_id")]

    def __str__(self):
        return self.body[:40]


class Attachment(models.Model):
    """What is known about an attached file; the bytes live in
    AttachmentContent so that lists never load them."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("message"))
    file_name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["message", "pk"]
        constraints = [
            # attachment_download serves content_type as stored: only checked types.
            models.CheckConstraint(
                condition=Q(content_type__in=list(ATTACHMENT_TYPES)),
                name="attachment_type_allowed",
                violation_error_message=_("Only photos (JPEG, PNG, WebP) and PDF files can be attached."),
            ),
            models.CheckConstraint(
                condition=Q(size__gt=0),
                name="attachment_not_empty",
                violation_error_message=_("The file is empty."),
            ),
        ]

    def __str__(self):
        return self.file_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class AttachmentContent(models.Model):
    """The checked (and, for images, re-encoded) bytes of one attachment, in
    the database so any web process can serve them."""

    attachment = models.OneToOneField(
        Attachment, on_delete=models.CASCADE, primary_key=True, related_name="content", verbose_name=_("attachment")
    )
    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    data = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("attachment content")
        verbose_name_plural = _("attachment contents")

    def __str__(self):
        return str(self.attachment_id)


class ConversationRead(models.Model):
    """How far one person has read one conversation (read receipts and
    unread counts). Only ever moves forward
    (home_school.services.messaging.conversation_mark_read)."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reads", verbose_name=_("conversation"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    last_read_message_id = models.BigIntegerField(_("last message read"), default=0)
    last_read_at = models.DateTimeField(_("read at"), default=timezone.now)

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        constraints = [
            # conversation_mark_read and the unread subqueries expect one row per person.
            models.UniqueConstraint(
                fields=["conversation", "user"],
                name="conversationread_one_per_person",
                violation_error_message=_("This person's place in the conversation is recorded already."),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.conversation_id} · {self.last_read_message_id}"


class Weekday(models.IntegerChoices):
    # Python's date.weekday() numbering: Monday is 0.
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OfficeHours(models.Model):
    """When a teacher answers messages: one row per weekday and time span,
    in the school's local time (Asia/Shanghai)."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_hours", verbose_name=_("teacher")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        ordering = ["teacher", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6),
                name="officehours_weekday_range",
                violation_error_message=_("Choose a day of the week."),
            ),
            # selectors.messaging.next_office_hours_start assumes spans inside one day.
            models.CheckConstraint(
                condition=Q(start_time__lt=F("end_time")),
                name="officehours_start_before_end",
                violation_error_message=_("Office hours must end after they start."),
            ),
            models.UniqueConstraint(
                fields=["school", "teacher", "weekday", "start_time"],
                name="officehours_unique_start",
                violation_error_message=_("Two office hours start at the same time on this day."),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"
