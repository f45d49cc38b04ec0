"""Exactly once: a POST that carries a request key writes once, however
often it is sent.

Every create form and htmx action renders a fresh key (`{% request_key %}`,
a hidden input named `request_key`; a client may send the `Idempotency-Key`
header instead). A view decorated with `exactly_once` runs in one
transaction; when it answers without an error status, the answer (redirect
target and messages, or the page or htmx fragment) is stored as a
`RequestKey` row in that same transaction, under a unique constraint per
person and key, with a fingerprint of what was sent.

- Sent again later, or twice at the same moment (two connections): the
  view runs again, and its transaction meets the first request's key: at
  the key's INSERT (the second waits for the first transaction, then
  fails), at a unique rule of the view's own, or as a 4xx, 404 or 403 (the
  object is gone or decided). Everything it wrote, notifications included,
  is rolled back and the first request's stored answer is given. (SQLite
  runs the two one after the other: the second waits at BEGIN.) The key is
  not looked up before the view runs: that would cost every first request
  a query to spare the rare repeat some work. A view that does something
  a rollback cannot undo (a counter in the cache) says
  `effects_outside=True` and has its key looked up first. What the rolled-
  back view did to the messages is undone too: those it queued are
  dropped, and those already waiting (the first answer's) stay waiting
  even if its page showed them.
- The same key with something else sent (a lost answer, then another tap
  on a page that kept its old key): refused with a message, nothing written;
  the first request's answer is never passed off as this one's.
- Sent without a key (an out-of-date page, a hand-made request): refused
  with 400 and a message; nothing is written.

Answers with status 400 and above are not stored, and whatever the view
wrote before answering so is rolled back: the person may correct the form
and send it again. When such an answer (or an IntegrityError from the view)
comes while the same request was answered on another connection, that is
the twin meeting the first request's row at a unique rule of its own: the
stored answer is given.

`@exactly_once(anonymous=True)` is for a view whose writer must stay
unknown (an anonymous suggestion): its row names no person, its key is an
HMAC of the person and the request key (only the sender's browser knows the
request key, so the row cannot be tied back to them), its time is the day
only, and it keeps no page (a page shows the person's name and inbox); the
view gives its answer again on a replay itself (home_school.views.suggestions).
"""

import datetime
import functools
import hashlib
import logging
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .models import RequestKey
from .responses import refuse

logger = logging.getLogger(__name__)

FIELD = "request_key"
HEADER = "Idempotency-Key"
REPLAYED = "X-Request-Replayed"
# Headers a replayed answer must carry to behave like the first: htmx's, and
# those that say how the page may be kept or shown.
_KEPT_HEADERS = ("HX-Trigger", "HX-Trigger-After-Swap", "HX-Trigger-After-Settle", "HX-Redirect", "HX-Refresh",
                 "HX-Location", "HX-Retarget", "HX-Reswap", "HX-Reselect", "HX-Push-Url", "HX-Replace-Url",
                 "Cache-Control", "Expires", "Vary", "Content-Language", "Content-Disposition")
# Not part of what a person sent.
_NOT_SENT = {FIELD, "csrfmiddlewaretoken"}


def new_key() -> str:
    return str(uuid.uuid4())


def key_of(request) -> uuid.UUID | None:
    raw = request.POST.get(FIELD) or request.headers.get(HEADER) or ""
    try:
        return uuid.UUID(raw.strip())
    except (ValueError, AttributeError):
        return None


def fingerprint(request) -> str:
    """SHA-256 of what was sent: the path, the fields and values (sorted),
    and each file's field, name and size."""
    digest = hashlib.sha256(request.path.encode())
    for name in sorted(set(request.POST) - _NOT_SENT):
        for value in request.POST.getlist(name):
            digest.update(b"\x00f" + name.encode() + b"\x00" + value.encode())
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            digest.update(b"\x00u" + name.encode() + b"\x00" + (upload.name or "").encode() + b"\x00%d" % (upload.size or 0))
    return digest.hexdigest()


def _action(view) -> str:
    return f"{view.__module__}.{view.__qualname__}"[:120]


def _storage(request):
    return getattr(request, "_messages", None)


def _new_messages(storage, start_list, before) -> list:
    """Messages the view queued and did not show in its own answer. Showing
    them (a page that renders messages) empties the queue into a new list."""
    if storage is None:
        return []
    queued = storage._queued_messages
    return list(queued[before:]) if queued is start_list else list(queued)


def _forget_new_messages(storage, start_list, before, used_before=False) -> None:
    """Undo what the rolled-back view did to the messages: drop those it
    queued, and if it rendered a page that showed (and so used up) the
    messages already waiting in the browser, such as the first answer's,
    leave them waiting."""
    if storage is None:
        return
    if storage._queued_messages is start_list:
        del start_list[before:]
    else:
        storage._queued_messages = []
    storage.used = used_before


def _anonymous_key(user, key: uuid.UUID) -> uuid.UUID:
    digest = salted_hmac("core.idempotency.anonymous", f"{user.pk}:{key}", algorithm="sha256").digest()
    return uuid.UUID(bytes=digest[:16])


def _lookup(request, key: uuid.UUID, anonymous: bool) -> RequestKey | None:
    if anonymous:
        return RequestKey.objects.filter(actor__isnull=True, key=_anonymous_key(request.user, key)).first()
    return RequestKey.objects.filter(actor=request.user, key=key).first()


def _replay(request, stored: RequestKey) -> HttpResponse:
    storage = _storage(request)
    if stored.messages and storage is not None:
        # The first answer's messages may already wait in this browser's
        # storage (a double tap whose first answer arrived too): not twice.
        waiting = {(m.level, str(m.message)) for m in storage._loaded_messages}
        for level, text, tags in stored.messages:
            if (level, text) not in waiting:
                messages.add_message(request, level, text, extra_tags=tags, fail_silently=True)
    response = HttpResponse(stored.body, status=stored.status, content_type=stored.content_type or None)
    if stored.location:
        response["Location"] = stored.location
    for name, value in stored.headers.items():
        response[name] = value
    response[REPLAYED] = "1"
    return response


def _store(request, view, key, response, new_messages, anonymous: bool, sent: str) -> bool:
    """Write the answer's row; False (nothing written) for an answer that
    cannot be replayed (a stream)."""
    if getattr(response, "streaming", False):
        logger.warning("%s streams its answer: a repeat of it is not recognised", _action(view))
        return False
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    redirect = 300 <= response.status_code < 400
    body = "" if anonymous or redirect else response.content.decode(response.charset or "utf-8", errors="replace")
    now = timezone.now()
    RequestKey.objects.create(
        actor=None if anonymous else request.user,
        school_id=None if anonymous else getattr(getattr(request, "school", None), "pk", None),
        key=_anonymous_key(request.user, key) if anonymous else key,
        fingerprint=sent,
        action=_action(view),
        status=response.status_code,
        location=response.get("Location", "")[:2000],
        content_type=response.get("Content-Type", "")[:100],
        body=body,
        headers={name: response[name] for name in _KEPT_HEADERS if name in response},
        # A page shows its messages itself; a redirect's are shown on the next page.
        messages=[[m.level, str(m.message), m.extra_tags or ""] for m in new_messages] if redirect and not anonymous else [],
        # An anonymous row keeps the day only (DESIGN invariant 5: no exact time).
        created_at=datetime.datetime.combine(timezone.localdate(now), datetime.time(), tzinfo=timezone.get_current_timezone())
        if anonymous else now,
    )
    return True


class _Answered(Exception):
    """Raised inside the view's transaction to roll it back and answer with
    a stored answer (the same request's, found meanwhile) or a refusal."""

    def __init__(self, response):
        super().__init__("answered")
        self.response = response


def _answer(request, view, stored: RequestKey, sent: str):
    if stored.action != _action(view) or (stored.fingerprint and stored.fingerprint != sent):
        return refuse(request, _("This form was sent already. Reload the page to send another."))
    return _replay(request, stored)


def exactly_once(view=None, *, anonymous: bool = False, effects_outside: bool = False):
    """Decorate a view whose POST writes: see the module's docstring.
    `@exactly_once` or `@exactly_once(anonymous=True)`.

    `effects_outside=True` for a view that does something a rollback cannot
    undo (a counter in the cache): the key is looked up before the view
    runs, so a repeat sent after the first answer does not run it again."""
    if view is None:
        return functools.partial(exactly_once, anonymous=anonymous, effects_outside=effects_outside)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST" or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = key_of(request)
        if key is None:
            return refuse(request, _("This page is out of date. Reload it and send the form again."))
        sent = fingerprint(request)
        storage = _storage(request)
        start_list = storage._queued_messages if storage is not None else None
        before = len(start_list) if start_list is not None else 0
        used_before = storage.used if storage is not None else False
        try:
            with transaction.atomic():
                if effects_outside:
                    stored = _lookup(request, key, anonymous)
                    if stored is not None:
                        raise _Answered(_answer(request, view, stored, sent))
                # The key is not looked up first (but for effects_outside): a repeat runs the view
                # again, meets the stored key at its INSERT (or at a rule of
                # the view's own, or finds its object gone or decided) and is
                # rolled back whole, as a twin on another connection is. The
                # first request of each key, nearly every request, is spared
                # a query (bench/conduct_entry.py).
                try:
                    response = view(request, *args, **kwargs)
                except (Http404, PermissionDenied):
                    # A repeat of a request that deleted or decided what the view looks up.
                    stored = _lookup(request, key, anonymous)
                    if stored is None:
                        raise
                    _forget_new_messages(storage, start_list, before, used_before)
                    raise _Answered(_answer(request, view, stored, sent)) from None
                if transaction.get_connection().needs_rollback:
                    # The view caught a database error without a savepoint:
                    # nothing of it can stand; ask again outside.
                    raise IntegrityError("the view's transaction was broken")
                if response.status_code >= 400:
                    # Nothing a refused request did stands. A create with a unique
                    # rule of its own (a group's name, one proposal per student)
                    # meets its twin's row before the key: when the twin's key is
                    # stored, this refusal is the twin's echo.
                    twin = _lookup(request, key, anonymous)
                    if twin is not None:
                        _forget_new_messages(storage, start_list, before, used_before)
                        raise _Answered(_answer(request, view, twin, sent))
                    transaction.set_rollback(True)
                else:
                    _store(request, view, key, response, _new_messages(storage, start_list, before), anonymous, sent)
        except _Answered as answered:
            return answered.response
        except IntegrityError:
            # The same request won on another connection (at the key's INSERT, or
            # at a unique rule of the view's own): its rows stand, ours are rolled back.
            stored = _lookup(request, key, anonymous)
            if stored is None:
                raise
            _forget_new_messages(storage, start_list, before, used_before)
            return _answer(request, view, stored, sent)
        return response

    wrapper.exactly_once = True
    wrapper.exactly_once_anonymous = anonymous
    return wrapper
