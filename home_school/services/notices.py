"""Writes with a rule for notices and receipts.

Callers (views, tasks, the admin) check who may act with
home_school.policies.notices first; every function says so. None reads a
request. Sending and reminding are claimed with conditional UPDATEs, so a
second run, or a second worker at the same moment, does nothing.
"""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import Membership, Role
from accounts.services import audit_record
from classes.selectors import current_term
from notifications.services import notify, notify_many
from students.models import Enrollment, Guardianship

from ..models.notices import COMMENT_MAX_LENGTH, Notice, NoticeClass, NoticeReceipt, NoticeScope, ReceiptType
from ..selectors.notices import addressable_classes, addressable_grades, is_notice_office, pending_q

logger = logging.getLogger(__name__)

# notify() is called once per this many guardians (the notifications app fans
# each call out to its channels).
NOTIFY_BATCH = 50
# A notice to more guardians than this (a grade, the whole school) is
# fanned out by Celery after commit, one broker message per 50 recipients
# (notifications.services.notify_many); a class's guardians are notified
# in the request, so their inboxes show it at once.
FAN_OUT_IN_TASKS_ABOVE = 200
# No reminder is sent between 21:30 and 07:00 local time; a reminder that
# falls due then goes with the first run after 07:00.
QUIET_START = datetime.time(21, 30)
QUIET_END = datetime.time(7, 0)


def in_quiet_hours(moment: datetime.datetime) -> bool:
    local = timezone.localtime(moment).time()
    return local >= QUIET_START or local < QUIET_END


def _notice_link(notice) -> str:
    return reverse("home_school:portal_notice", args=[notice.pk])


# --- Writing and sending --------------------------------------------------------------


@transaction.atomic
def notice_create(
    *,
    author,
    school,
    title: str,
    body: str,
    scope: str,
    classes=(),
    grade=None,
    receipt_type: str,
    choices: list[str] | None = None,
    reply_deadline: datetime.datetime | None = None,
    remind_after_hours: int | None = 24,
    scheduled_for: datetime.datetime | None = None,
    send_now: bool = False,
) -> Notice:
    """Write a notice: a draft, scheduled for `scheduled_for`, or sent at
    once (`send_now`). The caller has checked that `author` writes notices
    (policies.require_notice_writer); this service refuses classes, grades
    and scopes out of the author's reach all the same (a head teacher
    addresses only their own classes; grades and the school are the
    office's). Not idempotent: every call is one notice."""
    if send_now and scheduled_for:
        raise ValidationError(_("Send now or schedule, not both."))
    if scheduled_for and scheduled_for <= timezone.now():
        raise ValidationError({"scheduled_for": _("Choose a time in the future.")})
    classes = list(classes)
    if scope == NoticeScope.CLASSES:
        if not classes:
            raise ValidationError({"classes": _("Choose at least one class.")})
        allowed = set(addressable_classes(author, school).values_list("pk", flat=True))
        if any(c.pk not in allowed for c in classes):
            raise ValidationError({"classes": _("You can only address your own classes.")})
        grade = None
    elif scope == NoticeScope.GRADE:
        if grade is None or not addressable_grades(author, school).filter(pk=grade.pk).exists():
            raise ValidationError({"grade": _("Only the moral-education office addresses a grade.")})
        classes = []
    elif scope == NoticeScope.SCHOOL:
        if not is_notice_office(author, school):
            raise ValidationError({"scope": _("Only the moral-education office addresses the whole school.")})
        classes, grade = [], None
    if receipt_type != ReceiptType.REPLY:
        choices = []
    notice = Notice(
        school=school,
        author=author,
        title=title.strip(),
        body=body.strip(),
        scope=scope,
        grade=grade,
        receipt_type=receipt_type,
        choices=[c.strip() for c in (choices or [])],
        reply_deadline=reply_deadline if receipt_type != ReceiptType.NONE else None,
        remind_after_hours=remind_after_hours if receipt_type != ReceiptType.NONE else None,
        scheduled_for=scheduled_for,
    )
    notice.full_clean()
    notice.save()
    NoticeClass.objects.bulk_create([NoticeClass(school=school, notice=notice, school_class=c) for c in classes])
    if send_now:
        notice_send(notice_id=notice.pk, actor=author)
        notice.refresh_from_db()
    return notice


def _audience(notice, school_year_id):
    """(student_id, class_id) of the students the notice reaches now:
    open enrollments of the current school year, active students."""
    qs = Enrollment.objects.filter(
        school_id=notice.school_id, school_year_id=school_year_id, end_date__isnull=True, student__is_active=True
    )
    if notice.scope == NoticeScope.CLASSES:
        qs = qs.filter(school_class__in=NoticeClass.objects.filter(notice=notice).values("school_class_id"))
    elif notice.scope == NoticeScope.GRADE:
        qs = qs.filter(school_class__grade_id=notice.grade_id)
    return qs.values_list("student_id", "school_class_id")


def _guardian_users(school, students):
    """Active login accounts of the guardians of `students` (a queryset of
    student ids) that hold the guardian role in the school, so every link
    sent opens (the portal asks for that role), by id."""
    user_ids = Guardianship.objects.filter(school=school, student__in=students).values("guardian__user_id")
    guardians = Membership.objects.filter(school=school, role=Role.GUARDIAN).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).filter(pk__in=guardians).order_by("pk")


def _notify_in_batches(*, school, users, **kwargs) -> int:
    """Notify the guardians: in the request for a class-sized audience,
    in Celery tasks after commit for a larger one. Returns the number of
    recipients (the tasks' inserts are idempotent per notice key)."""
    user_ids = list(users.values_list("pk", flat=True)) if hasattr(users, "values_list") else [u.pk for u in users]
    if len(user_ids) > FAN_OUT_IN_TASKS_ABOVE:
        notify_many(school=school, recipient_ids=user_ids, **kwargs)
        return len(user_ids)
    users = list(users)
    sent = 0
    for start in range(0, len(users), NOTIFY_BATCH):
        sent += notify(school=school, recipients=users[start : start + NOTIFY_BATCH], **kwargs)
    return sent


@transaction.atomic
def notice_send(*, notice_id: int, actor=None, now: datetime.datetime | None = None) -> int | None:
    """Send a draft or scheduled notice now: claim it (UPDATE ... SET
    sent_at WHERE sent_at IS NULL AND cancelled_at IS NULL, exactly one
    row), resolve the audience once into one receipt per currently
    enrolled student, and notify their guardians (one notify call per 50,
    de-duplicated per notice). Returns the number of receipts, or None
    when the notice was sent or cancelled already (idempotent; a second
    worker waits on the row lock and then finds nothing to claim).
    `actor` is the author when a person sends it (the caller checked
    policies.can_send_notice), None for the scheduled job."""
    now = now or timezone.now()
    notice = Notice.objects.select_related("school").get(pk=notice_id)
    term = current_term(notice.school)
    if term is None:
        raise ValidationError(_("The school has no current term yet, so the notice has nobody to reach."))
    remind_at = None
    if notice.receipt_type != ReceiptType.NONE and notice.remind_after_hours:
        remind_at = now + datetime.timedelta(hours=notice.remind_after_hours)
    claimed = Notice.objects.filter(pk=notice_id, sent_at__isnull=True, cancelled_at__isnull=True).update(
        sent_at=now, remind_at=remind_at
    )
    if claimed != 1:
        return None
    notice.sent_at, notice.remind_at = now, remind_at
    receipts = [
        NoticeReceipt(school_id=notice.school_id, notice=notice, student_id=student_id, school_class_id=class_id)
        for student_id, class_id in _audience(notice, term.school_year_id)
    ]
    NoticeReceipt.objects.bulk_create(receipts, batch_size=1000)
    recipients = _guardian_users(notice.school, NoticeReceipt.objects.filter(notice=notice).values("student_id"))
    notified = _notify_in_batches(
        school=notice.school,
        users=recipients,
        kind="home_school.notice",
        title=_("Notice: %(title)s") % {"title": notice.title},
        body=Truncator(notice.body).chars(140),
        link=_notice_link(notice),
        dedupe_key=f"home_school.notice:{notice.pk}",
    )
    audit_record(
        actor=actor,
        school=notice.school,
        action="home_school.notice.sent",
        target=notice,
        data={"receipts": len(receipts), "notified": notified, "scheduled": actor is None},
    )
    return len(receipts)


def notices_send_due(*, now: datetime.datetime | None = None) -> int:
    """The scheduled job: send every scheduled notice whose time has come,
    each in its own transaction (one failure does not hold back the rest).
    Idempotent through notice_send's claim. Returns how many it sent."""
    now = now or timezone.now()
    due = (
        Notice.objects.filter(scheduled_for__lte=now, sent_at__isnull=True, cancelled_at__isnull=True)
        .order_by("scheduled_for", "pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    for notice_id in list(due):
        try:
            sent += notice_send(notice_id=notice_id, now=now) is not None
        except ValidationError:
            logger.warning("Scheduled notice %s not sent: the school has no current term.", notice_id)
    return sent


@transaction.atomic
def notice_cancel(*, notice, actor) -> bool:
    """Cancel a draft or scheduled notice before it is sent (conditional
    UPDATE on sent_at IS NULL: a notice being sent at the same moment is
    either sent or cancelled, never both). The caller checked
    policies.can_cancel_notice. Returns False when it was sent or
    cancelled already."""
    now = timezone.now()
    done = Notice.objects.filter(pk=notice.pk, sent_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=now, cancelled_by=actor
    )
    if done:
        notice.cancelled_at, notice.cancelled_by = now, actor
        audit_record(actor=actor, school=notice.school, action="home_school.notice.cancelled", target=notice)
    return bool(done)


# --- Guardians' answers ------------------------------------------------------------------


def _receipt_of(notice, student):
    return NoticeReceipt.objects.filter(notice=notice, student=student)


def notice_mark_read(*, notice, user, student_ids) -> int:
    """Mark read the receipts of `student_ids` (the guardian's children the
    notice reached) that nobody has read yet; the first reader stays.
    The caller fetched the notice with policies.get_portal_notice_for."""
    return NoticeReceipt.objects.filter(notice=notice, student_id__in=list(student_ids), read_at__isnull=True).update(
        read_at=timezone.now(), read_by=user
    )


@transaction.atomic
def notice_confirm(*, notice, user, student) -> bool:
    """A guardian confirms the notice for one child. Idempotent: the first
    confirmation (time and guardian) stays; after the deadline it is still
    accepted and kept with its time (late). The caller checked that
    `student` is the guardian's child and has a receipt."""
    if notice.receipt_type != ReceiptType.CONFIRM:
        raise ValidationError(_("This notice does not ask for a confirmation."))
    now = timezone.now()
    notice_mark_read(notice=notice, user=user, student_ids=[student.pk])
    return bool(_receipt_of(notice, student).filter(confirmed_at__isnull=True).update(confirmed_at=now, confirmed_by=user))


@transaction.atomic
def notice_reply(*, notice, user, student, choice: int, comment: str = "") -> NoticeReceipt:
    """A guardian answers for one child with one of the notice's choices
    and an optional short comment. One answer per student: a later answer
    (by any of the child's guardians) replaces it, until the deadline;
    after it, answers are closed. The caller checked that `student` is
    the guardian's child and has a receipt."""
    if notice.receipt_type != ReceiptType.REPLY:
        raise ValidationError(_("This notice does not ask for a reply."))
    if notice.deadline_passed():
        raise ValidationError(_("The deadline for answers has passed."))
    if not isinstance(choice, int) or not 0 <= choice < len(notice.choices):
        raise ValidationError(_("Choose one of the answers."))
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError(_("The comment is at most %(n)s characters.") % {"n": COMMENT_MAX_LENGTH})
    now = timezone.now()
    notice_mark_read(notice=notice, user=user, student_ids=[student.pk])
    receipt = _receipt_of(notice, student).select_for_update().get()
    receipt.reply_choice, receipt.reply_comment, receipt.replied_at, receipt.replied_by = choice, comment, now, user
    receipt.save(update_fields=["reply_choice", "reply_comment", "replied_at", "replied_by"])
    return receipt


# --- Reminders ---------------------------------------------------------------------------


@transaction.atomic
def notice_remind(*, notice_id: int, now: datetime.datetime | None = None) -> int:
    """Remind, once, the guardians of the students whose receipt still
    waits (not read / not confirmed / not replied, by receipt type).
    The notice is claimed with UPDATE ... SET reminders_sent_at WHERE
    reminders_sent_at IS NULL (exactly one row, or nothing happens), and
    each reminded receipt gets reminded_at in a conditional UPDATE.
    Nothing is sent once the answer deadline has passed. Returns the
    number of receipts reminded. Idempotent; called by the job only."""
    now = now or timezone.now()
    claimed = Notice.objects.filter(
        pk=notice_id, sent_at__isnull=False, reminders_sent_at__isnull=True, remind_at__lte=now
    ).update(reminders_sent_at=now)
    if claimed != 1:
        return 0
    notice = Notice.objects.select_related("school").get(pk=notice_id)
    if notice.receipt_type == ReceiptType.NONE or notice.deadline_passed(now):
        return 0
    reminded = (
        NoticeReceipt.objects.filter(notice=notice, reminded_at__isnull=True)
        .filter(pending_q(notice.receipt_type))
        .update(reminded_at=now)
    )
    if not reminded:
        return 0
    # The receipts this call stamped: reminded_at equals this call's `now`.
    students = NoticeReceipt.objects.filter(notice=notice, reminded_at=now).values("student_id")
    _notify_in_batches(
        school=notice.school,
        users=_guardian_users(notice.school, students),
        kind="home_school.notice_reminder",
        title=_("Reminder: %(title)s") % {"title": notice.title},
        body=_("The school is waiting for your answer to this notice."),
        link=_notice_link(notice),
        dedupe_key=f"home_school.notice_reminder:{notice.pk}",
    )
    return reminded


def notice_reminders_due(*, now: datetime.datetime | None = None) -> int:
    """The reminder job: outside quiet hours (21:30–07:00 local), remind
    for every sent notice whose reminder time has come, each in its own
    transaction. Idempotent through notice_remind's claim."""
    now = now or timezone.now()
    if in_quiet_hours(now):
        return 0
    due = (
        Notice.objects.filter(remind_at__lte=now, reminders_sent_at__isnull=True, sent_at__isnull=False)
        .order_by("remind_at", "pk")
        .values_list("pk", flat=True)
    )
    return sum(notice_remind(notice_id=pk, now=now) for pk in list(due))
