"""A student on duty (值周生) does inspections and nothing else.

Every URL of the project is walked (django.urls.get_resolver) with a
client whose only role is DUTY_STUDENT; apart from the pages listed in
ALLOWED, each answers 403 or 404 (or 405 to a GET of a POST-only URL),
or redirects to the inspection grid. URLs that take an id are tried
with the ids of real objects of the world (a class, a student, a conduct
event, an inspection entry, a veto, a notification of someone else), so
a page that looked the object up before checking the role would show.
"""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from moral_ed.models import ConductItem
from moral_ed.services import conduct as conduct_services
from moral_ed.services import inspections as services
from notifications.services import notify

from .inspections_support import TODAY, duty_fixture, insp_items_fixture, record, school_day_fixture  # noqa: F401

pytestmark = pytest.mark.usefixtures("school_day", "insp_items", "duty")

GRID = "moral_ed:inspection_grid"

# What a student on duty may open, and why.
ALLOWED = {
    # Their work: the grid, its posts, and the published class ranking every member of the school reads.
    "moral_ed:inspection_grid",
    "moral_ed:inspection_record",
    "moral_ed:inspection_void",
    "moral_ed:ranking_published",
    # Their account.
    "accounts:logout",
    "accounts:password_change",
    "accounts:school_switch",
    "set_language",
    "javascript-catalog",
    # Public pages (login_not_required): the same for everyone.
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    # Their own inbox (a notification is opened by its recipient only).
    "notifications:inbox",
    "notifications:mark_all_read",
    "notifications:open",
    "notifications:preferences",
}


def _patterns(patterns=None, namespace="", prefix=""):
    """(full name, route pattern) of every named URL outside the admin."""
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
            yield from _patterns(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p.pattern


def _id_candidates(world):
    """Ids of real rows of many kinds, none of them the duty student's."""
    from moral_ed.services.defaults import defaults_install as conduct_defaults

    conduct_defaults(school=world.school)
    item = ConductItem.objects.filter(school=world.school, points__lt=0).first()
    events, *_ = conduct_services.points_record(actor=world.head_teacher, school=world.school, term=world.term,
                                                school_class=world.class1, student_ids=[world.child.pk], item=item)
    entry = record(world, world.office, "仪表仪容")
    veto = services.veto_record(school=world.school, school_class=world.class1, occurred_on=TODAY, reason="打架",
                                recorded_by=world.office)
    notify(school=world.school, recipients=[world.head_teacher], kind="tests.duty", title="测试", dedupe_key="tests.duty")
    from notifications.models import Notification

    note = Notification.objects.get(dedupe_key="tests.duty")
    return sorted({world.class1.pk, world.child.pk, events[0].pk, entry.pk, veto.pk, note.pk})


def _urls(name, pattern, candidates):
    converters = getattr(pattern, "converters", {})
    if not converters:
        yield reverse(name)
        return
    for value in candidates:
        kwargs = {}
        for key, converter in converters.items():
            kind = type(converter).__name__
            if kind == "IntConverter":
                kwargs[key] = value
            elif kind == "UUIDConverter":
                kwargs[key] = uuid.uuid4()
            else:
                kwargs[key] = "x"
        yield reverse(name, kwargs=kwargs)
        if all(type(c).__name__ != "IntConverter" for c in converters.values()):
            return


def test_the_walk_sees_the_whole_site(world):
    names = {name for name, _ in _patterns()}
    assert {GRID, "moral_ed:class_entry", "classes:class_list", "home_school:portal_home", "notifications:inbox"} <= names
    assert ALLOWED <= names, f"stale entries in ALLOWED: {sorted(ALLOWED - names)}"


def test_a_duty_student_reaches_nothing_but_inspections(world, client_for):
    """GET and POST every URL outside ALLOWED: 403/404 (405 for the wrong
    method) or a redirect to the grid; all mismatches are listed at once."""
    candidates = _id_candidates(world)
    client = client_for(world.duty)
    grid = reverse(GRID)
    wrong = []
    for name, pattern in _patterns():
        if name in ALLOWED:
            continue
        for url in _urls(name, pattern, candidates):
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                status = response.status_code
                if status in (403, 404, 405):
                    continue
                if status == 302 and response["Location"].split("?")[0] == grid:
                    continue
                where = f" → {response['Location']}" if status in (301, 302) else ""
                wrong.append(f"{method.upper()} {name} {url}: {status}{where}")
    assert not wrong, "a duty student reaches:\n" + "\n".join(wrong)


def test_the_home_page_sends_a_duty_student_to_the_grid(world, client_for):
    response = client_for(world.duty).get(reverse("accounts:home"))
    assert response.status_code == 302 and response["Location"] == reverse(GRID)


def test_the_admin_is_closed_to_a_duty_student(world, client_for):
    response = client_for(world.duty).get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_duty_student_is_not_staff_and_not_a_portal_user(world, client_for):
    from accounts.policies import is_staff_in

    assert not is_staff_in(world.duty, world.school)
    client = client_for(world.duty)
    response = client.get(reverse(GRID))
    assert response.wsgi_request.is_staff_member is False
    assert client.get(reverse("home_school:portal_home")).status_code == 403
    assert client.get(reverse("home_school:portal_child", args=[world.child.pk])).status_code == 403
    assert client.get(reverse("classes:class_list")).status_code == 403


def test_a_duty_student_who_is_also_a_student_keeps_the_student_portal(world, client_for):
    """Role.STUDENT as well: the portal shows the student's own pages; the
    grid still works, and staff pages stay closed."""
    from accounts.models import Role
    from tests import factories as f

    f.MembershipFactory(user=world.student_user, school=world.school, role=Role.DUTY_STUDENT)
    client = client_for(world.student_user)
    assert client.get(reverse(GRID)).status_code == 200
    assert client.get(reverse("home_school:portal_child", args=[world.child.pk])).status_code == 200
    assert client.get(reverse("classes:class_list")).status_code == 403
    assert client.get(reverse("moral_ed:class_entry", args=[world.class1.pk])).status_code == 403
