"""The one way any app sends a message to people."""

from django.db import transaction

from .models import Notification


@transaction.atomic
def notify(*, school, recipients, kind: str, title: str, body: str = "", link: str = "", dedupe_key: str) -> int:
    """Put one notification in each recipient's inbox, once per
    (recipient, dedupe_key): a retried or concurrent call adds nothing.
    One INSERT for all recipients. Returns how many were new."""
    recipients = list({r.pk: r for r in recipients}.values())
    if not recipients:
        return 0
    rows = [
        Notification(school=school, recipient=r, kind=kind, title=title[:200], body=body, link=link, dedupe_key=dedupe_key)
        for r in recipients
    ]
    before = Notification.objects.filter(recipient__in=recipients, dedupe_key=dedupe_key).count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    after = Notification.objects.filter(recipient__in=recipients, dedupe_key=dedupe_key).count()
    return after - before


def notification_mark_read(*, user, notification_ids) -> int:
    from django.utils import timezone

    return Notification.objects.filter(recipient=user, pk__in=notification_ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )
