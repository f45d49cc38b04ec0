"""Walks the permission table of tests/permissions/table.py on the world
of tests/permissions/world.py.

One test per role (the teachers of school A in test_table_teachers.py):
the world is built once (with side 3, school B), the
role's client opens every reach column's own / other / other-school
object (each request rolled back, so no cell depends on another), then
walks every URL of the table, read and write, in order. Every mismatch
is listed at once. A URL name missing from the table fails
test_every_url_name_is_in_the_table; one that takes an id and has no
reach column fails test_every_url_with_an_id_has_a_reach_column.

BANWU_MATRIX_DUMP=/tmp/m writes each role's answers (status and seconds
per URL and method) to /tmp/m.<role>: a start for a new row.
"""

import logging
import os
import time

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse

from .table import ALL_ROLES, LOGIN, ROLES, URLS
from .world import NOW, SIDE_OF, build, people, reach_people, target

SIDES = ((1, "own"), (2, "other"), (3, "other school"))


def url_names() -> dict[str, list[str]]:
    """Every named URL outside the admin: name → its keyword arguments."""
    names = {}

    def walk(patterns, namespace=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                if p.namespace != "admin":
                    walk(p.url_patterns, p.namespace or namespace)
            elif p.name:
                names[f"{namespace}:{p.name}" if namespace else p.name] = list(p.pattern.converters)

    walk(get_resolver().url_patterns)
    return names


def _url(name, kwarg_names, spec, objects, role):
    if not kwarg_names:
        return reverse(name)
    if spec["obj"] == "reset":
        return reverse(name, kwargs={"uidb64": "MQ", "token": "abc-def"})
    (kwarg,) = kwarg_names
    return reverse(name, kwargs={kwarg: target(objects, spec["obj"], role).pk})


def _body(body, side, world):
    return body(side, world) if callable(body) else body


def _check(response, expected, login_url):
    """None if the answer is the declared one, else what was answered."""
    status = response.status_code
    location = response.get("Location", "")
    if expected == LOGIN:
        if status == 302 and location.startswith(login_url):
            return None
        return f"{status} {location}".strip()
    if status != expected:
        return f"{status} {location}".strip()
    if status == 302 and location.startswith(login_url):
        return f"302 to the login page {location}"
    return None


def test_every_url_name_is_in_the_table():
    """A new URL must be declared in tests/permissions/table.py."""
    missing = sorted(set(url_names()) - set(URLS))
    assert not missing, "declare these URL names in tests/permissions/table.py:\n  " + "\n  ".join(missing)
    stale = sorted(set(URLS) - set(url_names()))
    assert not stale, f"the table declares URL names that do not exist: {stale}"


def test_every_row_declares_every_role():
    incomplete = [
        f"{name} {method}: {sorted(set(ROLES) - set(spec[method]))}"
        for name, spec in URLS.items()
        for method in ("get", "post")
        if not set(ROLES) <= set(spec[method])
    ]
    assert not incomplete, "\n".join(incomplete)
    unknown = {name for name, spec in URLS.items() for method in ("get", "post") if set(spec[method]) - set(ALL_ROLES)}
    assert not unknown, f"roles the world does not make: {sorted(unknown)}"


def test_every_url_with_an_id_has_a_reach_column():
    """A URL that takes an id says what it answers on the own, another
    class's or family's, and another school's object (table.reach)."""
    missing = sorted(
        name
        for name, kwargs in url_names().items()
        if kwargs and URLS.get(name, {}).get("obj") != "reset" and not URLS.get(name, {}).get("reach")
    )
    assert not missing, f"give these rows a reach column in tests/permissions/table.py: {missing}"


def test_every_reach_column_is_well_formed():
    wrong = []
    for name, spec in URLS.items():
        for column in spec["reach"]:
            answers = column["answers"]
            if "anonymous" not in answers:
                wrong.append(f"{name} {column['kind']}: anonymous is not declared")
            wrong += [f"{name} {column['kind']}: unknown role {role}" for role in set(answers) - set(ALL_ROLES)]
            wrong += [f"{name} {column['kind']}: {role} needs three answers" for role, t in answers.items() if len(t) != 3]
    assert not wrong, "\n".join(wrong)


@pytest.fixture
def quiet_refusals(caplog):
    """403 and 404 are the answers this test expects by the hundred: do not
    log each with its traceback (django.request warns for them)."""
    caplog.set_level(logging.ERROR, logger="django.request")


def _reach_mismatches(client, role, objects, world, names, login_url):
    """The reach columns for one role: each request on the world as built,
    rolled back after."""
    mismatches = []
    for name, spec in URLS.items():
        for column in spec["reach"]:
            answers = column["answers"].get(role)
            if answers is None:
                continue
            (kwarg,) = names[name]
            for (number, which), expected in zip(SIDES, answers, strict=True):
                obj = getattr(objects.side[number], column["kind"])
                if expected is None:
                    if obj is not None:
                        mismatches.append(f"{name} {column['kind']} {which}: the object exists, declare its answer")
                    continue
                url = reverse(name, kwargs={kwarg: obj.pk})
                with transaction.atomic():
                    if column["post"] is None:
                        response = client.get(url)
                    else:
                        headers = {"HX-Request": "true"} if column["htmx"] else {}
                        response = client.post(url, _body(column["post"], objects.side[number], world), headers=headers)
                    transaction.set_rollback(True)
                wrong = _check(response, expected, login_url)
                if wrong:
                    method = "GET" if column["post"] is None else "POST"
                    mismatches.append(f"{name} {method} {column['kind']} {which}: {wrong}, expected {expected}")
    return mismatches


# Walked by test_table_teachers.py: a file of their own, so that --dist loadfile
# gives the heaviest roles to another worker.
TEACHERS_OF_A = ("head_teacher", "other_head_teacher", "subject_teacher", "counsellor")


@pytest.mark.parametrize("role", [role for role in ALL_ROLES if role not in TEACHERS_OF_A])
def test_permission_table(world, role, quiet_refusals):
    """Every reach column, then every URL of the table, read and write,
    for one role; every mismatch is listed at once."""
    walk(world, role)


def walk(world, role):
    """The reach columns, then the GET/POST walk, for `role`."""
    names = url_names()
    login_url = reverse(settings.LOGIN_URL)
    dump = os.environ.get("BANWU_MATRIX_DUMP")
    observed = {}
    with time_machine.travel(NOW, tick=False):
        objects = build(world, reach=True)
        user = {**people(world), **reach_people(world)}[role]
        client = Client()
        if user is not None:
            client.force_login(user)
        mismatches = _reach_mismatches(client, role, objects, world, names, login_url)
        cache.clear()  # the reach cells' rate-limit counts are not the matrix's
        # Reads first, then writes (a write may change what a later read shows, never who may read it).
        for method in ("get", "post"):
            for name, spec in URLS.items():
                expected = spec[method].get(role)
                if name not in names or expected is None:
                    continue  # a missing name: test_every_url_name_is_in_the_table; a reach-only role: not declared
                url = _url(name, names[name], spec, objects, role)
                started = time.perf_counter()
                if method == "get":
                    response = client.get(url)
                else:
                    headers = {"HX-Request": "true"} if spec["htmx"] else {}
                    response = client.post(url, _body(spec["body"], objects.side[SIDE_OF.get(role, 1)], world), headers=headers)
                    if user is not None and name == "accounts:logout":
                        client.force_login(user)
                wrong = _check(response, expected, login_url)
                observed[(name, method)] = (response.status_code, time.perf_counter() - started)
                if wrong:
                    mismatches.append(f"{name} {method.upper()}: {wrong}, expected {expected}")
    if dump:
        with open(f"{dump}.{role}", "w") as out:
            for (name, method), (status, seconds) in observed.items():
                out.write(f"{name}\t{method}\t{status}\t{seconds:.3f}\n")
    assert not mismatches, f"{role}:\n" + "\n".join(mismatches)


# --- Forms accept only their declared fields ----------------------------------------------------
#
# Each main write view is posted a valid body plus fields a form must never
# take from the request (who wrote it, for which school, in what state).
# The stored row must show the person's own school, the person as author
# and the state the service decides. Every form of the project is a plain
# forms.Form (no ModelForm), so a field that is not declared is never read.


def _extras(world):
    return {
        "school": world.b.school.pk,
        "school_id": world.b.school.pk,
        "student": world.b.child.pk,
        "school_class": world.b.class1.pk,
        "author": world.office.pk,
        "recorded_by": world.office.pk,
        "approved_by": world.office.pk,
        "decided_by": world.office.pk,
        "created_by": world.office.pk,
        "nominated_by": world.office.pk,
        "organiser": world.office.pk,
        "writer": world.other_parent.pk,
        "teacher": world.other_head_teacher.pk,
        "status": "cancelled",
        "is_anonymous": "on",
        "sent_at": "2026-11-19 10:00",
        "voided_by": world.office.pk,
    }


def _new_row(model, before):
    return model.objects.exclude(pk__in=before).get()


def _post_with_extras(world, user, url, body, *, declared=(), htmx=False):
    extras = {k: v for k, v in _extras(world).items() if k not in declared}
    client = Client()
    client.force_login(user)
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url, {**extras, **body}, headers=headers)


def _write_cases(world, objects):
    """(name, user, url, body, declared fields that share an extra's name,
    model, check(row)) for each main write view."""
    from home_school.models import (
        CommitteeMeeting,
        HomeVisit,
        Message,
        Notice,
        ParentMeeting,
        ParentSchoolArticle,
        Suggestion,
        SuggestionReply,
        TopicProposal,
        VolunteerActivity,
    )
    from moral_ed.models import ClassEvent, ClassVeto, ConductEvent, Reward, StarAward, StarCategory, StudentGroup, TermAward

    w, own = world, objects.side[1]
    school = w.school
    star = StarCategory.objects.filter(school=school, is_active=True).exclude(pk=own.star.category_id).first()
    return [
        (
            "conduct points record",
            w.head_teacher,
            reverse("moral_ed:points_record", args=[w.class1.pk]),
            {"students": [w.child.pk], "item": own.item.pk, "note": "课堂积极"},
            ("student",),
            ConductEvent,
            lambda r: (
                (r.school, r.recorded_by, r.school_class, r.student, r.voided_by)
                == (school, w.head_teacher, w.class1, w.child, None)
            ),
        ),
        (
            "group create",
            w.head_teacher,
            reverse("moral_ed:group_create", args=[w.class1.pk]),
            {"kind": "study", "name": "二组", "students": [w.classmate.pk]},
            (),
            StudentGroup,
            lambda r: (r.school, r.school_class) == (school, w.class1),
        ),
        (
            "reward add",
            w.head_teacher,
            reverse("moral_ed:reward_add", args=[w.class1.pk]),
            {"name": "免作业卡", "cost": "5"},
            (),
            Reward,
            lambda r: (r.school, r.school_class) == (school, w.class1),
        ),
        (
            "star nominate",
            w.head_teacher,
            reverse("moral_ed:class_stars", args=[w.class1.pk]),
            {"category": star.pk, "student": w.classmate.pk, "reason": "乐于助人"},
            ("student",),
            StarAward,
            lambda r: (
                (r.school, r.school_class, r.student, r.nominated_by) == (school, w.class1, w.classmate, w.head_teacher)
                and r.status in ("nominated", "confirmed")
                and r.decided_by in (None, w.head_teacher)
            ),
        ),
        (
            "message send (staff)",
            w.head_teacher,
            reverse("home_school:conversation_detail", args=[own.conversation.pk]),
            {"body": "明天见"},
            (),
            Message,
            lambda r: (r.school, r.author, r.conversation) == (school, w.head_teacher, own.conversation),
        ),
        (
            "message send (portal)",
            w.parent,
            reverse("home_school:portal_conversation", args=[own.conversation.pk]),
            {"body": "好的"},
            (),
            Message,
            lambda r: (r.school, r.author, r.conversation) == (school, w.parent, own.conversation),
        ),
        (
            "notice create",
            w.head_teacher,
            reverse("home_school:notice_create"),
            {
                "title": "通知",
                "body": "内容",
                "scope": "classes",
                "classes": [w.class1.pk],
                "receipt_type": "read",
                "send_mode": "draft",
            },
            (),
            Notice,
            lambda r: (r.school, r.author, r.status) == (school, w.head_teacher, "draft"),
        ),
        (
            "meeting create",
            w.head_teacher,
            reverse("home_school:meeting_create"),
            {"school_class": w.class1.pk, "title": "家长会", "starts_at": "2026-12-02 19:00", "place": "教室"},
            ("school_class",),
            ParentMeeting,
            lambda r: (r.school, r.created_by, r.school_class) == (school, w.head_teacher, w.class1),
        ),
        (
            "meeting topic propose",
            w.parent,
            reverse("home_school:portal_meeting_propose", args=[own.meeting.pk]),
            {"student": w.child.pk, "topic": "午休安排"},
            ("student",),
            TopicProposal,
            lambda r: (r.school, r.status, r.decided_by) == (school, "pending", None),
        ),
        (
            "visit plan",
            w.head_teacher,
            reverse("home_school:visit_plan"),
            {"student": w.classmate.pk, "teacher": w.head_teacher.pk, "planned_on": "2026-11-30", "method": "phone"},
            ("student", "teacher"),
            HomeVisit,
            lambda r: (r.school, r.created_by, r.teacher, r.status) == (school, w.head_teacher, w.head_teacher, "planned"),
        ),
        (
            "committee meeting",
            w.head_teacher,
            reverse("home_school:committee_meeting_new", args=[own.committee.pk]),
            {"held_on": "2026-11-18", "title": "家委会例会"},
            (),
            CommitteeMeeting,
            lambda r: (r.school, r.recorded_by, r.committee) == (school, w.head_teacher, own.committee),
        ),
        (
            "volunteer activity",
            w.head_teacher,
            reverse("home_school:volunteer_new"),
            {"school_class": w.class1.pk, "title": "植树", "date": "2026-12-05", "slots": "3"},
            ("school_class",),
            VolunteerActivity,
            lambda r: (r.school, r.organiser, r.school_class) == (school, w.head_teacher, w.class1),
        ),
        (
            "suggestion",
            w.parent,
            reverse("home_school:portal_suggestion_new"),
            {"to": f"class:{w.class1.pk}", "body": "希望多开展阅读活动"},
            (),
            Suggestion,
            lambda r: (r.school, r.writer, r.school_class, r.is_anonymous) == (school, w.parent, w.class1, False),
        ),
        (
            "suggestion reply",
            w.head_teacher,
            reverse("home_school:suggestion_reply", args=[own.suggestion.pk]),
            {"body": "谢谢建议"},
            (),
            SuggestionReply,
            lambda r: (r.school, r.author, r.suggestion) == (school, w.head_teacher, own.suggestion),
        ),
        (
            "parent-school article",
            w.office,
            reverse("home_school:article_new"),
            {"title": "亲子阅读", "category": "family", "body": "正文"},
            (),
            ParentSchoolArticle,
            lambda r: (r.school, r.author) == (school, w.office),
        ),
        (
            "inspection record",
            w.duty_student,
            reverse("moral_ed:inspection_record", args=[w.class2.pk]),
            {"item": own.inspection_item.pk, "day": "2026-11-20"},
            (),
            ClassEvent,
            lambda r: (r.school, r.recorded_by, r.school_class, r.voided_by) == (school, w.duty_student, w.class2, None),
        ),
        (
            "veto record",
            w.office,
            reverse("moral_ed:veto_record"),
            {"school_class": w.class2.pk, "occurred_on": "2026-11-19", "reason": "打架"},
            ("school_class",),
            ClassVeto,
            lambda r: (r.school, r.recorded_by, r.school_class, r.voided_by) == (school, w.office, w.class2, None),
        ),
        (
            "term award proposal",
            w.head_teacher,
            reverse("moral_ed:award_propose", args=[w.class1.pk]),
            {"kind": "merit_student", "student": w.classmate.pk, "reason": "品学兼优"},
            ("student",),
            TermAward,
            lambda r: (
                (r.school, r.proposed_by, r.school_class, r.student, r.status, r.decided_by)
                == (school, w.head_teacher, w.class1, w.classmate, "proposed", None)
            ),
        ),
    ]


def test_write_views_ignore_fields_they_do_not_declare(world):
    mismatches = []
    with time_machine.travel(NOW, tick=False):
        objects = build(world)
        for name, user, url, body, declared, model, check in _write_cases(world, objects):
            before = list(model.objects.values_list("pk", flat=True))
            response = _post_with_extras(
                world, user, url, body, declared=declared, htmx=name.startswith(("conduct", "inspection"))
            )
            rows = model.objects.exclude(pk__in=before)
            if response.status_code >= 400 or rows.count() != 1:
                mismatches.append(f"{name}: {response.status_code}, {rows.count()} new rows")
                continue
            if not check(rows.get()):
                mismatches.append(f"{name}: the stored row took a field the form does not declare")
    assert not mismatches, "\n".join(mismatches)


def test_star_decision_and_void_ignore_undeclared_fields(world):
    """Deciding a nomination and voiding an entry record the acting person,
    whatever `decided_by` / `voided_by` / `student` the post carries."""
    from moral_ed.models import ConductEvent, StarAward

    with time_machine.travel(NOW, tick=False):
        objects = build(world)
        own = objects.side[1]
        response = _post_with_extras(
            world, world.office, reverse("moral_ed:star_decide", args=[own.star.pk]), {"decision": "confirm"}
        )
        assert response.status_code == 302
        award = StarAward.objects.get(pk=own.star.pk)
        assert (award.status, award.decided_by, award.student, award.school) == (
            "confirmed",
            world.office,
            world.child,
            world.school,
        )
        response = _post_with_extras(
            world, world.head_teacher, reverse("moral_ed:event_void", args=[own.event.pk]), {"reason": "记错了"}
        )
        assert response.status_code == 302
        event = ConductEvent.objects.get(pk=own.event.pk)
        assert (event.voided_by, event.recorded_by, event.student) == (world.head_teacher, world.head_teacher, world.child)
