"""Writes of the messaging part: starting a conversation, sending a
message with attachments, read receipts and office hours.

Permission is checked by the caller (home_school.policies.messaging);
each service says which check it expects.
"""

from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.uploads import attachment_check
from notifications.services import notify
from students.models import Guardian, Guardianship

from ..models import (
    Attachment,
    AttachmentContent,
    Conversation,
    ConversationRead,
    Message,
    OfficeHours,
)

MAX_ATTACHMENTS = 3
NOTIFICATION_KIND = "home_school.message"


# --- Conversations and messages ------------------------------------------------------


class Started(NamedTuple):
    conversation: Conversation
    message: Message


@transaction.atomic
def conversation_start(*, school, student, teacher, started_by, body: str = "", files=()) -> Started:
    """Open the (student, teacher) conversation, or reuse the one that
    exists (unique constraint), and send its first message; both or
    neither are saved.

    The caller checked permission: a teacher who teaches the student
    (policies.messaging.get_student_for_messaging, teacher=started_by), or
    a guardian of the child writing to the child's head teacher
    (get_child_for_messaging). Idempotent for the conversation, not for the
    message (each call sends one): when the conversation exists already
    (the other guardian wrote first, a page opened before it did), the
    message and its attachments join it, never dropped. The views make a
    repeated request send once (core.idempotency.exactly_once)."""
    if student.school_id != school.pk:
        raise ValidationError(_("The student belongs to another school."))
    if not Guardianship.objects.filter(school=school, student=student).exists():
        raise ValidationError(
            _("%(name)s has no guardian on record yet, so there is nobody to write to."), params={"name": student.name}
        )
    conversation, _created = Conversation.objects.get_or_create(
        student=student, teacher=teacher, defaults={"school": school, "started_by": started_by}
    )
    conversation.student = student
    conversation.teacher = teacher
    message = message_send(school=school, conversation=conversation, author=started_by, body=body, files=files)
    return Started(conversation, message)


@transaction.atomic
def message_send(*, school, conversation, author, body: str = "", files=()) -> Message:
    """Send one message, with up to three attachments checked by content
    (attachment_check). Updates the conversation's last-message time,
    counts the message as read by its author, and notifies: guardians of a
    teacher's message (one notification per message and guardian), the
    teacher of guardians' messages (one per unread stretch, so a burst of
    messages rings once).

    The caller checked that `author` is a member of the conversation and
    may post (policies.messaging.get_conversation_for and can_post).
    Not idempotent: each call is a new message; the views are exactly
    once (core.idempotency), so a double tap or a retry sends once."""
    body = (body or "").strip()
    files = list(files)
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(_("Attach at most %(n)s files to one message."), params={"n": MAX_ATTACHMENTS})
    if not body and not files:
        raise ValidationError(_("Write a message or attach a file."))
    checked, errors = [], []
    for name, data in files:
        try:
            checked.append(attachment_check(name=name, data=data))
        except ValidationError as e:
            errors.extend(e.messages)
    if errors:
        raise ValidationError(errors)

    teacher_read_before = _last_read(conversation, conversation.teacher_id)
    now = timezone.now()
    message = Message(school=school, conversation=conversation, author=author, body=body, created_at=now)
    message.full_clean()
    message.save()
    for c in checked:
        attachment = Attachment(
            school=school,
            message=message,
            file_name=c.file_name,
            content_type=c.content_type,
            size=len(c.data),
            width=c.width,
            height=c.height,
        )
        attachment.full_clean()
        attachment.save()
        AttachmentContent.objects.create(attachment=attachment, school=school, data=c.data)
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
    conversation.last_message_at = now
    conversation_mark_read(school=school, conversation=conversation, user=author, message_id=message.pk)
    _notify_message(
        school=school,
        conversation=conversation,
        message=message,
        has_files=bool(checked),
        teacher_read_before=teacher_read_before,
    )
    return message


def _last_read(conversation, user_id) -> int:
    return (
        ConversationRead.objects.filter(conversation=conversation, user_id=user_id)
        .values_list("last_read_message_id", flat=True)
        .first()
        or 0
    )


def _excerpt(message, has_files: bool) -> str:
    if message.body:
        return Truncator(message.body).chars(120)
    return _("(attachment)") if has_files else ""


def _notify_message(*, school, conversation, message, has_files: bool, teacher_read_before: int) -> int:
    student = conversation.student
    if message.author_id == conversation.teacher_id:
        recipients = [
            link.guardian.user
            for link in Guardianship.objects.filter(school=school, student_id=conversation.student_id).select_related(
                "guardian__user"
            )
            if link.guardian.user.is_active
        ]
        # The unique (recipient, dedupe_key) in notifications makes this
        # once per message and guardian, however often it is retried.
        return notify(
            school=school,
            recipients=recipients,
            kind=NOTIFICATION_KIND,
            title=_("%(teacher)s wrote about %(student)s")
            % {"teacher": conversation.teacher.get_full_name(), "student": student.name},
            body=_excerpt(message, has_files),
            link=reverse("home_school:portal_conversation", args=[conversation.pk]),
            dedupe_key=f"home_school.message:message={message.pk}",
        )
    teacher = conversation.teacher
    if not teacher.is_active:
        return 0
    name = Guardian.objects.filter(school=school, user_id=message.author_id).values_list("name", flat=True).first()
    # Keyed by how far the teacher had read: until they open the
    # conversation, further messages add no further notification.
    return notify(
        school=school,
        recipients=[teacher],
        kind=NOTIFICATION_KIND,
        title=_("%(guardian)s wrote about %(student)s")
        % {"guardian": name or message.author.get_full_name(), "student": student.name},
        body=_excerpt(message, has_files),
        link=reverse("home_school:conversation_detail", args=[conversation.pk]),
        dedupe_key=f"home_school.message.unread:conversation={conversation.pk}:after={teacher_read_before}",
    )


@transaction.atomic
def conversation_mark_read(*, school, conversation, user, message_id: int) -> bool:
    """Record that `user` has read `conversation` up to message
    `message_id`. Only moves forward, so an older page opened late does not
    undo a newer read; idempotent. The caller checked membership
    (policies.messaging.get_conversation_for). Returns whether anything
    changed."""
    if not message_id:
        return False
    now = timezone.now()
    moved = ConversationRead.objects.filter(conversation=conversation, user=user, last_read_message_id__lt=message_id).update(
        last_read_message_id=message_id, last_read_at=now
    )
    if moved:
        return True
    _row, created = ConversationRead.objects.get_or_create(
        conversation=conversation,
        user=user,
        defaults={"school": school, "last_read_message_id": message_id, "last_read_at": now},
    )
    return created


# --- Office hours -------------------------------------------------------------------


@transaction.atomic
def office_hours_set(*, school, teacher, spans) -> list[OfficeHours]:
    """Replace the teacher's office hours with `spans`, a list of
    (weekday, start_time, end_time) in local time. Refuses a span that does
    not end after it starts and spans that overlap on one day. The caller
    checked that the teacher sets their own (policies.messaging.require_teacher).
    Idempotent: the same spans leave the same rows. Two saves at once are
    taken one after the other (the teacher's row is locked), so the second
    replaces the first's rows instead of meeting them in the unique
    constraint officehours_unique_start."""
    rows = sorted(
        (OfficeHours(school=school, teacher=teacher, weekday=w, start_time=s, end_time=e) for w, s, e in spans),
        key=lambda r: (r.weekday, r.start_time),
    )
    errors = []
    for row in rows:
        if row.start_time >= row.end_time:
            errors.append(
                _("%(day)s %(start)s–%(end)s: office hours must end after they start.")
                % {"day": row.get_weekday_display(), "start": f"{row.start_time:%H:%M}", "end": f"{row.end_time:%H:%M}"}
            )
    for before, after in zip(rows, rows[1:], strict=False):
        if before.weekday == after.weekday and after.start_time < before.end_time:
            errors.append(_("%(day)s: two spans overlap.") % {"day": after.get_weekday_display()})
    if errors:
        raise ValidationError(errors)
    get_user_model().objects.select_for_update().filter(pk=teacher.pk).values_list("pk", flat=True).first()
    OfficeHours.objects.filter(school=school, teacher=teacher).delete()
    for row in rows:
        row.full_clean()
    return OfficeHours.objects.bulk_create(rows)
