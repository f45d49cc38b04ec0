"""Twins: the same POST (same person, same request key) sent twice at the
same moment on two connections, as a double tap or a phone's retry does.

core.idempotency.exactly_once answers the twin with the first answer when
the twin reaches the INSERT of the key: the first request's key is there,
the INSERT fails, everything the twin wrote is rolled back. A create with
a unique rule of its own (a group's name, one proposal per student, one
nomination per period) meets the first request's row earlier, as a
duplicate. There the view asks `answered_meanwhile`: when the first
request's key is stored, the duplicate is the twin's, and the view answers
without an error status, so that exactly_once goes on to the key's INSERT
and gives back the first answer. Any other duplicate is the person's
mistake and is shown as such."""

from core.idempotency import key_of
from core.models import RequestKey


def answered_meanwhile(request) -> bool:
    """Whether a request with this person's key was answered on another
    connection (its transaction committed while this one waited)."""
    key = key_of(request)
    return key is not None and RequestKey.objects.filter(actor=request.user, key=key).exists()
