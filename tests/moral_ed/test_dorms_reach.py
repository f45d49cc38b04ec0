"""Who reaches which dorm page, by every dorm URL.

For each person and URL that takes an id: what it answers for the object
of their own class (or, for buildings, 1号楼), of another class (2号楼) in
the same school, and of another school: 200 (may see), 302 (done,
redirected; or anonymous: must log in), 403 (not for this kind of person,
or may see but not do this), 404 (may not know it exists).
tests/test_reach.py collects DECLARED_URLS.
"""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from moral_ed.models import DormCase
from moral_ed.services import dorms as services

from . import test_dorm_support as support
from .test_dorm_support import FRIDAY, TODAY

# The shared dorm fixtures.
deduct = support.deduct
dorm = support.dorm

# URL name → which object its id comes from
URLS = {
    "moral_ed:dorm_building": "building",
    "moral_ed:dorm_bed_assign": "building",
    "moral_ed:dorm_bed_release": "building",
    "moral_ed:dorm_inspection": "building",
    "moral_ed:dorm_event_record": "building",
    "moral_ed:dorm_event_void": "event",
    "moral_ed:dorm_class": "class",
    "moral_ed:dorm_student": "student",
    "moral_ed:dorm_case": "case",
    "moral_ed:dorm_case_decide": "case",
}
DECLARED_URLS = set(URLS)
# What the POST-only URLs are sent (an invalid assignment or release still answers with a redirect).
POSTS = {
    "moral_ed:dorm_bed_assign": {"bed": "0", "student_number": "0"},
    "moral_ed:dorm_bed_release": {"assignment": "0"},
    "moral_ed:dorm_event_record": {"room": "0", "item": "0"},
    "moral_ed:dorm_event_void": {"reason": "测试"},
    "moral_ed:dorm_case_decide": {"decision": "confirm"},
}
LISTS = ["moral_ed:dorm_home", "moral_ed:dorm_cases"]

_NO = (403, 403, 403)
_BUILDING_PAGES = ["moral_ed:dorm_building", "moral_ed:dorm_inspection"]
_BUILDING_POSTS = ["moral_ed:dorm_bed_assign", "moral_ed:dorm_bed_release", "moral_ed:dorm_event_record", "moral_ed:dorm_event_void"]


def _table(building_pages, building_posts, read, decide):
    """read: the class, student and case pages; decide: the decision post."""
    return {
        **{name: building_pages for name in _BUILDING_PAGES},
        **{name: building_posts for name in _BUILDING_POSTS},
        "moral_ed:dorm_class": read,
        "moral_ed:dorm_student": read,
        "moral_ed:dorm_case": read,
        "moral_ed:dorm_case_decide": decide,
    }


# person → {url name → (own, other, other school)}
EXPECTED = {
    "anonymous": {name: (302, 302, 302) for name in URLS},
    "head_teacher": _table(_NO, _NO, (200, 404, 404), (302, 404, 404)),
    "other_head_teacher": _table(_NO, _NO, (404, 200, 404), (404, 302, 404)),
    # Teaches 六(1): reaches its students, but dorm pages are not for subject teachers.
    "subject_teacher": _table(_NO, _NO, (403, 404, 404), (403, 404, 404)),
    "counsellor": _table(_NO, _NO, (403, 403, 404), (403, 403, 404)),
    "principal": _table((200, 200, 404), _NO, (200, 200, 404), (403, 403, 404)),
    "office": _table((200, 200, 404), (302, 302, 404), (200, 200, 404), (302, 302, 404)),
    "b.office": _table((404, 404, 200), (404, 404, 302), (404, 404, 200), (404, 404, 302)),
    "parent": {name: _NO for name in URLS},
    "student_user": {name: _NO for name in URLS},
    "b.parent": {name: _NO for name in URLS},
}

# person → (dorm_home, dorm_cases)
EXPECTED_LISTS = {
    "anonymous": (302, 302),
    "head_teacher": (200, 200),
    "other_head_teacher": (200, 200),
    "subject_teacher": (403, 403),
    "counsellor": (403, 403),
    "principal": (200, 200),
    "office": (200, 200),
    "b.office": (200, 200),
    "parent": (403, 403),
    "student_user": (403, 403),
    "b.parent": (403, 403),
}


def _get(world, dotted):
    obj = world
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _objects(world, dorm, deduct):
    """Own / other / other-school objects of each kind. Each student has a
    deduction (the entry) and an open case at step 1 (谈话, confirmed by the
    head teacher)."""
    students = (world.child, world.other_child, world.b.child)
    events = [deduct(student, 5, TODAY) for student in students]
    services.ladder_check(school=world.school, today=TODAY)
    services.ladder_check(school=world.b.school, today=TODAY)
    return {
        "building": [dorm.building, dorm.building2, dorm.b_building],
        "class": [world.class1, world.class2, world.b.class1],
        "student": list(students),
        "event": events,
        "case": [DormCase.objects.get(student=s) for s in students],
    }


@pytest.mark.parametrize("person", list(EXPECTED))
def test_dorm_reach_by_url(world, dorm, deduct, person):
    """Every dorm URL with an id, for own / other / other-school objects.
    One test per person; every mismatch is listed at once."""
    assert set(EXPECTED[person]) == set(URLS), f"{person}: declare every URL"
    mismatches = []
    with time_machine.travel(FRIDAY, tick=False):
        objects = _objects(world, dorm, deduct)
        client = Client()
        if person != "anonymous":
            client.force_login(_get(world, person))
        for url_name, kind in URLS.items():
            for index, which in enumerate(("own", "other", "other_school")):
                url = reverse(url_name, args=[objects[kind][index].pk])
                response = client.post(url, POSTS[url_name]) if url_name in POSTS else client.get(url)
                expected = EXPECTED[person][url_name][index]
                if response.status_code != expected:
                    mismatches.append(f"{url_name} {which}: {response.status_code}, expected {expected}")
        for url_name, expected in zip(LISTS, EXPECTED_LISTS[person], strict=True):
            status = client.get(reverse(url_name)).status_code
            if status != expected:
                mismatches.append(f"{url_name}: {status}, expected {expected}")
    assert not mismatches, "\n".join(mismatches)


def test_every_dorm_url_is_in_the_table():
    from moral_ed.views.dorms import urls

    assert {f"moral_ed:{p.name}" for p in urls} == set(URLS) | set(LISTS)
