"""Who reaches which evaluation, by every evaluation URL.

Each person gets, for each URL with an id, what it answers for school A's
published monthly revision ("published"), school A's draft of another
month ("draft"), and school B's published revision ("other_school"): 200
(may see), 302 (done and redirected; anonymous: must log in), 403 (not
for this kind of person, or may see but not do this), 404 (may not know
it exists). tests/test_reach.py collects DECLARED_URLS.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from moral_ed.services import evaluations as services
from tests import factories as f

from .test_evaluation_support import NOV, OCT, class_event, veto

DECLARED_URLS = {
    "moral_ed:evaluation_revision",
    "moral_ed:evaluation_students",
    "moral_ed:evaluation_publish",
}
POSTS = {"moral_ed:evaluation_publish"}
LISTS = ["moral_ed:evaluation_list", "moral_ed:evaluation_run"]

_FORBIDDEN = (403, 403, 403)
_NONE = {name: _FORBIDDEN for name in DECLARED_URLS}


def _reader(seen, publish):
    return {"moral_ed:evaluation_revision": seen, "moral_ed:evaluation_students": seen, "moral_ed:evaluation_publish": publish}


# person → {url name → (published, draft, other school)}
EXPECTED = {
    "anonymous": {name: (302, 302, 302) for name in DECLARED_URLS},
    # Head teachers: published revisions of their school only; a draft is not theirs to know of.
    "head_teacher": _reader((200, 404, 404), (403, 404, 404)),
    "other_head_teacher": _reader((200, 404, 404), (403, 404, 404)),
    "subject_teacher": _NONE,
    "counsellor": _NONE,
    "office": _reader((200, 200, 404), (302, 302, 404)),
    "principal": _reader((200, 200, 404), (403, 403, 404)),
    "school_admin": _reader((200, 200, 404), (403, 403, 404)),
    "parent": _NONE,
    "other_parent": _NONE,
    "student_user": _NONE,
    "duty_student": _NONE,
    "b.office": _reader((404, 404, 200), (404, 404, 302)),
    "b.parent": _NONE,
}

# person → (evaluation_list, evaluation_run)
EXPECTED_LISTS = {
    "anonymous": (302, 302),
    "head_teacher": (200, 403),
    "other_head_teacher": (200, 403),
    "subject_teacher": (403, 403),
    "counsellor": (403, 403),
    "office": (200, 200),
    "principal": (200, 403),
    "school_admin": (200, 403),
    "parent": (403, 403),
    "other_parent": (403, 403),
    "student_user": (403, 403),
    "duty_student": (403, 403),
    "b.office": (200, 200),
    "b.parent": (403, 403),
}


def _get(world, dotted):
    obj = world
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _targets(world):
    """School A's November published, its October draft, school B's November published."""
    class_event(world, world.class1, -1)
    veto(world, world.class2, "打架")
    class_event(world, world.b.class1, -2)
    published = services.evaluation_publish(revision=services.evaluation_run(school=world.school, kind="monthly", period_start=NOV))
    draft = services.evaluation_run(school=world.school, kind="monthly", period_start=OCT)
    other = services.evaluation_publish(revision=services.evaluation_run(school=world.b.school, kind="monthly", period_start=NOV))
    return (published, draft, other)


def _duty_student(world):
    user = f.UserFactory(username="duty", full_name="值周生")
    f.MembershipFactory(user=user, school=world.school, role=Role.DUTY_STUDENT)
    return user


@pytest.mark.parametrize("person", list(EXPECTED))
def test_evaluation_reach_by_url(world, person):
    assert set(EXPECTED[person]) == DECLARED_URLS, f"{person}: declare every URL"
    world.duty_student = _duty_student(world)
    targets = _targets(world)
    client = Client()
    if person != "anonymous":
        client.force_login(_get(world, person))
    mismatches = []
    # GETs first, then the publish POSTs (the office's publishes the draft).
    for url_name in sorted(DECLARED_URLS, key=lambda n: n in POSTS):
        for index, (which, revision) in enumerate(zip(("published", "draft", "other_school"), targets, strict=True)):
            url = reverse(url_name, args=[revision.pk])
            if url_name in POSTS:
                response = client.post(url, {"digest": revision.digest})
            else:
                response = client.get(url)
            expected = EXPECTED[person][url_name][index]
            if response.status_code != expected:
                mismatches.append(f"{url_name} {which}: {response.status_code}, expected {expected}")
    for url_name, expected in zip(LISTS, EXPECTED_LISTS[person], strict=True):
        status = client.get(reverse(url_name)).status_code
        if status != expected:
            mismatches.append(f"{url_name}: {status}, expected {expected}")
    assert not mismatches, "\n".join(mismatches)


def test_a_head_teacher_reads_a_superseded_revision_they_were_told_about(world, client_for):
    first, _draft, _other = _targets(world)
    class_event(world, world.class1, -3, day=datetime.date(2026, 11, 12))
    services.evaluation_publish(revision=services.evaluation_run(school=world.school, kind="monthly", period_start=NOV))
    first.refresh_from_db()
    assert first.status == "superseded"
    response = client_for(world.head_teacher).get(reverse("moral_ed:evaluation_revision", args=[first.pk]))
    assert response.status_code == 200
