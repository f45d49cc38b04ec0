"""Reach of every committee / volunteering / participation / suggestion /
parent-school URL that takes an id, for each role, on the object of the
person's own class (own), of the other class of the same school (other)
and of school B (other_school).

200 may see, 302 done (a post redirects back) or must log in (anonymous),
403 may not use this page, 404 may not know it exists. `None`: no such
object (a school has one school committee, so there is no "other").
"""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from .committee_support import NOV20, hs

# Object kind → the names in the hs namespace (own, other, other_school).
TARGETS = {
    "class_committee": ("c1", "c2", "cb"),
    "school_committee": ("cs", None, "cbs"),
    "member": ("m_c1", "m_c2", "m_cb"),
    "committee_meeting": ("meet_c1", "meet_c2", "meet_cb"),
    "activity": ("act_c1", "act_c2", "act_cb"),
    "school_activity": ("act_s", None, "act_bs"),
    "class": ("world.class1", "world.class2", "world.b.class1"),
    "participation_event": ("ev_c1", "ev_c2", "ev_cb"),
    "suggestion": ("s_c1", "s_c2", "s_cb"),
    "office_suggestion": ("s_off", None, "s_boff"),
    "article": ("art", "art_draft", "art_b"),
}

# (url name, object kind, POST data or None for GET)
CASES = [
    ("committee_detail", "class_committee", None),
    ("committee_detail", "school_committee", None),
    ("committee_member_add", "class_committee", {"guardian": "0", "role": "member", "start_date": "2026-11-20"}),
    ("committee_member_add", "school_committee", {"mobile": "13900000002", "role": "member", "start_date": "2026-11-20"}),
    ("committee_meeting_new", "class_committee", None),
    ("committee_meeting_new", "school_committee", None),
    ("committee_member_end", "member", {"end_date": "2026-11-20"}),
    ("committee_meeting_detail", "committee_meeting", None),
    ("committee_meeting_edit", "committee_meeting", None),
    ("volunteer_detail", "activity", None),
    ("volunteer_detail", "school_activity", None),
    ("volunteer_done", "activity", {"signups": "0"}),
    ("volunteer_done", "school_activity", {"signups": "0"}),
    ("volunteer_cancel", "activity", {}),
    ("volunteer_cancel", "school_activity", {}),
    ("participation_class", "class", None),
    ("participation_refresh", "class", {"month": "2026-11"}),
    ("participation_void", "participation_event", {"reason": "测试"}),
    ("suggestion_detail", "suggestion", None),
    ("suggestion_detail", "office_suggestion", None),
    ("suggestion_reply", "suggestion", {"body": "谢谢您的建议"}),
    ("suggestion_reply", "office_suggestion", {"body": "谢谢您的建议"}),
    ("article_detail", "article", None),
    ("article_edit", "article", None),
    ("portal_committee_detail", "class_committee", None),
    ("portal_committee_detail", "school_committee", None),
    ("portal_volunteer_detail", "activity", None),
    ("portal_volunteer_detail", "school_activity", None),
    ("portal_volunteer_signup", "activity", {}),
    ("portal_volunteer_signup", "school_activity", {}),
    ("portal_volunteer_withdraw", "activity", {}),
    ("portal_suggestion_detail", "suggestion", None),
    ("portal_suggestion_detail", "office_suggestion", None),
    ("portal_article_detail", "article", None),
]
PORTAL = [key for key in CASES if key[0].startswith("portal_")]
STAFF = [key for key in CASES if not key[0].startswith("portal_")]


def _key(case):
    return f"{case[0]}@{case[1]}"


def _all(triple, cases):
    return {_key(c): triple for c in cases}


_NO = (403, 403, 403)
_NO_SCHOOL = (403, None, 403)


def _staff_person(rows):
    """A staff member: the given staff rows, and 403 on every portal page."""
    table = {_key(c): (_NO_SCHOOL if TARGETS[c[1]][1] is None else _NO) for c in PORTAL}
    table.update(rows)
    return table


def _portal_person(rows):
    table = {_key(c): (_NO_SCHOOL if TARGETS[c[1]][1] is None else _NO) for c in STAFF}
    table.update(rows)
    return table


def _head(own, other):
    """A head teacher who leads `own` (0: 六(1), 1: 六(2)): the figures for
    the class they lead in position `own`, 404 elsewhere."""

    def row(value):
        triple = [404, 404, 404]
        triple[own] = value
        return tuple(triple)

    return _staff_person({
        "committee_detail@class_committee": row(200),
        "committee_detail@school_committee": (200, None, 404),
        "committee_member_add@class_committee": row(302),
        "committee_member_add@school_committee": (403, None, 404),
        "committee_meeting_new@class_committee": row(200),
        "committee_meeting_new@school_committee": (403, None, 404),
        "committee_member_end@member": row(302),
        "committee_meeting_detail@committee_meeting": row(200),
        "committee_meeting_edit@committee_meeting": row(200),
        "volunteer_detail@activity": row(200),
        "volunteer_detail@school_activity": (200, None, 404),
        "volunteer_done@activity": row(302),
        "volunteer_done@school_activity": (403, None, 404),
        "volunteer_cancel@activity": row(302),
        "volunteer_cancel@school_activity": (403, None, 404),
        "participation_class@class": row(200),
        "participation_refresh@class": row(302),
        "participation_void@participation_event": row(302),
        "suggestion_detail@suggestion": row(200),
        "suggestion_detail@office_suggestion": (404, None, 404),
        "suggestion_reply@suggestion": row(302),
        "suggestion_reply@office_suggestion": (404, None, 404),
        "article_detail@article": (200, 200, 404),
        "article_edit@article": (403, 403, 404),
    })


def _office(mine):
    """The office of school A (mine=True) or of school B (mine=False)."""

    def row(value, other=True):
        a = (value, value if other else None, 404)
        b = (404, 404 if other else None, value)
        return a if mine else b

    return _staff_person({
        "committee_detail@class_committee": row(200),
        "committee_detail@school_committee": row(200, other=False),
        "committee_member_add@class_committee": row(302),
        "committee_member_add@school_committee": row(302, other=False),
        "committee_meeting_new@class_committee": row(200),
        "committee_meeting_new@school_committee": row(200, other=False),
        "committee_member_end@member": row(302),
        "committee_meeting_detail@committee_meeting": row(200),
        "committee_meeting_edit@committee_meeting": row(200),
        "volunteer_detail@activity": row(200),
        "volunteer_detail@school_activity": row(200, other=False),
        "volunteer_done@activity": row(302),
        "volunteer_done@school_activity": row(302, other=False),
        "volunteer_cancel@activity": row(302),
        "volunteer_cancel@school_activity": row(302, other=False),
        "participation_class@class": row(200),
        "participation_refresh@class": row(302),
        "participation_void@participation_event": row(302),
        "suggestion_detail@suggestion": row(200),
        "suggestion_detail@office_suggestion": row(200, other=False),
        # The office reads suggestions to a head teacher but does not answer them.
        "suggestion_reply@suggestion": row(403),
        "suggestion_reply@office_suggestion": row(302, other=False),
        "article_detail@article": row(200),
        "article_edit@article": row(200),
    })


def _guardian(own):
    """A guardian of a child in 六(1) (own=0) or 六(2) (own=1) of school A."""

    def row(value):
        triple = [404, 404, 404]
        triple[own] = value
        return tuple(triple)

    return _portal_person({
        "portal_committee_detail@class_committee": row(200),
        "portal_committee_detail@school_committee": (200, None, 404),
        "portal_volunteer_detail@activity": row(200),
        "portal_volunteer_detail@school_activity": (200, None, 404),
        "portal_volunteer_signup@activity": row(302),
        "portal_volunteer_signup@school_activity": (302, None, 404),
        "portal_volunteer_withdraw@activity": row(302),
        "portal_suggestion_detail@suggestion": row(200),
        # The suggestion to the office was written by 陈妈妈 (the parent).
        "portal_suggestion_detail@office_suggestion": (200 if own == 0 else 404, None, 404),
        # A draft is not published: 404 for every guardian.
        "portal_article_detail@article": (200, 404, 404),
    })


EXPECTED = {
    "anonymous": {_key(c): tuple(None if t is None else 302 for t in TARGETS[c[1]]) for c in CASES},
    "head_teacher": _head(0, 1),
    "other_head_teacher": _head(1, 0),
    "subject_teacher": _staff_person({
        **_all((404, 404, 404), STAFF),
        "committee_detail@school_committee": (200, None, 404),
        "committee_member_add@school_committee": (403, None, 404),
        "committee_meeting_new@school_committee": (403, None, 404),
        "volunteer_detail@school_activity": (200, None, 404),
        "volunteer_done@school_activity": (403, None, 404),
        "volunteer_cancel@school_activity": (403, None, 404),
        "suggestion_detail@office_suggestion": (404, None, 404),
        "suggestion_reply@office_suggestion": (404, None, 404),
        "article_detail@article": (200, 200, 404),
        "article_edit@article": (403, 403, 404),
    }),
    "parent": _guardian(0),
    "other_parent": _guardian(1),
    "student_user": _portal_person({_key(c): (_NO_SCHOOL if TARGETS[c[1]][1] is None else _NO) for c in PORTAL}),
    "office": _office(True),
    "b.office": _office(False),
    "b.parent": _portal_person({
        "portal_committee_detail@class_committee": (404, 404, 200),
        "portal_committee_detail@school_committee": (404, None, 200),
        "portal_volunteer_detail@activity": (404, 404, 200),
        "portal_volunteer_detail@school_activity": (404, None, 200),
        "portal_volunteer_signup@activity": (404, 404, 302),
        "portal_volunteer_signup@school_activity": (404, None, 302),
        "portal_volunteer_withdraw@activity": (404, 404, 302),
        "portal_suggestion_detail@suggestion": (404, 404, 200),
        "portal_suggestion_detail@office_suggestion": (404, None, 200),
        "portal_article_detail@article": (404, 404, 200),
    }),
}


# A school has no "other" school committee, school-wide activity or office box.
for _table in EXPECTED.values():
    for _case in CASES:
        if TARGETS[_case[1]][1] is None:
            _own, _other, _xs = _table[_key(_case)]
            _table[_key(_case)] = (_own, None, _xs)


def _get(root, dotted):
    obj = root
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("person", list(EXPECTED))
def test_reach_by_url(world, person):
    """Every id-taking URL × own / other / other-school object, for one
    person; all mismatches are listed at once."""
    table = EXPECTED[person]
    assert set(table) == {_key(c) for c in CASES}, f"{person}: declare every URL"
    mismatches = []
    with time_machine.travel(NOV20, tick=False):
        ns = hs(world)
        ns.world = world
        client = Client()
        if person != "anonymous":
            client.force_login(_get(world, person))
        for case in CASES:
            url_name, kind, data = case
            for index, which in enumerate(("own", "other", "other_school")):
                name = TARGETS[kind][index]
                expected = table[_key(case)][index]
                if name is None:
                    assert expected is None, f"{_key(case)} {which}: no such object"
                    continue
                target = _get(ns, name)
                url = reverse(f"home_school:{url_name}", args=[target.pk])
                response = client.get(url) if data is None else client.post(url, data)
                if response.status_code != expected:
                    mismatches.append(f"{_key(case)} {which}: {response.status_code}, expected {expected}")
    assert not mismatches, "\n".join(mismatches)


# Pages without an id: the lists, the forms and the code page.
PAGES = [
    "committee_list", "volunteer_list", "volunteer_new", "participation_home", "suggestion_list", "article_list", "article_new",
    "portal_committee_list", "portal_volunteer_list", "portal_suggestion_list", "portal_suggestion_new", "portal_suggestion_code",
    "portal_article_list",
]
_STAFF_PAGES = {p: 200 for p in PAGES if not p.startswith("portal_")}
_PORTAL_PAGES = {p: 200 for p in PAGES if p.startswith("portal_")}
PAGE_EXPECTED = {
    "head_teacher": {**_STAFF_PAGES, "article_new": 403, **dict.fromkeys(_PORTAL_PAGES, 403)},
    # A subject teacher leads no class: no activity to post, an empty recognition list.
    "subject_teacher": {**_STAFF_PAGES, "article_new": 403, "volunteer_new": 403, **dict.fromkeys(_PORTAL_PAGES, 403)},
    "office": {**_STAFF_PAGES, **dict.fromkeys(_PORTAL_PAGES, 403)},
    "parent": {**dict.fromkeys(_STAFF_PAGES, 403), **_PORTAL_PAGES},
    "student_user": dict.fromkeys(PAGES, 403),
    "anonymous": dict.fromkeys(PAGES, 302),
}


@pytest.mark.parametrize("person", list(PAGE_EXPECTED))
def test_pages_without_an_id(world, person):
    mismatches = []
    with time_machine.travel(NOV20, tick=False):
        hs(world)
        client = Client()
        if person != "anonymous":
            client.force_login(_get(world, person))
        for name in PAGES:
            response = client.get(reverse(f"home_school:{name}"))
            # A head teacher with one class goes straight to its recognition list.
            status = 200 if response.status_code == 302 and name == "participation_home" and person == "head_teacher" else response.status_code
            if status != PAGE_EXPECTED[person][name]:
                mismatches.append(f"{name}: {response.status_code}, expected {PAGE_EXPECTED[person][name]}")
    assert not mismatches, "\n".join(mismatches)


def test_set_up_posts_are_for_the_class_head_teacher_and_the_office(world, client_for):
    with time_machine.travel(NOV20, tick=False):
        hs(world)
        url = reverse("home_school:committee_set_up")
        # Committees exist already: setting up again opens the same one.
        assert client_for(world.head_teacher).post(url, {"school_class": world.class1.pk}).status_code == 302
        assert client_for(world.head_teacher).post(url, {"school_class": world.class2.pk}).status_code == 403
        assert client_for(world.head_teacher).post(url, {}).status_code == 403
        assert client_for(world.head_teacher).post(url, {"school_class": world.b.class1.pk}).status_code == 404
        assert client_for(world.office).post(url, {"school_class": world.class2.pk}).status_code == 302
        assert client_for(world.parent).post(url, {"school_class": world.class1.pk}).status_code == 403
        assert client_for(world.subject_teacher).post(url, {"school_class": world.class1.pk}).status_code == 403
