"""Writes of the messaging part: starting a conversation, sending a
message with attachments, read receipts and office hours.

Permission is checked by the caller (home_school.policies.messaging);
each service says which check it expects.
"""

import io
import os
import re
import warnings
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from notifications.services import notify
from students.models import Guardian, Guardianship

from ..models import (
    ATTACHMENT_TYPES,
    Attachment,
    AttachmentContent,
    Conversation,
    ConversationRead,
    Message,
    OfficeHours,
)

MAX_ATTACHMENTS = 3
NOTIFICATION_KIND = "home_school.message"


def attachment_max_bytes() -> int:
    """Per file; settings.HOME_SCHOOL_ATTACHMENT_MAX_BYTES, 5 MB by default."""
    return getattr(settings, "HOME_SCHOOL_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)


def attachment_max_pixels() -> int:
    """Larger images are refused before they are decoded (a small file can
    declare a huge canvas). 50 megapixels keeps any phone photo."""
    return getattr(settings, "HOME_SCHOOL_ATTACHMENT_MAX_PIXELS", 50_000_000)


# --- Attachments: checked by their bytes, never by name or declared type ----------------


@dataclass(frozen=True)
class CheckedFile:
    file_name: str
    content_type: str
    data: bytes
    width: int | None = None
    height: int | None = None


_PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
# Modes each format is saved in as they are; anything else is converted.
_KEEP_MODES = {"JPEG": {"L", "RGB"}, "PNG": {"1", "L", "RGB", "RGBA"}, "WEBP": {"RGB", "RGBA"}}
_UNSAFE_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def _shown_name(name: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    return _UNSAFE_NAME_CHARS.sub("", base)[:80] or _("file")


def _stored_name(name: str, extension: str) -> str:
    """The download name: the uploaded stem with inner dots neutralised
    (x.php.jpg → x_php.jpg) and the extension of the checked type."""
    base = _shown_name(name)
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem.replace(".", "_").strip(" _") or "file"
    return f"{stem[:100]}.{extension}"


def attachment_check(*, name: str, data: bytes) -> CheckedFile:
    """Decide what `data` is from its bytes and return what may be stored:
    a JPEG, PNG or WebP image re-encoded without metadata (EXIF, GPS, XMP,
    comments), upright per its EXIF orientation, or a PDF as sent.
    Raises ValidationError with a message naming the file otherwise. Pure:
    touches no database."""
    shown = _shown_name(name)
    if not data:
        raise ValidationError(_("“%(name)s” is empty."), code="empty", params={"name": shown})
    limit = attachment_max_bytes()
    if len(data) > limit:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s."),
            code="too_large",
            params={"name": shown, "limit": filesizeformat(limit)},
        )
    kind = filetype.guess(data)
    content_type = kind.mime if kind is not None else None
    if content_type not in ATTACHMENT_TYPES:
        raise ValidationError(
            _("“%(name)s” is not a photo (JPEG, PNG or WebP) or a PDF. Other files are not accepted, whatever their name."),
            code="type",
            params={"name": shown},
        )
    if content_type == "application/pdf":
        return _check_pdf(name, shown, data)
    return _reencode_image(name, shown, data, content_type)


def _check_pdf(name: str, shown: str, data: bytes) -> CheckedFile:
    # A PDF starts with its header and ends with an end-of-file marker
    # (perhaps followed by a line break or two).
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise ValidationError(_("“%(name)s” is not a complete PDF; it may be damaged."), code="damaged", params={"name": shown})
    return CheckedFile(file_name=_stored_name(name, "pdf"), content_type="application/pdf", data=data)


def _image_bomb(shown: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is too large an image (more than %(pixels)s million pixels)."),
        code="too_many_pixels",
        params={"name": shown, "pixels": attachment_max_pixels() // 1_000_000},
    )


def _reencode_image(name: str, shown: str, data: bytes, content_type: str) -> CheckedFile:
    fmt = _PILLOW_FORMATS[content_type]
    try:
        # A decompression bomb is refused twice over: by our own pixel
        # limit, read from the header before decoding, and by Pillow's
        # (Image.MAX_IMAGE_PIXELS), whose warning is made an error here.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as probe:
                width, height = probe.size
                if width * height > attachment_max_pixels():
                    raise _image_bomb(shown)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=[fmt]) as image:
                image.load()  # the first frame of an animation only
                upright = ImageOps.exif_transpose(image)
            if upright.mode not in _KEEP_MODES[fmt]:
                upright = upright.convert("RGB" if fmt == "JPEG" else "RGBA")
            # Nothing of the original's metadata travels on: encoders read
            # defaults such as ICC profiles and XMP from `info`.
            upright.info = {}
            out = io.BytesIO()
            if fmt == "JPEG":
                upright.save(out, "JPEG", quality=85, optimize=True)
            elif fmt == "PNG":
                upright.save(out, "PNG")
            else:
                upright.save(out, "WEBP", quality=85)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _image_bomb(shown)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            _("“%(name)s” could not be read as an image; it may be damaged."), code="damaged", params={"name": shown}
        )
    return CheckedFile(
        file_name=_stored_name(name, ATTACHMENT_TYPES[content_type]),
        content_type=content_type,
        data=out.getvalue(),
        width=upright.width,
        height=upright.height,
    )


# --- Conversations and messages ------------------------------------------------------


@transaction.atomic
def conversation_start(*, school, student, teacher, started_by, body: str = "", files=()) -> tuple[Conversation, Message]:
    """Open the (student, teacher) conversation, or reuse the one that
    exists (unique constraint), and send its first message; both or
    neither are saved.

    The caller checked permission: a teacher who teaches the student
    (policies.messaging.get_student_for_messaging, teacher=started_by), or
    a guardian of the child writing to the child's head teacher
    (get_child_for_messaging). Idempotent for the conversation, not for the
    message (each call sends one)."""
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
    return conversation, message


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
    Not idempotent: each call is a new message; the views redirect after
    a POST so a reload does not send twice."""
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
    Idempotent: the same spans leave the same rows."""
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
    OfficeHours.objects.filter(school=school, teacher=teacher).delete()
    for row in rows:
        row.full_clean()
    return OfficeHours.objects.bulk_create(rows)
