"""Reach of every class-inspection URL, for each person.

For URLs with an id: (own, other, other_school), where "own" is the
object of 六(1)班 (an entry recorded today by 值周生林一, `duty`), "other"
that of 六(2)班 (an entry by 值周生林二), "other school" that of school B
(an entry by B's duty student). 200 may see / did it (htmx answers the
card), 302 done (a post redirects) or must log in (anonymous), 403 may
not use this page or action, 404 may not know the object exists.
"""

import pytest
from django.test import Client
from django.urls import reverse

from moral_ed.services import inspections as services

from .inspections_support import HTMX, TODAY, duty_fixture, insp_items_fixture, record, school_day_fixture  # noqa: F401

pytestmark = pytest.mark.usefixtures("school_day", "insp_items", "duty")

# URL name → the kind of object its id names
URLS = {
    "inspection_record": "class",
    "inspection_void": "entry",
    "class_inspections": "class",
    "veto_void": "veto",
}
DECLARED_URLS = {f"moral_ed:{name}" for name in URLS}

POSTS = {
    "inspection_record": lambda w, target: {"item": _item_of(w, target).pk, "day": TODAY.isoformat()},
    "inspection_void": lambda w, target: {"reason": "查错班级"},
    "veto_void": lambda w, target: {"reason": "撤销"},
}

# URLs without an id → the status for each person
PAGES = {
    "inspection_grid": ("get", {}),
    "veto_list": ("get", {}),
    "veto_record": ("post", {}),
    "ranking_published": ("get", {}),
}

PEOPLE = ["anonymous", "head_teacher", "other_head_teacher", "subject_teacher", "office", "counsellor", "principal",
          "school_admin", "parent", "student_user", "duty", "b.office", "b.duty"]

_NO = (403, 403, 403)
_NOT_INSPECTOR = {"inspection_record": _NO, "inspection_void": _NO, "veto_void": _NO}

# person → {url name → (own, other, other_school)}
EXPECTED = {
    "anonymous": {name: (302, 302, 302) for name in URLS},
    "head_teacher": {**_NOT_INSPECTOR, "class_inspections": (200, 404, 404)},
    "other_head_teacher": {**_NOT_INSPECTOR, "class_inspections": (404, 200, 404)},
    # Teaches maths in 六(1): reaches the class, but its inspection page is for the head teacher.
    "subject_teacher": {**_NOT_INSPECTOR, "class_inspections": (403, 404, 404)},
    "office": {
        "inspection_record": (200, 200, 404),
        "inspection_void": (200, 200, 404),
        "class_inspections": (200, 200, 404),
        "veto_void": (302, 302, 404),
    },
    "counsellor": {**_NOT_INSPECTOR, "class_inspections": (403, 403, 404)},
    "principal": {**_NOT_INSPECTOR, "class_inspections": (200, 200, 404)},
    "school_admin": {**_NOT_INSPECTOR, "class_inspections": (200, 200, 404)},
    "parent": {**_NOT_INSPECTOR, "class_inspections": _NO},
    "student_user": {**_NOT_INSPECTOR, "class_inspections": _NO},
    # Records in any class of the school; voids only their own entry of today.
    "duty": {
        "inspection_record": (200, 200, 404),
        "inspection_void": (200, 403, 404),
        "class_inspections": _NO,
        "veto_void": _NO,
    },
    "b.office": {
        "inspection_record": (404, 404, 200),
        "inspection_void": (404, 404, 200),
        "class_inspections": (404, 404, 200),
        "veto_void": (404, 404, 302),
    },
    "b.duty": {
        "inspection_record": (404, 404, 200),
        "inspection_void": (404, 404, 200),
        "class_inspections": _NO,
        "veto_void": _NO,
    },
}

_MEMBER_PAGES = {"inspection_grid": 403, "veto_list": 403, "veto_record": 403, "ranking_published": 200}
PAGE_EXPECTED = {
    "anonymous": {name: 302 for name in PAGES},
    **{p: _MEMBER_PAGES for p in ("head_teacher", "other_head_teacher", "subject_teacher", "counsellor", "school_admin",
                                  "parent", "student_user")},
    "principal": {**_MEMBER_PAGES, "veto_list": 200},
    # An empty veto form is refused in place (422).
    "office": {"inspection_grid": 200, "veto_list": 200, "veto_record": 422, "ranking_published": 200},
    "b.office": {"inspection_grid": 200, "veto_list": 200, "veto_record": 422, "ranking_published": 200},
    "duty": {**_MEMBER_PAGES, "inspection_grid": 200},
    "b.duty": {**_MEMBER_PAGES, "inspection_grid": 200},
}


def _get(world, dotted):
    obj = world
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _item_of(world, school_class):
    from moral_ed.models import InspectionItem

    return InspectionItem.objects.filter(school=school_class.school, name="仪表仪容").get()


def _objects(world):
    """Per kind: (own, other, other_school)."""
    entries = (
        record(world, world.duty, "仪表仪容", school_class=world.class1),
        record(world, world.duty2, "仪表仪容", school_class=world.class2),
        record(world, world.b.duty, "仪表仪容", school_class=world.b.class1),
    )
    vetoes = tuple(
        services.veto_record(school=c.school, school_class=c, occurred_on=TODAY, reason="打架", recorded_by=by)
        for c, by in ((world.class1, world.office), (world.class2, world.office), (world.b.class1, world.b.office))
    )
    return {"class": (world.class1, world.class2, world.b.class1), "entry": entries, "veto": vetoes}


def test_the_table_covers_every_person_and_url():
    assert set(EXPECTED) == set(PEOPLE) == set(PAGE_EXPECTED)
    for person in PEOPLE:
        assert set(EXPECTED[person]) == set(URLS), person
        assert set(PAGE_EXPECTED[person]) == set(PAGES), person


@pytest.mark.parametrize("person", PEOPLE)
def test_reach_by_url(world, person):
    """Every inspection URL, for own / other / other-school objects; every
    mismatch is listed at once."""
    objects = _objects(world)
    client = Client()
    if person != "anonymous":
        client.force_login(_get(world, person))
    mismatches = []
    for name, kind in URLS.items():
        for index, which in enumerate(("own", "other", "other_school")):
            target = objects[kind][index]
            url = reverse(f"moral_ed:{name}", args=[target.pk])
            if name in POSTS:
                target_class = target if kind == "class" else target.school_class
                response = client.post(url, POSTS[name](world, target_class), **HTMX)
            else:
                response = client.get(url)
            expected = EXPECTED[person][name][index]
            if response.status_code != expected:
                mismatches.append(f"{name} {which}: {response.status_code}, expected {expected}")
    for name, (method, data) in PAGES.items():
        response = getattr(client, method)(reverse(f"moral_ed:{name}"), data)
        if response.status_code != PAGE_EXPECTED[person][name]:
            mismatches.append(f"{name}: {response.status_code}, expected {PAGE_EXPECTED[person][name]}")
    assert not mismatches, "\n".join(mismatches)
