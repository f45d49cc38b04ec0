"""Query parameters: reflected XSS, bad values and ordering/filter tricks.

Every page a person may read (the permission matrix says which) is asked
again with every parameter name the project's pages read (and a few they
do not), each set to an attack value: the page never echoes it unescaped,
never answers 500, and a bad value gives a clear error or is ignored.
Ordering and filtering parameters (?sort=password, lookups across
relations) are ignored: the page is the same as without them.
"""

import re
from urllib.parse import quote, quote_plus

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from tests.permissions.table import URLS
from tests.permissions.test_table import quiet_refusals, url_names  # noqa: F401 (a fixture)
from tests.permissions.world import NOW, build, people, target

# Every GET parameter a list or search page of the project reads, and the
# usual names of sort and filter parameters (read by none: must be ignored).
PARAMS = (
    "q", "page", "day", "week", "month", "year", "kind", "status", "period", "category", "show", "before", "student",
    "teacher", "dimension", "start", "end", "voided", "date", "term", "class", "grade", "room", "building", "sort", "order",
    "o", "ordering", "next",
)

ATTACKS = {
    "xss": '<img src=x onerror=alert(1)>"><svg onload=alert(1)>甲{{7*7}}乙javascript:alert(1)',
    "nul": "1\x00",
    "huge": "9" * 40,
    "bad": "-２０２６-02-30",  # negative, full-width digits, no such day
}
RAW = re.compile(r"<img src=x onerror=|<svg onload=|甲49乙|(href|src|action)\s*=\s*[\"']?javascript:", re.I)

VIEWERS = ("office", "head_teacher", "guardian")


def _pages(world, objects, role):
    """The GET URLs `role` may open (200 in the matrix), resolved. The head
    teacher's are only those the office may not open (the same URL answers
    both alike as far as parameters go)."""
    names = url_names()
    for name, spec in URLS.items():
        if name not in names or spec["get"].get(role) != 200 or spec["obj"] == "reset":
            continue
        if role == "head_teacher" and spec["get"].get("office") == 200:
            continue
        kwargs = names[name]
        yield name, reverse(name, kwargs={kwargs[0]: target(objects, spec["obj"], role).pk}) if kwargs else reverse(name)


def _get(client, url, params):
    """The answer's status and text; an exception in the view counts as 500."""
    try:
        response = client.get(url, params)
    except Exception as e:  # noqa: BLE001 - any exception is the 500 this test looks for
        return 500, f"{type(e).__name__}: {e}"
    text = response.content.decode(errors="replace") if response.get("Content-Type", "").startswith("text/") else ""
    return response.status_code, text


@pytest.mark.parametrize("role", VIEWERS)
@pytest.mark.usefixtures("quiet_refusals")
def test_attack_values_in_every_parameter_are_never_echoed_raw_nor_a_500(world, role):
    problems = []
    with time_machine.travel(NOW, tick=False):
        objects = build(world)
        client = Client()
        client.force_login(people(world)[role])
        for name, url in _pages(world, objects, role):
            for attack, value in ATTACKS.items():
                status, text = _get(client, url, dict.fromkeys(PARAMS, value))
                if status >= 500:
                    problems.append(f"{name} [{attack}]: {status} {text[:200]}")
                elif status not in (200, 302, 400, 404):
                    problems.append(f"{name} [{attack}]: {status}")
                elif match := RAW.search(text):
                    problems.append(f"{name} [{attack}]: echoed unescaped {match.group(0)!r}")
    assert not problems, "\n".join(problems)


# --- Ordering and filtering parameters --------------------------------------------------------

SNEAKY = {
    "sort": "password",
    "order": "-user__password",
    "o": "-1.2",
    "ordering": "user__password",
    "student__user__password__startswith": "pbkdf2",
    "user__password__startswith": "pbkdf2_sha",
    "school": "99999",
    "school_id": "99998",
    "recipient": "99997",
    "pk__in": "99991,99992",
}
# The same parameter names with values that mean nothing: a page that echoes
# its query string (links that keep the filters) or binds a filter form to
# it renders both alike, unless it sorts or filters by them.
HARMLESS = dict.fromkeys(SNEAKY, "zz")
# CSRF tokens and request keys (core.idempotency) change on every request.
_TOKEN = re.compile(r"[A-Za-z0-9]{64}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _neutral(text):
    """The page without what changes on every request (CSRF tokens, request keys) and
    with the parameter values, wherever echoed, made alike."""
    text = _TOKEN.sub("", text)
    for value in sorted({*SNEAKY.values(), "zz"}, key=len, reverse=True):
        for shown in {value, quote(value, safe=""), quote_plus(value), escape(value)}:
            text = text.replace(shown, "·")
    return text


@pytest.mark.parametrize("role", VIEWERS)
@pytest.mark.usefixtures("quiet_refusals")
def test_sort_and_filter_parameters_are_ignored(world, role):
    """No page sorts or filters by a parameter it does not declare: the
    answer with ?sort=password, ?o=…, lookups across relations … is the
    answer with the same names set to nothing meaningful (never a 500)."""
    problems = []
    with time_machine.travel(NOW, tick=False):
        objects = build(world)
        client = Client()
        client.force_login(people(world)[role])
        for name, url in _pages(world, objects, role):
            plain_status, plain = _get(client, url, HARMLESS)
            status, sneaky = _get(client, url, SNEAKY)
            if status != plain_status:
                problems.append(f"{name}: {status} with the parameters, {plain_status} without")
            elif _neutral(sneaky) != _neutral(plain):
                problems.append(f"{name}: the page changes with sort/filter parameters it does not declare")
    assert not problems, "\n".join(problems)


def test_form_bound_filters_accept_only_their_fields(world, client_for):
    """The two pages with a filter form bound to the query string: their
    fields are validated choices and dates; anything else is ignored."""
    with time_machine.travel(NOW, tick=False):
        build(world)
        url = reverse("moral_ed:student_points", args=[world.child.pk])
        plain = client_for(world.head_teacher).get(url, {"voided": "on", **HARMLESS})
        sneaky = client_for(world.head_teacher).get(url, {"voided": "on", **SNEAKY})
        assert plain.status_code == sneaky.status_code == 200
        assert _neutral(plain.content.decode()) == _neutral(sneaky.content.decode())
        bad = client_for(world.head_teacher).get(url, {"dimension": "password", "start": "x", "end": "2026-13-01"})
        assert bad.status_code == 200
        assert list(bad.context["events"]) == list(client_for(world.head_teacher).get(url).context["events"])
        url = reverse("home_school:visit_list")
        plain = client_for(world.office).get(url, {"status": "planned", **HARMLESS})
        sneaky = client_for(world.office).get(url, {"status": "planned", **SNEAKY})
        assert _neutral(plain.content.decode()) == _neutral(sneaky.content.decode())
        bad = client_for(world.office).get(url, {"teacher": "password", "status": "<img>"})
        assert bad.status_code == 200
        assert [v.pk for v in bad.context["visits"]] == [v.pk for v in client_for(world.office).get(url).context["visits"]]


def test_admin_search_and_ordering_parameters(world, client_for):
    """The admin's own ?o= takes column numbers only and its search echoes
    escaped; a lookup the admin does not allow is refused (?e=1), never a 500."""
    with time_machine.travel(NOW, tick=False):
        build(world)
        client = client_for(world.school_admin)
        url = reverse("admin:students_student_changelist")
        for params in ({"o": "password"}, {"o": "-99"}, {"q": ATTACKS["xss"]}, {"q": ATTACKS["nul"]}, {"user__password__startswith": "a"},
                       {"guardianships__guardian__user__password__startswith": "p"}):
            response = client.get(url, params)
            assert not RAW.search(response.content.decode()), params
            if "password" in "".join(params):
                # Refused: a lookup the admin does not allow is a 400, an unknown one sends back with ?e=1.
                assert response.status_code == 400 or (response.status_code == 302 and "e=1" in response["Location"]), params
            else:
                assert response.status_code == 200, params
