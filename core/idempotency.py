"""Exactly once: a POST that carries a request key writes once, however
often it is sent.

Every create form and htmx action renders a fresh key (`{% request_key %}`,
a hidden input named `request_key`; a client may send the `Idempotency-Key`
header instead). A view decorated with `exactly_once` runs in one
transaction; when it answers without an error status, the answer (redirect
target, messages, or the htmx fragment) is stored as a `RequestKey` row in
that same transaction, under a unique constraint per person and key.

- Sent again later: the stored answer is given back; the view does not run.
- Sent twice at the same moment (two connections): both run, the second
  INSERT of the key waits for the first transaction and then fails, so the
  second transaction rolls back everything it wrote, notifications
  included, and answers with the first's stored answer.
- Sent without a key (an out-of-date page, a hand-made request): refused
  with 400 and a message; nothing is written.

Answers with status 400 and above are not stored: they wrote nothing, and
the person may correct the form and send it again. When such an answer
(or an IntegrityError from the view) comes while the same request was
answered on another connection, that is the twin meeting the first
request's row at a unique rule of its own: the stored answer is given.

`@exactly_once(anonymous=True)` is for a view whose writer must stay
unknown (an anonymous suggestion): its row names no person and no school,
its key is an HMAC of the person and the request key (only the sender's
browser knows the request key, so the row cannot be tied back to them) and
its time is the day only.
"""

import datetime
import functools
import hashlib
import hmac
import uuid

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import RequestKey
from .responses import refuse

FIELD = "request_key"
HEADER = "Idempotency-Key"
# htmx answers carry these; a replayed fragment must behave like the first.
_KEPT_HEADERS = ("HX-Trigger", "HX-Trigger-After-Swap", "HX-Trigger-After-Settle", "HX-Redirect", "HX-Refresh",
                 "HX-Location", "HX-Retarget", "HX-Reswap", "HX-Reselect", "HX-Push-Url", "HX-Replace-Url")


def new_key() -> str:
    return str(uuid.uuid4())


def key_of(request) -> uuid.UUID | None:
    raw = request.POST.get(FIELD) or request.headers.get(HEADER) or ""
    try:
        return uuid.UUID(raw.strip())
    except (ValueError, AttributeError):
        return None


def _action(view) -> str:
    return f"{view.__module__}.{view.__qualname__}"[:120]


def _queued(request) -> list:
    storage = getattr(request, "_messages", None)
    return getattr(storage, "_queued_messages", None) if storage is not None else None


def _replay(request, stored: RequestKey) -> HttpResponse:
    for level, text, tags in stored.messages:
        messages.add_message(request, level, text, extra_tags=tags, fail_silently=True)
    response = HttpResponse(stored.body, status=stored.status, content_type=stored.content_type or None)
    if stored.location:
        response["Location"] = stored.location
    for name, value in stored.headers.items():
        response[name] = value
    response["X-Request-Replayed"] = "1"
    return response


def _anonymous_key(user, key: uuid.UUID) -> uuid.UUID:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"request-key:{user.pk}:{key}".encode(), hashlib.sha256).digest()
    return uuid.UUID(bytes=digest[:16])


def _lookup(request, key: uuid.UUID, anonymous: bool) -> RequestKey | None:
    if anonymous:
        return RequestKey.objects.filter(actor__isnull=True, key=_anonymous_key(request.user, key)).first()
    return RequestKey.objects.filter(actor=request.user, key=key).first()


def _store(request, view, key, response, new_messages, anonymous: bool) -> None:
    if getattr(response, "streaming", False):
        body = ""
    else:
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        body = response.content.decode(response.charset or "utf-8", errors="replace")
    now = timezone.now()
    RequestKey.objects.create(
        actor=None if anonymous else request.user,
        school=None if anonymous else getattr(request, "school", None),
        key=_anonymous_key(request.user, key) if anonymous else key,
        action=_action(view),
        status=response.status_code,
        location=response.get("Location", "")[:2000],
        content_type=response.get("Content-Type", "")[:100],
        body=body,
        headers={name: response[name] for name in _KEPT_HEADERS if name in response},
        messages=[[m.level, str(m.message), m.extra_tags or ""] for m in new_messages],
        # An anonymous row keeps the day only (DESIGN invariant 5: no exact time).
        created_at=datetime.datetime.combine(timezone.localdate(now), datetime.time(), tzinfo=timezone.get_current_timezone())
        if anonymous else now,
    )


class _Twin(Exception):
    """Raised inside the view's transaction to roll it back and answer with
    the stored answer of the same request."""

    def __init__(self, stored):
        super().__init__("twin")
        self.stored = stored


def exactly_once(view=None, *, anonymous: bool = False):
    """Decorate a view whose POST writes: see the module's docstring.
    `@exactly_once` or `@exactly_once(anonymous=True)`."""
    if view is None:
        return functools.partial(exactly_once, anonymous=anonymous)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST" or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = key_of(request)
        if key is None:
            return refuse(request, _("This page is out of date. Reload it and send the form again."))
        stored = _lookup(request, key, anonymous)
        if stored is not None:
            return _replay_or_refuse(request, view, stored)
        queued = _queued(request)
        before = len(queued) if queued is not None else 0
        try:
            with transaction.atomic():
                response = view(request, *args, **kwargs)
                if response.status_code >= 400:
                    # A create with a unique rule of its own (a group's name, one
                    # proposal per student) meets its twin's row before the key:
                    # when the twin's key is stored, this refusal is the twin's echo.
                    twin = _lookup(request, key, anonymous)
                    if twin is not None:
                        raise _Twin(twin)
                else:
                    _store(request, view, key, response, queued[before:] if queued is not None else [], anonymous)
        except _Twin as twin:
            if queued is not None:
                del queued[before:]
            return _replay_or_refuse(request, view, twin.stored)
        except IntegrityError:
            # The same request won on another connection (at the key's INSERT, or
            # at a unique rule of the view's own): its rows stand, ours are rolled back.
            stored = _lookup(request, key, anonymous)
            if stored is None:
                raise
            if queued is not None:
                del queued[before:]
            return _replay_or_refuse(request, view, stored)
        return response

    wrapper.exactly_once = True
    return wrapper


def _replay_or_refuse(request, view, stored):
    if stored.action != _action(view):
        return refuse(request, _("This form was sent already. Reload the page to send another."))
    return _replay(request, stored)
