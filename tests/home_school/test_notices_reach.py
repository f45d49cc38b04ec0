"""Who reaches which notice, by every notices URL.

For each person and URL: what it answers for the object of their own
class/family, of another class/family in the same school, and of another
school: 200 (may see), 302 (done, redirected; or anonymous: must log in),
403 (not for this kind of person, or may see but not do this), 404 (may
not know it exists). The lead merges NOTICE_URLS into tests/test_reach.py.
"""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from home_school.models.notices import ReceiptType

from .notices_support import NOV20, at, make_notice

# URL name → which object its id comes from (a sent notice, a draft, a scheduled one)
NOTICE_URLS = {
    "home_school:notice_detail": "notice",
    "home_school:notice_export": "notice",
    "home_school:notice_send": "draft",
    "home_school:notice_cancel": "scheduled",
    "home_school:portal_notice": "notice",
}
POSTS = {"home_school:notice_send", "home_school:notice_cancel"}
LISTS = ["home_school:notice_list", "home_school:notice_create", "home_school:portal_notices"]

_FORBIDDEN = (403, 403, 403)
_STAFF_NO_PORTAL = {"home_school:portal_notice": _FORBIDDEN}

# person → {url name → (own, other, other school)}
EXPECTED = {
    "anonymous": {name: (302, 302, 302) for name in NOTICE_URLS},
    "head_teacher": {
        "home_school:notice_detail": (200, 404, 404),
        "home_school:notice_export": (200, 404, 404),
        "home_school:notice_send": (302, 404, 404),
        "home_school:notice_cancel": (302, 404, 404),
        **_STAFF_NO_PORTAL,
    },
    "other_head_teacher": {
        "home_school:notice_detail": (404, 200, 404),
        "home_school:notice_export": (404, 200, 404),
        "home_school:notice_send": (404, 302, 404),
        "home_school:notice_cancel": (404, 302, 404),
        **_STAFF_NO_PORTAL,
    },
    "subject_teacher": {name: _FORBIDDEN for name in NOTICE_URLS},
    "parent": {**{name: _FORBIDDEN for name in NOTICE_URLS}, "home_school:portal_notice": (200, 404, 404)},
    "other_parent": {**{name: _FORBIDDEN for name in NOTICE_URLS}, "home_school:portal_notice": (404, 200, 404)},
    "b.parent": {**{name: _FORBIDDEN for name in NOTICE_URLS}, "home_school:portal_notice": (404, 404, 200)},
    "student_user": {name: _FORBIDDEN for name in NOTICE_URLS},
    "office": {
        "home_school:notice_detail": (200, 200, 404),
        "home_school:notice_export": (200, 200, 404),
        # The office sees every notice but sends only its own drafts; it may cancel any.
        "home_school:notice_send": (403, 403, 404),
        "home_school:notice_cancel": (302, 302, 404),
        **_STAFF_NO_PORTAL,
    },
    "b.office": {
        "home_school:notice_detail": (404, 404, 200),
        "home_school:notice_export": (404, 404, 200),
        "home_school:notice_send": (404, 404, 403),
        "home_school:notice_cancel": (404, 404, 302),
        **_STAFF_NO_PORTAL,
    },
}

# person → (notice_list, notice_create, portal_notices)
EXPECTED_LISTS = {
    "anonymous": (302, 302, 302),
    "head_teacher": (200, 200, 403),
    "other_head_teacher": (200, 200, 403),
    "subject_teacher": (403, 403, 403),
    "parent": (403, 403, 200),
    "other_parent": (403, 403, 200),
    "b.parent": (403, 403, 200),
    "student_user": (403, 403, 403),
    "office": (200, 200, 403),
    "b.office": (200, 200, 403),
}


def _get(world, dotted):
    obj = world
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _objects(world):
    """For each kind, the own / other / other-school object: own is the head
    teacher's (class 1, 陈小雨's family), other the other head teacher's
    (class 2, 吴浩然's family), other school's by B's head teacher."""
    authors = (
        (world.head_teacher, world.class1, world.school),
        (world.other_head_teacher, world.class2, world.school),
        (world.b.head_teacher, world.b.class1, world.b.school),
    )
    objects = {"notice": [], "draft": [], "scheduled": []}
    for author, school_class, school in authors:
        kw = {"classes": [school_class], "school": school, "receipt_type": ReceiptType.CONFIRM}
        objects["notice"].append(make_notice(world, author, **kw))
        objects["draft"].append(make_notice(world, author, send_now=False, **kw))
        objects["scheduled"].append(make_notice(world, author, send_now=False, scheduled_for=at("2026-11-21 08:00"), **kw))
    return objects


@pytest.mark.parametrize("person", list(EXPECTED))
def test_notice_reach_by_url(world, person):
    """Every notices URL, for own / other / other-school objects. One test
    per person; every mismatch is listed at once."""
    assert set(EXPECTED[person]) == set(NOTICE_URLS), f"{person}: declare every URL"
    mismatches = []
    with time_machine.travel(NOV20, tick=False):
        objects = _objects(world)
        client = Client()
        if person != "anonymous":
            client.force_login(_get(world, person))
        for url_name, kind in NOTICE_URLS.items():
            for index, which in enumerate(("own", "other", "other_school")):
                url = reverse(url_name, args=[objects[kind][index].pk])
                response = client.post(url) if url_name in POSTS else client.get(url)
                expected = EXPECTED[person][url_name][index]
                if response.status_code != expected:
                    mismatches.append(f"{url_name} {which}: {response.status_code}, expected {expected}")
        for url_name, expected in zip(LISTS, EXPECTED_LISTS[person], strict=True):
            status = client.get(reverse(url_name)).status_code
            if status != expected:
                mismatches.append(f"{url_name}: {status}, expected {expected}")
    assert not mismatches, "\n".join(mismatches)


def test_every_notices_url_is_in_the_table():
    from home_school.views.notices import urls

    names = {f"home_school:{p.name}" for p in urls}
    assert names == set(NOTICE_URLS) | set(LISTS)


@time_machine.travel(NOV20, tick=False)
def test_guardian_of_a_child_who_left_cannot_open_the_notice_once_unlinked(world, parent_client):
    """Reach is the guardianship now: an unlinked guardian gets 404."""
    notice = make_notice(world)
    url = reverse("home_school:portal_notice", args=[notice.pk])
    assert parent_client.get(url).status_code == 200
    world.parent_guardian.guardianships.all().delete()
    assert parent_client.get(url).status_code == 404


@time_machine.travel(NOV20, tick=False)
def test_a_draft_is_not_on_the_portal(world, parent_client):
    draft = make_notice(world, send_now=False)
    assert parent_client.get(reverse("home_school:portal_notice", args=[draft.pk])).status_code == 404
