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
the person may correct the form and send it again.
"""

import functools
import uuid

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse
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


def _store(request, view, key, response, new_messages) -> None:
    if getattr(response, "streaming", False):
        body = ""
    else:
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        body = response.content.decode(response.charset or "utf-8", errors="replace")
    RequestKey.objects.create(
        actor=request.user,
        school=getattr(request, "school", None),
        key=key,
        action=_action(view),
        status=response.status_code,
        location=response.get("Location", "")[:2000],
        content_type=response.get("Content-Type", "")[:100],
        body=body,
        headers={name: response[name] for name in _KEPT_HEADERS if name in response},
        messages=[[m.level, str(m.message), m.extra_tags or ""] for m in new_messages],
    )


def exactly_once(view):
    """Decorate a view whose POST writes: see the module's docstring."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST" or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = key_of(request)
        if key is None:
            return refuse(request, _("This page is out of date. Reload it and send the form again."))
        stored = RequestKey.objects.filter(actor=request.user, key=key).first()
        if stored is not None:
            return _replay_or_refuse(request, view, stored)
        queued = _queued(request)
        before = len(queued) if queued is not None else 0
        inserting = False
        try:
            with transaction.atomic():
                response = view(request, *args, **kwargs)
                if response.status_code < 400:
                    inserting = True
                    _store(request, view, key, response, queued[before:] if queued is not None else [])
        except IntegrityError:
            if not inserting:
                raise
            # The same request won on another connection: its rows stand, ours are rolled back.
            if queued is not None:
                del queued[before:]
            stored = RequestKey.objects.filter(actor=request.user, key=key).first()
            if stored is None:  # pragma: no cover - the unique constraint named no other cause
                raise
            return _replay_or_refuse(request, view, stored)
        return response

    wrapper.exactly_once = True
    return wrapper


def _replay_or_refuse(request, view, stored):
    if stored.action != _action(view):
        return refuse(request, _("This form was sent already. Reload the page to send another."))
    return _replay(request, stored)
