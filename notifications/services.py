"""The one way any app sends a message to people, and the jobs that deliver it.

A notification is a row in the person's inbox, made at once, plus one
Delivery per configured channel (notifications.channels): queued now, or
at the end of the person's quiet hours, or held for their daily digest.
The every-minute job sends what is due; the evening job sends the digests.
"""

import datetime
import logging
import time

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.text import BODY_MAX, clean_text

from . import channels
from .models import Delivery, DeliveryStatus, Notification, NotificationPreference

logger = logging.getLogger(__name__)

# Kinds that go out at once, whatever the hour and the digest setting: a
# child's safety cannot wait for the morning. Callers may also pass urgent=True.
URGENT_KINDS = frozenset({"safety.notice", "home_school.urgent_notice"})
DIGEST_KIND = "notifications.daily_digest"

# notify works in chunks of this many recipients: a constant number of
# queries per chunk (notifications.tests prove it), bounded statement size.
NOTIFY_CHUNK = 500
# notify_many: recipients per broker message.
FAN_OUT_BATCH = 50
# A delivery is tried this many times, then marked failed.
MAX_ATTEMPTS = 3
# A claimed delivery is hidden from other workers this long: longer than the
# task's hard time limit, so a killed worker's deliveries are tried again.
CLAIM_LEASE = datetime.timedelta(minutes=10)
# Waits after the first and second failed attempts.
RETRY_AFTER = (datetime.timedelta(minutes=2), datetime.timedelta(minutes=10))
CLAIM_BATCH = 50


def is_urgent(kind: str, urgent: bool = False) -> bool:
    return urgent or kind in URGENT_KINDS


def notify(
    *,
    school,
    recipients,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    dedupe_key: str,
    urgent: bool = False,
) -> int:
    """Put one notification in each recipient's inbox and queue its
    deliveries, once per (recipient, dedupe_key): a retried or concurrent
    call adds nothing (both unique constraints hold it). The caller checked
    that the recipients may read this. Urgent messages (urgent=True or a kind
    in URGENT_KINDS) ignore quiet hours and the daily digest; the inbox row is
    always made at once. `recipients` are users (their e-mail and mobile
    decide which channels reach them). Five statements per 500 recipients
    (read existing, insert inbox rows, read their ids, read preferences,
    insert deliveries), whatever their number. Returns how many inbox rows
    were new (two racing calls may both count a row; neither adds a second)."""
    recipients = list({r.pk: r for r in recipients}.values())
    if not recipients:
        return 0
    made = 0
    with transaction.atomic():
        for start in range(0, len(recipients), NOTIFY_CHUNK):
            made += _notify_chunk(
                school_id=school.pk,
                users=recipients[start : start + NOTIFY_CHUNK],
                kind=kind,
                title=title,
                body=body,
                link=link,
                dedupe_key=dedupe_key,
                urgent=is_urgent(kind, urgent),
            )
    return made


def _notify_chunk(*, school_id, users, kind, title, body, link, dedupe_key, urgent, digest=True, read=False) -> int:
    now = timezone.now()
    # What a person typed reaches here inside titles and excerpts: no
    # control characters (core.text), and no more than an inbox row holds.
    title, body = clean_text(title)[:200], clean_text(body or "")[:BODY_MAX]
    user_ids = [u.pk for u in users]
    existing = set(
        Notification.objects.filter(recipient_id__in=user_ids, dedupe_key=dedupe_key).values_list("recipient_id", flat=True)
    )
    new = [
        Notification(
            school_id=school_id,
            recipient=u,
            kind=kind,
            title=title,
            body=body,
            link=link[:300],
            dedupe_key=dedupe_key,
            created_at=now,
            read_at=now if read else None,
        )
        for u in users
        if u.pk not in existing
    ]
    if not new:
        return 0
    # A concurrent call may insert the same rows between the read above and
    # here; the unique constraint drops ours.
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    adapters = channels.configured()
    rows = list(
        Notification.objects.filter(recipient_id__in=[n.recipient_id for n in new], dedupe_key=dedupe_key).values_list(
            "pk", "recipient_id"
        )
    )
    if adapters:
        by_id = {u.pk: u for u in users}
        prefs = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in={uid for _, uid in rows})}
        deliveries = []
        for notification_id, user_id in rows:
            pref = prefs.get(user_id) or NotificationPreference(user_id=user_id)
            deliveries += _deliveries_for(notification_id, by_id[user_id], pref, adapters, now, urgent, digest)
        # Retried calls meet the (notification, channel) constraint and add nothing.
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    return len(rows)


def _deliveries_for(notification_id, user, pref, adapters, now, urgent, digest) -> list[Delivery]:
    not_before = now if urgent else (pref.quiet_until(now) or now)
    held = digest and not urgent and pref.daily_digest
    out = []
    for name, adapter in adapters.items():
        status, error = DeliveryStatus.QUEUED, ""
        if name in pref.channels_off:
            status, error = DeliveryStatus.SKIPPED, "turned off by the person"
        elif not adapter.reaches(user):
            status, error = DeliveryStatus.SKIPPED, "no address"
        elif held:
            status = DeliveryStatus.DIGEST
        out.append(
            Delivery(
                notification_id=notification_id,
                channel=name,
                status=status,
                error=error,
                not_before=not_before,
                created_at=now,
                sent_at=None,
            )
        )
    return out


def notify_many(
    *,
    school,
    recipient_ids,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    dedupe_key: str,
    urgent: bool = False,
) -> int:
    """Notify a whole school or grade: one broker message per 50
    recipients, sent when the caller's transaction commits; each batch is
    notify() in a task, so a retried batch adds nothing. No queries here.
    The caller checked the recipients. Returns the number of batches."""
    from .tasks import fan_out_batch

    ids = sorted({int(i) for i in recipient_ids})
    batches = 0
    for start in range(0, len(ids), FAN_OUT_BATCH):
        fan_out_batch.delay_on_commit(school.pk, ids[start : start + FAN_OUT_BATCH], kind, title, body, link, dedupe_key, urgent)
        batches += 1
    return batches


def notify_batch(*, school_id: int, recipient_ids, kind, title, body, link, dedupe_key, urgent=False) -> int:
    """One fan-out batch (the task's body): the active users among the ids."""
    from django.contrib.auth import get_user_model

    from classes.models import School

    users = list(get_user_model().objects.filter(pk__in=recipient_ids, is_active=True))
    return notify(
        school=School(pk=school_id),
        recipients=users,
        kind=kind,
        title=title,
        body=body,
        link=link,
        dedupe_key=dedupe_key,
        urgent=urgent,
    )


# --- Reading ----------------------------------------------------------------------


def notification_mark_read(*, user, notification_ids) -> int:
    """Mark the user's own notifications read; others' ids are ignored."""
    return Notification.objects.filter(recipient=user, pk__in=notification_ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def notification_open(*, user, notification: Notification) -> Notification:
    """Mark one notification read (the caller got it through
    policies.get_notification_for, so it is the user's)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, recipient=user, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


@transaction.atomic
def preference_update(*, user, quiet_start, quiet_end, daily_digest: bool, channels_off) -> NotificationPreference:
    """Save the person's own preferences (the view passes request.user).
    Validated by the model (quiet hours not empty, at most 12 hours)."""
    pref, _created = NotificationPreference.objects.get_or_create(user=user)
    pref.quiet_start = quiet_start
    pref.quiet_end = quiet_end
    pref.daily_digest = daily_digest
    pref.channels_off = sorted(set(channels_off))
    pref.full_clean()
    pref.save()
    return pref


# --- Sending ----------------------------------------------------------------------


def deliveries_send_due(*, now: datetime.datetime | None = None, limit: int = 2000, budget_seconds: float = 45) -> int:
    """The every-minute job: send the queued deliveries whose time has come.

    Idempotent and safe on any number of workers: rows are claimed with
    SELECT ... FOR UPDATE SKIP LOCKED and a lease (not_before pushed past the
    task's time limit, attempts + 1) in a short transaction, then sent
    outside it; a sent row leaves the queue with a conditional UPDATE. A
    failure is recorded and retried after a wait, at most MAX_ATTEMPTS times.
    Stops claiming after `budget_seconds` so a run ends before the next
    minute's; what is left goes in the next run. Returns the number sent."""
    now = now or timezone.now()
    adapters = channels.configured()
    started = time.monotonic()
    sent = handled = 0
    while handled < limit and time.monotonic() - started < budget_seconds:
        with transaction.atomic():
            ids = list(
                Delivery.objects.select_for_update(skip_locked=True)
                .filter(status=DeliveryStatus.QUEUED, not_before__lte=now)
                .order_by("not_before", "pk")
                .values_list("pk", flat=True)[:CLAIM_BATCH]
            )
            if not ids:
                break
            Delivery.objects.filter(pk__in=ids).update(attempts=F("attempts") + 1, not_before=now + CLAIM_LEASE)
        handled += len(ids)
        claimed = list(Delivery.objects.filter(pk__in=ids).select_related("notification__recipient").order_by("pk"))
        prefs = {
            p.user_id: p
            for p in NotificationPreference.objects.filter(user_id__in={d.notification.recipient_id for d in claimed})
        }
        for delivery in claimed:
            sent += _send_one(delivery, adapters, prefs, now)
    return sent


def _send_one(delivery: Delivery, adapters, prefs, now) -> int:
    mine = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.QUEUED)
    adapter = adapters.get(delivery.channel)
    pref = prefs.get(delivery.notification.recipient_id)
    if adapter is None:
        mine.update(status=DeliveryStatus.SKIPPED, error="channel not configured")
        return 0
    if pref is not None and delivery.channel in pref.channels_off:
        mine.update(status=DeliveryStatus.SKIPPED, error="turned off by the person")
        return 0
    if not delivery.notification.recipient.is_active:
        mine.update(status=DeliveryStatus.SKIPPED, error="account inactive")
        return 0
    try:
        adapter.send(delivery)
    except channels.Unreachable as e:
        mine.update(status=DeliveryStatus.SKIPPED, error=str(e)[:500])
        return 0
    except Exception as e:
        logger.warning("delivery %s over %s failed (attempt %s): %s", delivery.pk, delivery.channel, delivery.attempts, e)
        error = f"{type(e).__name__}: {e}"[:500]
        if delivery.attempts >= MAX_ATTEMPTS:
            mine.update(status=DeliveryStatus.FAILED, error=error)
        else:
            wait = RETRY_AFTER[min(delivery.attempts, len(RETRY_AFTER)) - 1]
            mine.update(error=error, not_before=now + wait)
        return 0
    return mine.update(status=DeliveryStatus.SENT, sent_at=timezone.now(), error="")


# --- Daily digest -----------------------------------------------------------------


def digest_send_due(*, now: datetime.datetime | None = None) -> int:
    """The evening job: one digest message to each person whose deliveries
    wait for it, summarizing them. Idempotent and safe on two workers: the
    waiting rows are locked (SKIP LOCKED) and moved to DIGESTED in the same
    transaction as the digest is made, and the digest's de-duplication key
    is (person, local day), so a second run the same day sends nothing;
    rows that arrive after the day's digest wait for the next one.
    Returns the number of digests made."""
    now = now or timezone.now()
    user_ids = list(
        Delivery.objects.filter(status=DeliveryStatus.DIGEST)
        .order_by()
        .values_list("notification__recipient_id", flat=True)
        .distinct()
    )
    return sum(_digest_one(user_id, now) for user_id in user_ids)


@transaction.atomic
def _digest_one(user_id: int, now: datetime.datetime) -> int:
    held = list(
        Delivery.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status=DeliveryStatus.DIGEST, notification__recipient_id=user_id)
        .select_related("notification__recipient")
        .order_by("notification__created_at", "notification_id")
    )
    if not held:
        return 0
    notes = list({d.notification_id: d.notification for d in held}.values())
    user = notes[0].recipient
    day = timezone.localdate(now, timezone.get_default_timezone())
    shown = notes[:10]
    lines = [f"· {n.title}" for n in shown]
    if len(notes) > len(shown):
        lines.append(_("…and %(count)s more.") % {"count": len(notes) - len(shown)})
    title = ngettext(
        "Today at school: %(count)s new notification", "Today at school: %(count)s new notifications", len(notes)
    ) % {"count": len(notes)}
    made = _notify_chunk(
        school_id=notes[-1].school_id,
        users=[user],
        kind=DIGEST_KIND,
        title=title,
        body="\n".join(lines),
        link=reverse("notifications:inbox"),
        dedupe_key=f"{DIGEST_KIND}:day={day.isoformat()}",
        urgent=False,
        digest=False,
        # The items are already in the inbox; the digest copy there is read.
        read=True,
    )
    if not made:
        return 0  # today's digest went out already: these wait for tomorrow's
    Delivery.objects.filter(pk__in=[d.pk for d in held], status=DeliveryStatus.DIGEST).update(
        status=DeliveryStatus.DIGESTED, sent_at=now
    )
    return 1


def deliveries_requeue(*, delivery_ids) -> int:
    """An administrator tries failed deliveries again (the admin checked the
    school). Only failed rows move; attempts start over."""
    return Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.QUEUED, attempts=0, not_before=timezone.now(), error=""
    )
