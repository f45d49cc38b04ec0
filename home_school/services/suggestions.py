"""The suggestion box: a guardian writes, the recipient replies.

What an anonymous suggestion leaves behind (see home_school.models
.suggestions): the school, the class it is addressed to (or none), the
date, the text and the hash of the writer's one-time code. No user, no
child, no time of day, no audit row, no notification (both carry the
writer or an exact time), nothing in the session or in a message cookie
(the code is shown once on the response page, home_school.views
.suggestions.portal_suggestion_new). Named suggestions are stored the same
way plus the writer, so they cannot bracket an anonymous one in time.
"""

import datetime
import hashlib
import hmac
import secrets
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts.services import audit_record
from notifications.services import notify

from ..models import Suggestion, SuggestionRecipient, SuggestionReply

DAILY_LIMIT = 5
# 12 characters from 31 unambiguous ones (no 0/O, 1/I/L): 59 bits, far too
# many to guess, so a plain SHA-256 of the code is a safe lookup key.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def code_normalise(code: str) -> str:
    """What a person types → the code as issued: spaces and dashes dropped, upper case."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(code_normalise(code).encode()).hexdigest()


def code_format(code: str) -> str:
    """ABCDEFGHJKMN → ABCD-EFGH-JKMN, easier to copy down."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_from_seed(seed: str) -> str:
    """The code for a seed only the writer's browser knows (the request
    key of the form they sent, with their account): the same seed gives the
    same code, so a repeated request can show the writer their code again,
    and without the request key nobody can tie a code to an account."""
    number = int.from_bytes(salted_hmac("home_school.suggestion-code", seed, algorithm="sha256").digest(), "big")
    chars = []
    for _position in range(CODE_LENGTH):
        number, index = divmod(number, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[index])
    return "".join(chars)


def suggestion_quota_take(*, user, day: datetime.date) -> bool:
    """Count one suggestion of `user` on `day`; False once DAILY_LIMIT is
    passed (a flood brake, not a security boundary).

    Why the cache and not a table: a counter row in the database, even
    keyed by a salted hash of (user id, date), would sit next to the
    suggestions in the school's database and its backups for good, and
    whoever holds the salt (the school's own administrators hold
    SECRET_KEY) could hash every user id for that date, find who wrote on
    the day an anonymous suggestion arrived, and so undo the anonymity.
    The cache entry lives only until the end of the day (Redis in
    production, shared by every web process; CACHE_URL), is never backed
    up with the school's data, and its key is still an HMAC of (user id,
    date) under SECRET_KEY, so a look at Redis during the day does not
    list who wrote either. If the cache is flushed the day's counts start
    again, which only loosens the brake. Named and anonymous suggestions
    share the counter, so it says nothing about which kind was written."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"suggestions:{user.pk}:{day.isoformat()}".encode(), hashlib.sha256)
    key = f"home_school:suggestion-quota:{digest.hexdigest()}"
    now = timezone.localtime()
    midnight = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    ttl = max(60, int((midnight - now).total_seconds()) + 60)
    cache.add(key, 0, ttl)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, ttl)
        count = 1
    return count <= DAILY_LIMIT


class Submitted(NamedTuple):
    suggestion: Suggestion
    code: str | None  # an anonymous suggestion's one-time code, shown once


@transaction.atomic
def suggestion_submit(
    *, school, user, recipient: str, school_class, body: str, anonymous: bool, today: datetime.date | None = None,
    code_seed: str | None = None,
) -> Submitted:
    """Store a guardian's suggestion. Returns it with the one-time code
    for an anonymous one (shown once, never stored: only its hash) or
    None (from `code_seed` when given: code_from_seed). `user` is used for the rate limit and, for a named suggestion
    only, as the writer. Refuses more than DAILY_LIMIT a day per user.
    The caller checked that `user` is a guardian of the school and that
    `school_class` is one of their children's classes."""
    today = today or timezone.localdate()
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write your suggestion first."))
    if recipient == SuggestionRecipient.HEAD_TEACHER and school_class is None:
        raise ValidationError(_("Choose your child's class."))
    if recipient == SuggestionRecipient.OFFICE:
        school_class = None
    code = (code_from_seed(code_seed) if code_seed else _code_new()) if anonymous else None
    suggestion = Suggestion(
        school=school,
        recipient=recipient,
        school_class=school_class,
        is_anonymous=anonymous,
        writer=None if anonymous else user,
        written_on=today,
        body=body,
        code_hash=code_hash(code) if anonymous else None,
    )
    suggestion.full_clean()
    if not suggestion_quota_take(user=user, day=today):
        raise ValidationError(
            _("You have sent %(n)s suggestions today; please write again tomorrow.") % {"n": DAILY_LIMIT}
        )
    suggestion.save(force_insert=True)
    return Submitted(suggestion, code)


def suggestion_by_code(*, school, code: str) -> Suggestion | None:
    """The anonymous suggestion a code opens, in `school`; None if no
    suggestion matches. The code is not used up: the writer comes back
    with it for later replies (each view needs it typed again)."""
    normalised = code_normalise(code)
    if len(normalised) != CODE_LENGTH:
        return None
    return Suggestion.objects.filter(school=school, is_anonymous=True, code_hash=code_hash(normalised)).first()


@transaction.atomic
def suggestion_reply(*, actor, suggestion: Suggestion, body: str) -> SuggestionReply:
    """Answer a suggestion. A named writer gets a notification; an
    anonymous one reads the reply with their code. The caller checked
    can_reply_suggestion."""
    reply = SuggestionReply(school=suggestion.school, suggestion=suggestion, body=(body or "").strip(), author=actor)
    reply.full_clean()
    reply.save()
    audit_record(actor=actor, school=suggestion.school, action="home_school.suggestion.replied", target=suggestion)
    if suggestion.writer_id:
        notify(
            school=suggestion.school,
            recipients=[suggestion.writer],
            kind="home_school.suggestion.replied",
            title=_("The school replied to your suggestion"),
            link=reverse("home_school:portal_suggestion_detail", args=[suggestion.pk]),
            dedupe_key=f"home_school.suggestion.replied:reply={reply.pk}",
        )
    return reply
