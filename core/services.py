"""Writes with a rule for the shared parts."""

import datetime

from django.utils import timezone

from .models import RequestKey

# A repeated request comes within seconds or minutes (a double tap, a
# retry); a key is kept two days, then it has done its work.
REQUEST_KEY_DAYS = 2


def request_keys_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete request keys older than REQUEST_KEY_DAYS. Idempotent; safe on
    two workers (a DELETE of rows already gone deletes nothing). Returns
    how many were deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=REQUEST_KEY_DAYS)
    deleted, _ = RequestKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
