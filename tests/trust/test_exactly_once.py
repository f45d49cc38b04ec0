"""Exactly once, for every view that writes: each is decorated with
core.idempotency.exactly_once (or exempt with a reason), each create
action of the table (tests/trust/actions*.py) writes once when the same
request comes twice, one after the other or at the same moment on two
PostgreSQL connections, and each page's forms carry a request key."""

import inspect
import uuid
from collections import Counter

import pytest
import time_machine
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from notifications.models import Notification
from tests.concurrency import at_once, failures
from tests.permissions.table import URLS as MATRIX
from tests.permissions.world import NOW, build, people

from .actions import all_actions
from .support import actor_of, client_for, model_of, post, read_forms, url_of

# Views that take a POST and are not exactly-once, with the reason.
EXEMPT = {
    "set_language": "sets a cookie; the same language twice is the same",
    "accounts:login": "signing in twice is signing in",
    "accounts:logout": "signing out twice is signing out",
    "accounts:password_change": "the same password twice is the same password",
    "accounts:password_reset": "sends a reset link; Django's tokens make a second one harmless",
    "accounts:password_reset_confirm": "the link works once (Django's token)",
    "accounts:school_switch": "choosing the same school twice is the same",
    "notifications:mark_all_read": "marking read twice is the same",
    "notifications:preferences": "saves settings: the same form twice is the same settings",
    "notifications:open": "marks one notification read and follows its link: twice is the same",
    "home_school:portal_suggestion_code": "reads an anonymous suggestion by its code and writes nothing; a stored answer would tie the guardian to it",
}

OURS = ("accounts", "classes", "students", "moral_ed", "home_school", "notifications", "psych", "research", "core")


def _views():
    """(url name, view) of every named URL of the project's own apps."""
    found = {}

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                found[f"{namespace}{p.name}"] = p.callback

    walk(get_resolver().url_patterns)
    return {name: view for name, view in found.items() if (name.split(":")[0] in OURS or ":" not in name)}


def _is_exactly_once(view) -> bool:
    while view is not None:
        if getattr(view, "exactly_once", False):
            return True
        view = getattr(view, "__wrapped__", None)
    return False


def _takes_post(view) -> bool:
    if getattr(view, "view_class", None) is not None:
        return hasattr(view.view_class, "post") or hasattr(view.view_class, "form_valid")
    try:
        source = inspect.getsource(inspect.unwrap(view))
    except (OSError, TypeError):
        return False
    return any(word in source for word in ("require_POST", '"POST"', "request.POST", "request.FILES"))


def test_every_view_that_takes_a_post_is_exactly_once_or_exempt():
    missing = [name for name, view in sorted(_views().items())
               if _takes_post(view) and not _is_exactly_once(view) and name not in EXEMPT]
    assert not missing, "decorate with core.idempotency.exactly_once or exempt with a reason:\n" + "\n".join(missing)
    stale = [name for name in EXEMPT if name in _views() and _is_exactly_once(_views()[name])]
    assert not stale, f"exempt but decorated: {stale}"


def test_every_create_action_is_in_the_table_and_decorated():
    views = _views()
    for action in all_actions():
        assert action.url_name in views, action.name
        assert _is_exactly_once(views[action.url_name]), f"{action.name}: {action.url_name} is not exactly_once"


def _new(model, before):
    return model.objects.exclude(pk__in=before)


def _duplicated_notifications(before):
    rows = Notification.objects.exclude(pk__in=before).values_list("recipient_id", "kind", "title", "body", "link")
    return [row for row, n in Counter(rows).items() if n > 1]


def test_the_same_request_twice_writes_once_and_answers_alike(world):
    problems = []
    with time_machine.travel(NOW, tick=False):
        objects = build(world)
        for action in all_actions():
            model = model_of(action)
            client = client_for(actor_of(action, world))
            url = url_of(action, objects, world)
            before = list(model.objects.values_list("pk", flat=True))
            notes_before = list(Notification.objects.values_list("pk", flat=True))
            key = str(uuid.uuid4())
            first = post(client, action, url, action.body(objects.side[1], world), key)
            again = post(client, action, url, action.body(objects.side[1], world), key)
            made = _new(model, before).count()
            if first.status_code >= 400:
                problems.append(f"{action.name}: the valid request answered {first.status_code}")
            elif made != action.rows:
                problems.append(f"{action.name}: {made} rows, expected {action.rows}")
            elif (again.status_code, again.get("Location"), again.content) != (first.status_code, first.get("Location"), first.content):
                problems.append(f"{action.name}: the repeat answered differently")
            elif _duplicated_notifications(notes_before):
                problems.append(f"{action.name}: a notification was sent twice")
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_identical_posts_at_once_leave_one_row_and_one_notification(world):
    problems = []
    with time_machine.travel(NOW, tick=False):
        objects = build(world)
        for action in all_actions():
            model = model_of(action)
            user = actor_of(action, world)
            clients = [client_for(user), client_for(user)]
            url = url_of(action, objects, world)
            body = action.body(objects.side[1], world)
            before = list(model.objects.values_list("pk", flat=True))
            notes_before = list(Notification.objects.values_list("pk", flat=True))
            key = str(uuid.uuid4())
            outcomes = at_once(*[lambda c=c, a=action, u=url, b=body, k=key: post(c, a, u, b, k) for c in clients])
            made = _new(model, before).count()
            if failures(outcomes):
                problems.append(f"{action.name}: {failures(outcomes)}")
            elif any(o.status_code >= 400 for o in outcomes):
                problems.append(f"{action.name}: answered {[o.status_code for o in outcomes]}")
            elif made != action.rows:
                problems.append(f"{action.name}: {made} rows, expected {action.rows}")
            elif _duplicated_notifications(notes_before):
                problems.append(f"{action.name}: a notification was sent twice")
    assert not problems, "\n".join(problems)


def _view_at(url):
    try:
        return resolve(url.split("?")[0]).func
    except Resolver404:
        return None


def _unkeyed(html):
    """The forms and hx-post elements of a page that post to an
    exactly-once view without a request key."""
    reader = read_forms(html)
    out = []
    for form in reader.forms:
        if form["post"] and form["action"] and _is_exactly_once(_view_at(form["action"])) and "request_key" not in form["names"]:
            out.append(form["action"])
    for hx in reader.hx_posts:
        if not _is_exactly_once(_view_at(hx["url"])):
            continue
        in_form = hx["form"] is not None and "request_key" in reader.forms[hx["form"]]["names"]
        if not (in_form or "request_key" in hx["vals"] or "Idempotency-Key" in hx["headers"]):
            out.append(hx["url"])
    return out


def test_every_form_of_every_page_carries_a_request_key(world):
    """Each page of the permission matrix, opened by a person who may see it:
    every form and hx-post that reaches an exactly-once view sends a key."""
    from tests.permissions.test_table import _url, url_names

    names = url_names()
    problems = []
    with time_machine.travel(NOW, tick=False):
        objects = build(world)
        everyone = people(world)
        for name, spec in MATRIX.items():
            role = next((r for r, answer in spec["get"].items() if answer == 200 and everyone.get(r) is not None), None)
            if role is None or name not in names:
                continue
            response = client_for(everyone[role]).get(_url(name, names[name], spec, objects, role))
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                problems += [f"{name} ({role}): {target}" for target in _unkeyed(response.content.decode())]
    assert not problems, "forms without {% request_key %}:\n" + "\n".join(sorted(set(problems)))
