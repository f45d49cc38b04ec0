"""Reach of every parent-meeting and home-visit URL, for each person.

For URLs with an id: (own, other, other_school) objects, where "own" is
the object of 六(1)班 / 陈小雨 / 王老师 (the head teacher), "other" that of
六(2)班 / 吴浩然 / 李老师, and "other school" that of school B. 200 may
see, 302 done (a post redirects) or must log in (anonymous), 403 may not
use this page or action, 404 may not know the object exists.

The subject teacher (赵老师, maths in 六(1)) is also the home-visit
supervisor of 王老师 here, so the table shows a supervisor's reach: they
read 王老师's visit but may not record or cancel it.

Times: 2026-11-22, after the meetings were scheduled and before their
topic cut-off; attendance is not open yet, so a tap answers 200 with the
refusal inside the family's card (reach is what this table checks).
"""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from home_school.models import FollowUpAction, TopicProposal
from home_school.services import meetings as meeting_services
from home_school.services import visits as visit_services

from .meetings_support import BEFORE_CUTOFF, schedule

# URL name → the kind of object its id names
URLS = {
    "meeting_detail": "meeting",
    "meeting_agenda_add": "meeting",
    "meeting_attendance": "meeting",
    "meeting_attendance_mark": "meeting",
    "meeting_minutes": "meeting",
    "meeting_followup_add": "meeting",
    "meeting_proposal_decide": "proposal",
    "meeting_followup_done": "follow_up",
    "portal_meeting": "meeting",
    "portal_meeting_reply": "meeting",
    "portal_meeting_propose": "meeting",
    "visit_record": "visit",
    "visit_record POST": "visit",
    "visit_cancel": "visit",
    "visit_supervisor_remove": "supervision",
}
# What the POSTs send (valid for the object's own family or class).
POSTS = {
    "meeting_agenda_add": lambda w, m: {"title": "安全教育"},
    "meeting_attendance_mark": lambda w, m: {"student": w.children[m.pk].pk, "present": "true"},
    "meeting_minutes": lambda w, m: {"minutes": "纪要"},
    "meeting_followup_add": lambda w, m: {"text": "跟进", "owner": m.created_by_id, "due_on": "2026-12-05"},
    "meeting_proposal_decide": lambda w, p: {"decision": "accept"},
    "meeting_followup_done": lambda w, a: {"done": "on"},
    "portal_meeting_reply": lambda w, m: {"student": w.children[m.pk].pk, "answer": "attend"},
    "portal_meeting_propose": lambda w, m: {"student": w.children[m.pk].pk, "topic": "作业量"},
    "visit_record POST": lambda w, v: {"done_on": "2026-11-21", "method": "visit", "family_situation": "好", "discussed": "学习"},
    "visit_cancel": lambda w, v: {},
    "visit_supervisor_remove": lambda w, s: {},
}
HTMX = {"meeting_attendance_mark"}

# URLs without an id → the status for each person
PAGES = ["meeting_list", "meeting_create", "portal_meetings", "visit_list", "visit_plan", "visit_supervisors", "portal_visits"]

_STAFF_ONLY = {name: (403, 403, 403) for name in URLS if not name.startswith("portal_")}
_PORTAL_ONLY = {name: (403, 403, 403) for name in URLS if name.startswith("portal_")}


def _meeting_rows(own, other, school):
    """Rows for the meeting URLs: (own, other, other-school) for a reader
    (`read`), a manager (`manage`, posts), and attendance."""
    read, manage, attend = own, other, school
    return {
        "meeting_detail": read,
        "meeting_agenda_add": manage,
        "meeting_attendance": attend[0],
        "meeting_attendance_mark": attend[1],
        "meeting_minutes": manage,
        "meeting_followup_add": manage,
        "meeting_proposal_decide": manage,
        "meeting_followup_done": manage,
    }


# person → {url name → (own, other, other_school)}
EXPECTED = {
    "anonymous": {name: (302, 302, 302) for name in URLS},
    "head_teacher": {
        **_meeting_rows((200, 404, 404), (302, 404, 404), ((200, 404, 404), (200, 404, 404))),
        **_PORTAL_ONLY,
        "visit_record": (200, 404, 404),
        "visit_record POST": (302, 404, 404),
        "visit_cancel": (302, 404, 404),
        "visit_supervisor_remove": (403, 403, 403),
    },
    "other_head_teacher": {
        **_meeting_rows((404, 200, 404), (404, 302, 404), ((404, 200, 404), (404, 200, 404))),
        **_PORTAL_ONLY,
        "visit_record": (404, 200, 404),
        "visit_record POST": (404, 302, 404),
        "visit_cancel": (404, 302, 404),
        "visit_supervisor_remove": (403, 403, 403),
    },
    # Sees 六(1)'s meetings (teaches there) but does not run them; supervises 王老师's visits (read only).
    "subject_teacher": {
        **_meeting_rows((200, 404, 404), (403, 404, 404), ((403, 404, 404), (403, 404, 404))),
        **_PORTAL_ONLY,
        "visit_record": (200, 404, 404),
        "visit_record POST": (403, 404, 404),
        "visit_cancel": (403, 404, 404),
        "visit_supervisor_remove": (403, 403, 403),
    },
    "parent": {
        **_STAFF_ONLY,
        "portal_meeting": (200, 404, 404),
        "portal_meeting_reply": (302, 404, 404),
        "portal_meeting_propose": (302, 404, 404),
    },
    "other_parent": {
        **_STAFF_ONLY,
        "portal_meeting": (404, 200, 404),
        "portal_meeting_reply": (404, 302, 404),
        "portal_meeting_propose": (404, 302, 404),
    },
    "student_user": {**_STAFF_ONLY, **_PORTAL_ONLY},
    "office": {
        **_meeting_rows((200, 200, 404), (302, 302, 404), ((200, 200, 404), (200, 200, 404))),
        **_PORTAL_ONLY,
        "visit_record": (200, 200, 404),
        "visit_record POST": (403, 403, 404),
        "visit_cancel": (302, 302, 404),
        "visit_supervisor_remove": (302, 302, 404),
    },
    "b.office": {
        **_meeting_rows((404, 404, 200), (404, 404, 302), ((404, 404, 200), (404, 404, 200))),
        **_PORTAL_ONLY,
        "visit_record": (404, 404, 200),
        "visit_record POST": (404, 404, 403),
        "visit_cancel": (404, 404, 302),
        "visit_supervisor_remove": (404, 404, 302),
    },
}

PAGE_EXPECTED = {
    #                    meeting_list create portal_meetings visit_list visit_plan visit_supervisors portal_visits
    "anonymous": (302, 302, 302, 302, 302, 302, 302),
    "head_teacher": (200, 200, 403, 200, 200, 403, 403),
    "other_head_teacher": (200, 200, 403, 200, 200, 403, 403),
    "subject_teacher": (200, 403, 403, 200, 200, 403, 403),
    "parent": (403, 403, 200, 403, 403, 403, 200),
    "other_parent": (403, 403, 200, 403, 403, 403, 200),
    "student_user": (403, 403, 403, 403, 403, 403, 403),
    "office": (200, 200, 403, 200, 200, 200, 403),
    "b.office": (200, 200, 403, 200, 200, 200, 403),
}


def _get(world, dotted):
    obj = world
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _targets(world):
    """One meeting, topic, follow-up, visit and supervision per side."""
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        sides = {
            "own": (world.head_teacher, world.class1, world.child, world.parent, world.school, world.term),
            "other": (world.other_head_teacher, world.class2, world.other_child, world.other_parent, world.school, world.term),
            "other_school": (world.b.head_teacher, world.b.class1, world.b.child, world.b.parent, world.b.school, world.b.term),
        }
        targets = {"meeting": {}, "proposal": {}, "follow_up": {}, "visit": {}, "supervision": {}}
        world.children = {}
        for side, (teacher, school_class, child, parent, school, term) in sides.items():
            meeting = schedule(world, actor=teacher, school_class=school_class, school=school, term=term, title=f"家长会{side}")
            world.children[meeting.pk] = child
            targets["meeting"][side] = meeting
            with time_machine.travel("2026-11-21 10:00 +0800", tick=False):
                targets["proposal"][side] = meeting_services.topic_propose(actor=parent, meeting=meeting, student=child, topic="议题")
            targets["follow_up"][side] = FollowUpAction.objects.create(
                school=school, meeting=meeting, text="跟进", owner=teacher, due_on=datetime.date(2026, 12, 1), created_by=teacher
            )
            targets["visit"][side] = visit_services.visit_plan(
                actor=teacher, school=school, term=term, student=child, teacher=teacher, planned_on=datetime.date(2026, 11, 21),
                method="visit",
            )
        # Supervisions: 赵老师 supervises 王老师; 心理孙老师 supervises 李老师; in B, B's office supervises B's head teacher.
        for side, supervisor, teacher, school, term in (
            ("own", world.subject_teacher, world.head_teacher, world.school, world.term),
            ("other", world.counsellor, world.other_head_teacher, world.school, world.term),
            ("other_school", world.b.office, world.b.head_teacher, world.b.school, world.b.term),
        ):
            targets["supervision"][side] = visit_services.supervisor_assign(
                actor=world.office if school == world.school else world.b.office, school=school, term=term,
                supervisor=supervisor, teachers=[teacher],
            )[0]
    assert TopicProposal.objects.count() == 3
    return targets


@pytest.mark.parametrize("person", list(EXPECTED))
def test_meeting_and_visit_reach_by_url(world, person):
    """Every URL with an id, for own / other / other-school objects; every
    mismatch is listed at once."""
    assert set(EXPECTED[person]) == set(URLS), f"{person}: declare every URL"
    targets = _targets(world)
    mismatches = []
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        client = Client()
        if person != "anonymous":
            client.force_login(_get(world, person))
        for url_name, kind in URLS.items():
            for index, which in enumerate(("own", "other", "other_school")):
                target = targets[kind][which]
                name = url_name.removesuffix(" POST")
                url = reverse(f"home_school:{name}", args=[target.pk])
                if url_name in POSTS:
                    extra = {"HTTP_HX_REQUEST": "true"} if url_name in HTMX else {}
                    response = client.post(url, POSTS[url_name](world, target), **extra)
                else:
                    response = client.get(url)
                expected = EXPECTED[person][url_name][index]
                if response.status_code != expected:
                    mismatches.append(f"{url_name} {which}: {response.status_code}, expected {expected}")
                elif person == "anonymous" and "/login" not in response.url:
                    mismatches.append(f"{url_name} {which}: redirected to {response.url}, not to the login page")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("person", list(PAGE_EXPECTED))
def test_meeting_and_visit_pages_by_person(world, person):
    mismatches = []
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        client = Client()
        if person != "anonymous":
            client.force_login(_get(world, person))
        for name, expected in zip(PAGES, PAGE_EXPECTED[person], strict=True):
            response = client.get(reverse(f"home_school:{name}"))
            if response.status_code != expected:
                mismatches.append(f"{name}: {response.status_code}, expected {expected}")
    assert not mismatches, "\n".join(mismatches)


def test_every_meeting_and_visit_url_is_in_the_table():
    from home_school.views import meetings, visits

    with_id = {p.name for p in [*meetings.urls, *visits.urls] if "<" in str(p.pattern)}
    without = {p.name for p in [*meetings.urls, *visits.urls] if "<" not in str(p.pattern)}
    assert with_id == {name.removesuffix(" POST") for name in URLS}
    assert without == set(PAGES)
