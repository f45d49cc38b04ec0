"""Each role's reach, by every URL that takes an id.

The table says, for each person, what each page answers for each object:
200 (may see), 403 (may see the page type but not this action), 404 (may
not know it exists), 302 (must log in). A person of school A reaches
nothing of school B.
"""

import pytest
from django.test import Client
from django.urls import reverse

# URL name → which object of the world its id comes from
URLS = {
    "classes:class_detail": "class",
    "classes:class_roster_export": "class",
    "students:student_detail": "student",
    "home_school:portal_child": "student",
    "moral_ed:class_entry": "class",
    "moral_ed:points_record": "class",
    "moral_ed:batch_undo": "class",
    "moral_ed:student_points": "student",
    "moral_ed:event_void": "event",
    "moral_ed:review_queue": "class",
    "moral_ed:review_action": "class",
    "moral_ed:class_groups": "class",
    "moral_ed:class_bank": "class",
    "moral_ed:class_ranking": "class",
    "moral_ed:group_create": "class",
    "moral_ed:class_stars": "class",
    "moral_ed:reward_add": "class",
    "moral_ed:reward_switch": "class",
    "moral_ed:bank_redeem": "class",
    "moral_ed:redemption_void": "class",
    "moral_ed:group_edit": "group",
    "moral_ed:group_points": "group",
    "moral_ed:star_decide": "star",
    "notifications:open": "notification",
}
# POST-only URLs and what they are sent (a staged event is voided, an entry recorded).
POSTS = {
    "moral_ed:points_record": lambda world, target: {"students": [_student_of(world, target).pk], "item": _item(world, target).pk},
    "moral_ed:batch_undo": lambda world, target: {"batch": "00000000-0000-0000-0000-000000000000"},
    "moral_ed:event_void": lambda world, target: {"reason": "测试"},
    "moral_ed:review_action": lambda world, target: {"action": "release", "events": [_event_of(world, target).pk]},
    "moral_ed:group_points": lambda world, target: {"item": _item(world, target.school_class).pk},
    "moral_ed:reward_add": lambda world, target: {"name": "测试", "cost": "1"},
    "moral_ed:reward_switch": lambda world, target: {"reward": "0"},
    "moral_ed:bank_redeem": lambda world, target: {"student": "0", "reward": "0"},
    "moral_ed:redemption_void": lambda world, target: {"redemption": "0", "reason": "测试"},
    "moral_ed:star_decide": lambda world, target: {"decision": "confirm"},
}

CLASSES = {"own": "class1", "other": "class2", "other_school": "b.class1"}
STUDENTS = {"own": "child", "other": "other_child", "other_school": "b.child"}
EVENTS = {"own": "event_own", "other": "event_other", "other_school": "event_b"}
GROUPS = {"own": "group_own", "other": "group_other", "other_school": "group_b"}
STARS = {"own": "star_own", "other": "star_other", "other_school": "star_b"}
NOTES = {"own": "note_own", "other": "note_other", "other_school": "note_b"}
TARGETS = {"class": CLASSES, "student": STUDENTS, "event": EVENTS, "group": GROUPS, "star": STARS, "notification": NOTES}


def _rows(names, *triple):
    return {name: triple for name in names}


# Head teacher only: (head, other head, subject teacher, office, counsellor/principal, other school's office)
_HEAD_PAGES = ["moral_ed:review_queue", "moral_ed:group_create", "moral_ed:class_stars", "moral_ed:group_edit"]
_HEAD_POSTS = ["moral_ed:review_action", "moral_ed:group_points", "moral_ed:reward_add", "moral_ed:reward_switch",
               "moral_ed:bank_redeem", "moral_ed:redemption_void"]
_RECORDER_PAGES = ["moral_ed:class_groups", "moral_ed:class_bank"]
_MANAGEMENT = _HEAD_PAGES + _HEAD_POSTS + _RECORDER_PAGES + ["moral_ed:class_ranking", "moral_ed:star_decide"]


def _management(pages, posts, recorder, ranking, decide):
    return {**_rows(_HEAD_PAGES, *pages), **_rows(_HEAD_POSTS, *posts), **_rows(_RECORDER_PAGES, *recorder),
            "moral_ed:class_ranking": ranking, "moral_ed:star_decide": decide}


_NO = (403, 403, 403)
_WIDE = _management((403, 403, 404), (403, 403, 404), (403, 403, 404), (200, 200, 404), _NO)
MANAGEMENT = {
    "head_teacher": _management((200, 404, 404), (302, 404, 404), (200, 404, 404), (200, 404, 404), _NO),
    "other_head_teacher": _management((404, 200, 404), (404, 302, 404), (404, 200, 404), (404, 200, 404), _NO),
    "subject_teacher": _management((403, 404, 404), (403, 404, 404), (200, 404, 404), (200, 404, 404), _NO),
    "office": _management((403, 403, 404), (403, 403, 404), (200, 200, 404), (200, 200, 404), (302, 302, 404)),
    "counsellor": _WIDE,
    "principal": _WIDE,
    "b.office": _management((404, 404, 403), (404, 404, 403), (404, 404, 200), (404, 404, 200), (404, 404, 302)),
}


# Rows shared by every staff member of school A who teaches in class 1 only.
_CONDUCT_HEAD = {
    "moral_ed:class_entry": (200, 404, 404),
    "moral_ed:points_record": (200, 404, 404),
    "moral_ed:batch_undo": (200, 404, 404),
    "moral_ed:student_points": (200, 404, 404),
    "moral_ed:event_void": (302, 404, 404),
}
_NOT_STAFF = {name: (403, 403, 403) for name in _CONDUCT_HEAD}
_SCHOOL_WIDE_READ = {
    "moral_ed:class_entry": (403, 403, 404),
    "moral_ed:points_record": (403, 403, 404),
    "moral_ed:batch_undo": (403, 403, 404),
    "moral_ed:student_points": (200, 200, 404),
    "moral_ed:event_void": (403, 403, 404),
}

# person → {url name → (own, other, other_school)}
EXPECTED = {
    "anonymous": {name: (302, 302, 302) for name in URLS},
    "head_teacher": {
        "classes:class_detail": (200, 404, 404),
        "classes:class_roster_export": (200, 404, 404),
        "students:student_detail": (200, 404, 404),
        "home_school:portal_child": (403, 403, 403),
        **_CONDUCT_HEAD,
    },
    "other_head_teacher": {
        "classes:class_detail": (404, 200, 404),
        "classes:class_roster_export": (404, 200, 404),
        "students:student_detail": (404, 200, 404),
        "home_school:portal_child": (403, 403, 403),
        "moral_ed:class_entry": (404, 200, 404),
        "moral_ed:points_record": (404, 200, 404),
        "moral_ed:batch_undo": (404, 200, 404),
        "moral_ed:student_points": (404, 200, 404),
        "moral_ed:event_void": (404, 302, 404),
    },
    "subject_teacher": {
        "classes:class_detail": (200, 404, 404),
        "classes:class_roster_export": (403, 404, 404),
        "students:student_detail": (200, 404, 404),
        "home_school:portal_child": (403, 403, 403),
        **_CONDUCT_HEAD,
        # The subject teacher did not record the event and does not lead the class.
        "moral_ed:event_void": (403, 404, 404),
    },
    "parent": {
        "classes:class_detail": (403, 403, 403),
        "classes:class_roster_export": (403, 403, 403),
        "students:student_detail": (403, 403, 403),
        "home_school:portal_child": (200, 404, 404),
        **_NOT_STAFF,
    },
    "other_parent": {
        "classes:class_detail": (403, 403, 403),
        "classes:class_roster_export": (403, 403, 403),
        "students:student_detail": (403, 403, 403),
        "home_school:portal_child": (404, 200, 404),
        **_NOT_STAFF,
    },
    "student_user": {
        "classes:class_detail": (403, 403, 403),
        "classes:class_roster_export": (403, 403, 403),
        "students:student_detail": (403, 403, 403),
        "home_school:portal_child": (200, 404, 404),
        **_NOT_STAFF,
    },
    "office": {
        "classes:class_detail": (200, 200, 404),
        "classes:class_roster_export": (200, 200, 404),
        "students:student_detail": (200, 200, 404),
        "home_school:portal_child": (403, 403, 403),
        "moral_ed:class_entry": (200, 200, 404),
        "moral_ed:points_record": (200, 200, 404),
        "moral_ed:batch_undo": (200, 200, 404),
        "moral_ed:student_points": (200, 200, 404),
        "moral_ed:event_void": (302, 302, 404),
    },
    "counsellor": {
        "classes:class_detail": (200, 200, 404),
        "classes:class_roster_export": (403, 403, 404),
        "students:student_detail": (200, 200, 404),
        "home_school:portal_child": (403, 403, 403),
        **_SCHOOL_WIDE_READ,
    },
    "principal": {
        "classes:class_detail": (200, 200, 404),
        "classes:class_roster_export": (403, 403, 404),
        "students:student_detail": (200, 200, 404),
        "home_school:portal_child": (403, 403, 403),
        **_SCHOOL_WIDE_READ,
    },
    "b.office": {
        "classes:class_detail": (404, 404, 200),
        "classes:class_roster_export": (404, 404, 200),
        "students:student_detail": (404, 404, 200),
        "home_school:portal_child": (403, 403, 403),
        "moral_ed:class_entry": (404, 404, 200),
        "moral_ed:points_record": (404, 404, 200),
        "moral_ed:batch_undo": (404, 404, 200),
        "moral_ed:student_points": (404, 404, 200),
        "moral_ed:event_void": (404, 404, 302),
    },
    "b.parent": {
        "classes:class_detail": (403, 403, 403),
        "classes:class_roster_export": (403, 403, 403),
        "students:student_detail": (403, 403, 403),
        "home_school:portal_child": (404, 404, 200),
        **_NOT_STAFF,
    },
}


for _person, _table in EXPECTED.items():
    default = (302, 302, 302) if _person == "anonymous" else _NO
    _table.update(MANAGEMENT.get(_person, {name: default for name in _MANAGEMENT}))
    # A notification opens (and redirects to its link) only for its recipient.
    _table["notifications:open"] = {
        "anonymous": (302, 302, 302),
        "parent": (302, 404, 404),
        "other_parent": (404, 302, 404),
        "b.parent": (404, 404, 302),
    }.get(_person, (404, 404, 404))


def _get(world, dotted):
    obj = world
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj




def _student_of(world, school_class):
    return {world.class1.pk: world.child, world.class2.pk: world.other_child}.get(school_class.pk, world.b.child)


def _item(world, school_class):
    from moral_ed.models import ConductItem

    return ConductItem.objects.filter(school=school_class.school, points__gt=0).first()


def _notification_for(user, school):
    from notifications.models import Notification

    return Notification.objects.create(
        school=school, recipient=user, kind="tests.reach", title="测试", link="/portal/", dedupe_key=f"tests.reach:{user.pk}"
    )


def _event_of(world, school_class):
    return {world.class1.pk: world.event_own, world.class2.pk: world.event_other}.get(school_class.pk, world.event_b)


def _conduct_events(world):
    """One staged event per target student, recorded by their head teacher;
    a study group and a pending school-star nomination in each class."""
    import datetime

    from moral_ed.models import ConductItem, StarCategory
    from moral_ed.services.conduct import group_save, points_record, star_nominate
    from moral_ed.services.defaults import defaults_install

    for school in (world.school, world.b.school):
        defaults_install(school=school)
    for name, teacher, term, school_class, student in (
        ("event_own", world.head_teacher, world.term, world.class1, world.child),
        ("event_other", world.other_head_teacher, world.term, world.class2, world.other_child),
        ("event_b", world.b.head_teacher, world.b.term, world.b.class1, world.b.child),
    ):
        item = ConductItem.objects.filter(school=school_class.school, points__lt=0).first()
        events, *_ = points_record(actor=teacher, school=school_class.school, term=term, school_class=school_class,
                                   student_ids=[student.pk], item=item, occurred_on=datetime.date(2026, 11, 20))
        setattr(world, name, events[0])
        suffix = name.removeprefix("event_")
        guardian = {"own": world.parent, "other": world.other_parent, "b": world.b.parent}[suffix]
        setattr(world, f"note_{suffix}", _notification_for(guardian, school_class.school))
        setattr(world, f"group_{suffix}", group_save(actor=teacher, school_class=school_class, kind="study", name="一组",
                                                       student_ids=[student.pk]))
        star = StarCategory.objects.get(school=school_class.school, name="文明礼貌之星")
        setattr(world, f"star_{suffix}", star_nominate(actor=teacher, category=star, student=student,
                                                         school_class=school_class, reason="有礼貌", term=term))


@pytest.mark.parametrize("person", list(EXPECTED))
def test_reach_by_url(world, person):
    """Every URL that takes an id, for own / other / other-school objects.
    One test per person; every mismatch is listed at once."""
    import time_machine

    assert set(EXPECTED[person]) == set(URLS), f"{person}: declare every URL"
    mismatches = []
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        _conduct_events(world)
        client = Client()
        if person != "anonymous":
            client.force_login(_get(world, person))
        for url_name, kind in URLS.items():
            for index, which in enumerate(("own", "other", "other_school")):
                target = _get(world, TARGETS[kind][which])
                url = reverse(url_name, args=[target.pk])
                if url_name in POSTS:
                    response = client.post(url, POSTS[url_name](world, target), HTTP_HX_REQUEST="true")
                else:
                    response = client.get(url)
                expected = EXPECTED[person][url_name][index]
                if response.status_code != expected:
                    mismatches.append(f"{url_name} {which}: {response.status_code}, expected {expected}")
    assert not mismatches, "\n".join(mismatches)


def _declared_elsewhere() -> set[str]:
    """URL names that a part's own reach test declares (each runs its table)."""
    from tests.home_school import test_committee_reach, test_meetings_reach, test_notices_reach
    from tests.home_school.messaging_reach_rows import MESSAGING_URLS

    names = set(MESSAGING_URLS) | set(test_notices_reach.NOTICE_URLS)
    names |= {f"home_school:{name}" for name, _kind, _data in test_committee_reach.CASES}
    names |= {f"home_school:{name.split()[0]}" for name in test_meetings_reach.URLS}
    names |= _declared_by_moral_ed_parts()
    return names


def _declared_by_moral_ed_parts() -> set[str]:
    """Each office part's reach test (tests/moral_ed/test_*_reach.py) lists
    the URL names it covers in DECLARED_URLS."""
    import importlib
    import pathlib

    names = set()
    for path in sorted(pathlib.Path(__file__).parent.joinpath("moral_ed").glob("test_*_reach.py")):
        module = importlib.import_module(f"tests.moral_ed.{path.stem}")
        names |= set(module.DECLARED_URLS)
    return names


def test_every_url_with_an_id_is_in_the_table():
    """A new URL that takes an id must be added to this test or to its
    part's own reach test (tests/home_school/test_*_reach.py)."""
    from django.urls import get_resolver

    ours = set()

    def walk(patterns, namespace=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                if p.namespace and p.namespace != "admin":
                    walk(p.url_patterns, p.namespace)
            elif namespace and "<" in str(p.pattern):
                if "uidb64" not in str(p.pattern):
                    ours.add(f"{namespace}:{p.name}")

    walk(get_resolver().url_patterns)
    declared = set(URLS) | _declared_elsewhere()
    assert ours <= declared, f"declare these in a reach table: {sorted(ours - declared)}"


def test_student_search_lists_only_reachable_students(world, head_teacher_client, office_client):
    url = reverse("students:student_list")
    page = head_teacher_client.get(url).content.decode()
    assert "陈小雨" in page and "周子涵" in page
    assert "吴浩然" not in page and "B校学生" not in page
    page = office_client.get(url).content.decode()
    assert "吴浩然" in page and "B校学生" not in page
    assert "吴浩然" not in office_client.get(url, {"q": "陈"}).content.decode()


def test_class_list_shows_only_own_classes_to_a_head_teacher(world, head_teacher_client, office_client):
    url = reverse("classes:class_list")
    page = head_teacher_client.get(url).content.decode()
    assert "六(1)班" in page and "六(2)班" not in page
    page = office_client.get(url).content.decode()
    assert "六(1)班" in page and "六(2)班" in page


def test_guardian_contacts_are_masked_for_a_subject_teacher(world, client_for):
    url = reverse("students:student_detail", args=[world.child.pk])
    assert "13900000001" in client_for(world.head_teacher).get(url).content.decode()
    page = client_for(world.subject_teacher).get(url).content.decode()
    assert "13900000001" not in page and "139****0001" in page
