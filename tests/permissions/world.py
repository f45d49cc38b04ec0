"""The objects the permission matrix opens, built once per test on the
`world` of tests/conftest.py.

Each id-taking URL is opened on the object its person would be "own" to:
side 1 is 六(1)班 (head_teacher, subject_teacher, child 陈小雨 and her
guardian `parent`), side 2 is 六(2)班 (other_head_teacher, other_child and
other_parent). Everyone not on side 2 opens side 1's objects: the office,
the principal and the counsellor (school-wide staff of A), the student,
the duty student, and the administrator of school B (for whom school A's
objects are another school's).

The builders reuse the helpers of the reach tests (tests/test_reach.py,
tests/home_school/*_support.py) so the objects are made by the same
services a person would call. Call `build(world)` inside
time_machine.travel(NOW).
"""

import datetime
import io
from types import SimpleNamespace

from accounts.models import Role
from tests import factories as f

NOW = "2026-11-20 10:00 +0800"
TODAY = datetime.date(2026, 11, 20)

# Which side each person is "own" to (see the module docstring).
SIDE_OF = {"other_head_teacher": 2, "other_guardian": 2}


def duty_student(world):
    """A student on duty (值周生): only Role.DUTY_STUDENT in school A, no
    student record, no other role. Made here, not in tests/conftest.py."""
    user = f.UserFactory(username="duty", full_name="值周生小林")
    f.MembershipFactory(user=user, school=world.school, role=Role.DUTY_STUDENT)
    return user


def people(world):
    """Role name → user (None for anonymous), in the matrix's order."""
    return {
        "anonymous": None,
        "student": world.student_user,
        "guardian": world.parent,
        "other_guardian": world.other_parent,
        "head_teacher": world.head_teacher,
        "other_head_teacher": world.other_head_teacher,
        "subject_teacher": world.subject_teacher,
        "counsellor": world.counsellor,
        "office": world.office,
        "principal": world.principal,
        "b_admin": world.b.admin,
        "duty_student": world.duty_student,
    }


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "PNG")
    return out.getvalue()


def build(world):
    """Every object an id-taking URL needs, per side; returns a namespace
    with `side[1]` and `side[2]` (SimpleNamespaces of objects)."""
    from home_school.models import FollowUpAction, MeetingReply
    from home_school.services import meetings as meeting_services
    from home_school.services import messaging as messaging_services
    from home_school.services import visits as visit_services
    from moral_ed.models import ConductItem
    from notifications.models import Notification
    from tests.home_school.committee_support import hs
    from tests.home_school.meetings_support import MEETING_AT, TOPICS_CLOSE
    from tests.home_school.notices_support import make_notice
    from tests.test_reach import _conduct_events

    world.duty_student = getattr(world, "duty_student", None) or duty_student(world)
    _conduct_events(world)  # events, groups, star nominations, notifications (test_reach's targets)
    home = hs(world)  # committees, activities, participation, suggestions, articles
    sides = {}
    for side, head, school_class, student, guardian_user, home_key in (
        (1, world.head_teacher, world.class1, world.child, world.parent, "c1"),
        (2, world.other_head_teacher, world.class2, world.other_child, world.other_parent, "c2"),
    ):
        suffix = "own" if side == 1 else "other"
        conversation, message = messaging_services.conversation_start(
            school=world.school, student=student, teacher=head, started_by=head, body="你好", files=[("p.png", _png())]
        )
        notice = make_notice(world, head, classes=[school_class], receipt_type="reply", choices=["参加", "不参加"])
        meeting = meeting_services.meeting_schedule(
            actor=head,
            school=world.school,
            term=world.term,
            title="期中家长会",
            starts_at=MEETING_AT,
            place=f"{school_class.name}教室",
            topics_close_at=TOPICS_CLOSE,
            school_class=school_class,
        )
        proposal = meeting_services.topic_propose(actor=guardian_user, meeting=meeting, student=student, topic="作业量是否合适")
        # A follow-up is written once the meeting has started: made directly, as after the meeting.
        follow_up = FollowUpAction.objects.create(
            school=world.school,
            meeting=meeting,
            text="整理作业清单",
            owner=head,
            due_on=datetime.date(2026, 12, 1),
            created_by=head,
        )
        meeting_services.meeting_reply(actor=guardian_user, meeting=meeting, student=student, answer=MeetingReply.Answer.ATTEND)
        visit = visit_services.visit_plan(
            actor=head,
            school=world.school,
            term=world.term,
            student=student,
            teacher=head,
            planned_on=datetime.date(2026, 11, 27),
            method="visit",
        )
        (supervision,) = visit_services.supervisor_assign(
            actor=world.office, school=world.school, term=world.term, supervisor=world.principal, teachers=[head]
        )
        sides[side] = SimpleNamespace(
            school_class=school_class,
            student=student,
            event=getattr(world, f"event_{suffix}"),
            group=getattr(world, f"group_{suffix}"),
            star=getattr(world, f"star_{suffix}"),
            conversation=conversation,
            attachment=message.attachments.get(),
            notice=notice,
            meeting=meeting,
            proposal=proposal,
            follow_up=follow_up,
            visit=visit,
            supervision=supervision,
            committee=getattr(home, home_key),
            member=getattr(home, f"m_{home_key}"),
            committee_meeting=getattr(home, f"meet_{home_key}"),
            activity=getattr(home, f"act_{home_key}"),
            participation_event=getattr(home, f"ev_{home_key}"),
            suggestion=getattr(home, f"s_{home_key}"),
            article=home.art,
            item=ConductItem.objects.filter(school=world.school, points__gt=0).order_by("pk").first(),
        )
    _office_objects(world, sides)
    notifications = {}
    for role, user in people(world).items():
        if user is not None and role not in ("guardian", "other_guardian"):
            notifications[role] = Notification.objects.create(
                school=world.school,
                recipient=user,
                kind="tests.matrix",
                title="测试",
                link="/notifications/",
                dedupe_key=f"tests.matrix:{user.pk}",
            )
    notifications["guardian"] = world.note_own
    notifications["other_guardian"] = world.note_other
    notifications["anonymous"] = world.note_own
    return SimpleNamespace(side=sides, home=home, notifications=notifications)


def _office_objects(world, sides):
    """The moral-education office's objects, per side: an inspection entry
    (by the duty student), a veto, a dorm building with the side's student
    in a bed, a dorm deduction and the case it opened, a merit-student
    proposal, a practice record with its evidence; and November's published
    evaluation so far, with the vetoes (school-wide, the same on both sides)."""
    from decimal import Decimal

    from moral_ed.models import AwardKind, DormCase, DormEvent, InspectionItem
    from moral_ed.services import awards as award_services
    from moral_ed.services import dorms as dorm_services
    from moral_ed.services import evaluations as evaluation_services
    from moral_ed.services import inspections as inspection_services
    from tests.moral_ed.test_dorm_support import build_rooms

    school, term = world.school, world.term
    item = InspectionItem.objects.filter(school=school, is_active=True).order_by("pk").first()
    for side, ns in sides.items():
        head = world.head_teacher if side == 1 else world.other_head_teacher
        ns.inspection_entry = inspection_services.inspection_record(
            actor=world.duty_student, school=school, term=term, school_class=ns.school_class, item=item, occurred_on=TODAY
        )
        ns.inspection_item = item
        ns.veto = inspection_services.veto_record(
            school=school, school_class=ns.school_class, occurred_on=TODAY, reason="打架", recorded_by=world.office
        )
        ns.building, (room,) = build_rooms(school, f"{side}号楼", [f"{side}01"])
        dorm_services.bed_assign(school=school, term=term, bed=room.bed_list[0], student=ns.student, assigned_by=None)
        ns.dorm_room = room
        ns.dorm_event = DormEvent.objects.create(
            school=school,
            term=term,
            room=room,
            student=ns.student,
            item=None,
            points=Decimal("-5"),
            occurred_on=TODAY,
            recorded_by=world.office,
        )
        ns.award = award_services.award_propose(
            actor=head, term=term, kind=AwardKind.MERIT_STUDENT, school_class=ns.school_class, student=ns.student, reason="优秀"
        )
        ns.practice_record = award_services.practice_record(
            actor=head,
            school=school,
            school_year=world.year,
            student=ns.student,
            kind="social_practice",
            title="社区清洁",
            occurred_on=datetime.date(2026, 10, 12),
            files=[("a.png", _png())],
        )
        ns.evidence = ns.practice_record.evidence.get()
    dorm_services.ladder_check(school=school, today=TODAY)
    revision = evaluation_services.evaluation_publish(
        revision=evaluation_services.evaluation_run(school=school, kind="monthly", period_start=datetime.date(2026, 11, 1))
    )
    for ns in sides.values():
        ns.dorm_case = DormCase.objects.get(student=ns.student)
        ns.revision = revision


def target(objects, kind: str, role: str):
    """The object of `kind` that `role` opens (see the module docstring)."""
    if kind == "notification":
        return objects.notifications[role]
    return getattr(objects.side[SIDE_OF.get(role, 1)], kind)
