"""Who reaches what, by every awards and practice URL.

For each person and URL that takes an id: what it answers for the object
of their own class/family, of another class/family in the same school,
and of another school: 200 (may see), 302 (done and redirected; for the
anonymous: must log in), 403 (not for this kind of person, or may see but
not do this), 404 (may not know it exists). tests/test_reach.py collects
DECLARED_URLS from here.

For a school-wide object (an evaluation revision) "other" is a draft of
the same school, which nobody may export.
"""

import io

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from moral_ed.models import AwardKind, Evaluation, EvaluationRevision
from moral_ed.services import awards as services

NOV20 = "2026-11-20 10:00 +0800"

# URL name → which object its id comes from. Order matters for posts that
# change state: evidence is fetched before records are voided, an award is
# decided before it is withdrawn.
URLS = {
    "moral_ed:award_class": "class",
    "moral_ed:award_propose": "class",
    "moral_ed:award_export_class_totals": "class",
    "moral_ed:award_decide": "award",
    "moral_ed:award_withdraw": "award",
    "moral_ed:award_export_rankings": "revision",
    "moral_ed:practice_class": "class",
    "moral_ed:practice_add": "student",
    "moral_ed:practice_evidence": "evidence",
    "moral_ed:practice_void": "record",
    "moral_ed:practice_portal": "student",
}
DECLARED_URLS = set(URLS)
POSTS = {
    "moral_ed:award_propose": {"kind": "outstanding_class", "reason": "班风优良"},
    "moral_ed:award_decide": {"decision": "approve"},
    "moral_ed:award_withdraw": {},
    "moral_ed:practice_void": {"reason": "录错"},
}
# URLs without an id: (GET or POST data) → status per person.
LISTS = {
    "moral_ed:award_home": None,
    "moral_ed:award_queue": None,
    "moral_ed:award_list": None,
    "moral_ed:award_export": None,
    "moral_ed:practice_home": None,
    "moral_ed:award_propose_head": {"school_class": "0", "reason": "x"},
}

_F = (403, 403, 403)
_N = (404, 404, 404)


def _staff(own_class_page, propose, decide, withdraw, rankings, practice_page, add, evidence, void):
    return {
        "moral_ed:award_class": own_class_page,
        "moral_ed:award_propose": propose,
        "moral_ed:award_export_class_totals": own_class_page,
        "moral_ed:award_decide": decide,
        "moral_ed:award_withdraw": withdraw,
        "moral_ed:award_export_rankings": rankings,
        "moral_ed:practice_class": practice_page,
        "moral_ed:practice_add": add,
        "moral_ed:practice_evidence": evidence,
        "moral_ed:practice_void": void,
        "moral_ed:practice_portal": _F,
    }


def _family(portal):
    return {**{name: _F for name in URLS}, "moral_ed:practice_evidence": portal, "moral_ed:practice_portal": portal}


_SCHOOL_READER = _staff(
    own_class_page=(200, 200, 404), propose=(403, 403, 404), decide=_F, withdraw=_N, rankings=(200, 404, 404),
    practice_page=(200, 200, 404), add=(403, 403, 404), evidence=(200, 200, 404), void=(403, 403, 404),
)

# person → {url name → (own, other, other school)}
EXPECTED = {
    "anonymous": {name: (302, 302, 302) for name in URLS},
    "head_teacher": _staff(
        own_class_page=(200, 404, 404), propose=(302, 404, 404), decide=_F, withdraw=(302, 404, 404), rankings=_F,
        practice_page=(200, 404, 404), add=(200, 404, 404), evidence=(200, 404, 404), void=(302, 404, 404),
    ),
    "other_head_teacher": _staff(
        own_class_page=(404, 200, 404), propose=(404, 302, 404), decide=_F, withdraw=(404, 302, 404), rankings=_F,
        practice_page=(404, 200, 404), add=(404, 200, 404), evidence=(404, 200, 404), void=(404, 302, 404),
    ),
    "subject_teacher": _staff(
        own_class_page=(403, 404, 404), propose=(403, 404, 404), decide=_F, withdraw=_N, rankings=_F,
        practice_page=(403, 404, 404), add=(403, 404, 404), evidence=(403, 404, 404), void=(403, 404, 404),
    ),
    "office": _staff(
        own_class_page=(200, 200, 404), propose=(403, 403, 404), decide=(302, 302, 404), withdraw=(403, 403, 404),
        rankings=(200, 404, 404), practice_page=(200, 200, 404), add=(200, 200, 404), evidence=(200, 200, 404),
        void=(302, 302, 404),
    ),
    "principal": _SCHOOL_READER,
    "counsellor": _staff(
        own_class_page=(403, 403, 404), propose=(403, 403, 404), decide=_F, withdraw=_N, rankings=_F,
        practice_page=(403, 403, 404), add=(403, 403, 404), evidence=(403, 403, 404), void=(403, 403, 404),
    ),
    "b.office": _staff(
        own_class_page=(404, 404, 200), propose=(404, 404, 403), decide=(404, 404, 302), withdraw=(404, 404, 403),
        rankings=(404, 404, 200), practice_page=(404, 404, 200), add=(404, 404, 200), evidence=(404, 404, 200),
        void=(404, 404, 302),
    ),
    "parent": _family((200, 404, 404)),
    "other_parent": _family((404, 200, 404)),
    "student_user": _family((200, 404, 404)),
    "b.parent": _family((404, 404, 200)),
}

# person → status of each URL in LISTS, in order
EXPECTED_LISTS = {
    "anonymous": (302, 302, 302, 302, 302, 302),
    "head_teacher": (302, 403, 200, 403, 302, 403),
    "other_head_teacher": (302, 403, 200, 403, 302, 403),
    "subject_teacher": (403, 403, 403, 403, 403, 403),
    "office": (302, 200, 200, 200, 200, 302),
    "principal": (302, 403, 200, 200, 200, 403),
    "counsellor": (403, 403, 403, 403, 403, 403),
    "b.office": (302, 200, 200, 200, 200, 302),
    "parent": (403, 403, 403, 403, 403, 403),
    "other_parent": (403, 403, 403, 403, 403, 403),
    "student_user": (403, 403, 403, 403, 403, 403),
    "b.parent": (403, 403, 403, 403, 403, 403),
}


def _get(world, dotted):
    obj = world
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _png():
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 120, 0)).save(out, "PNG")
    return out.getvalue()


def _revision(school, status, kind="monthly"):
    import datetime

    evaluation = Evaluation.objects.create(
        school=school, kind=kind, period_start=datetime.date(2026, 10, 1), period_end=datetime.date(2026, 10, 31)
    )
    return EvaluationRevision.objects.create(
        school=school, evaluation=evaluation, number=1, status=status, digest="0" * 64,
        published_at=timezone.now() if status == "published" else None,
    )


def _objects(world):
    """own: class 1 (陈小雨, her head teacher); other: class 2 (吴浩然);
    other school: school B's class, student and head teacher."""
    import datetime

    rows = (
        (world.head_teacher, world.school, world.term, world.year, world.class1, world.child),
        (world.other_head_teacher, world.school, world.term, world.year, world.class2, world.other_child),
        (world.b.head_teacher, world.b.school, world.b.term, world.b.term.school_year, world.b.class1, world.b.child),
    )
    objects = {"class": [], "student": [], "award": [], "record": [], "evidence": []}
    for teacher, school, term, year, school_class, student in rows:
        objects["class"].append(school_class)
        objects["student"].append(student)
        objects["award"].append(
            services.award_propose(
                actor=teacher, term=term, kind=AwardKind.MERIT_STUDENT, school_class=school_class, student=student, reason="优秀"
            )
        )
        record = services.practice_record(
            actor=teacher, school=school, school_year=year, student=student, kind="social_practice", title="社区清洁",
            occurred_on=datetime.date(2026, 10, 12), files=[("a.png", _png())],
        )
        objects["record"].append(record)
        objects["evidence"].append(record.evidence.get())
    objects["revision"] = [_revision(world.school, "published"), _revision(world.school, "draft", "weekly"), _revision(world.b.school, "published")]
    return objects


@pytest.mark.parametrize("person", list(EXPECTED))
def test_awards_reach_by_url(world, person):
    """Every URL, for own / other / other-school objects; one test per
    person, every mismatch listed at once."""
    assert set(EXPECTED[person]) == set(URLS), f"{person}: declare every URL"
    mismatches = []
    with time_machine.travel(NOV20, tick=False):
        objects = _objects(world)
        client = Client()
        if person != "anonymous":
            client.force_login(_get(world, person))
        for url_name, kind in URLS.items():
            for index, which in enumerate(("own", "other", "other_school")):
                url = reverse(url_name, args=[objects[kind][index].pk])
                if url_name in POSTS:
                    response = client.post(url, POSTS[url_name])
                else:
                    response = client.get(url)
                expected = EXPECTED[person][url_name][index]
                if response.status_code != expected:
                    mismatches.append(f"{url_name} {which}: {response.status_code}, expected {expected}")
        for (url_name, data), expected in zip(LISTS.items(), EXPECTED_LISTS[person], strict=True):
            url = reverse(url_name)
            status = (client.post(url, data) if data is not None else client.get(url)).status_code
            if status != expected:
                mismatches.append(f"{url_name}: {status}, expected {expected}")
    assert not mismatches, "\n".join(mismatches)


def test_every_awards_url_is_in_a_table():
    from moral_ed.views.awards import urls

    names = {f"moral_ed:{p.name}" for p in urls}
    assert names == DECLARED_URLS | set(LISTS)
    assert all("<" in str(p.pattern) for p in urls if f"moral_ed:{p.name}" in DECLARED_URLS)
