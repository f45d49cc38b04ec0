"""The objects the permission matrix opens, built once per test on the
`world` of tests/conftest.py.

Each id-taking URL is opened on the object its person would be "own" to:
side 1 is 六(1)班 (head_teacher, subject_teacher, child 陈小雨 and her
guardian `parent`), side 2 is 六(2)班 (other_head_teacher, other_child and
other_parent). Everyone not on side 2 opens side 1's objects: the office,
the principal and the counsellor (school-wide staff of A), the student,
the duty student, and the administrator of school B (for whom school A's
objects are another school's).

The builders reuse the home-school and moral-education test helpers
(tests/home_school/*_support.py, tests/moral_ed/test_dorm_support.py) so
the objects are made by the same services a person would call. Call `build(world)` inside
time_machine.travel(NOW).

`build(world, reach=True)` adds what the reach columns of the table
(own / other / other school) open: side 3, school B's objects made by B's
head teacher, office and guardian, and the few objects whose "other" is
not side 2's matrix object (a draft article, a draft evaluation, an
inspection entry by a second duty student, drafts and scheduled notices,
the school-wide committee, activity and suggestion box, which have no
"other": None on side 2). `reach_people(world)` are the four persons only
the reach columns and a few page cells use.
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


def build(world, *, reach=False):
    """Every object an id-taking URL needs, per side; returns a namespace
    with `side[1]` and `side[2]` (SimpleNamespaces of objects), and with
    `reach` also `side[3]` (school B) and the reach columns' variants."""
    from home_school.models import FollowUpAction, MeetingReply
    from home_school.services import meetings as meeting_services
    from home_school.services import messaging as messaging_services
    from home_school.services import visits as visit_services
    from moral_ed.models import ConductItem
    from notifications.models import Notification
    from tests.home_school.committee_support import hs
    from tests.home_school.meetings_support import MEETING_AT, TOPICS_CLOSE
    from tests.home_school.notices_support import make_notice

    world.duty_student = getattr(world, "duty_student", None) or duty_student(world)
    _conduct_events(world)  # events, groups, star nominations, guardians' notifications (both schools)
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
    objects = SimpleNamespace(side=sides, home=home, notifications=notifications)
    if reach:
        _reach_objects(world, objects)
    return objects


def _conduct_events(world):
    """One staged event per target student (陈小雨, 吴浩然, school B's
    student), recorded by their head teacher; a study group and a pending
    school-star nomination in each class; a notification for each
    guardian. Sets world.event_own / _other / _b (and group_, star_,
    note_ alike)."""
    from moral_ed.models import ConductItem, StarCategory
    from moral_ed.services.conduct import group_save, points_record, star_nominate
    from moral_ed.services.defaults import defaults_install
    from notifications.models import Notification

    for school in (world.school, world.b.school):
        defaults_install(school=school)
    for suffix, teacher, term, school_class, student, guardian in (
        ("own", world.head_teacher, world.term, world.class1, world.child, world.parent),
        ("other", world.other_head_teacher, world.term, world.class2, world.other_child, world.other_parent),
        ("b", world.b.head_teacher, world.b.term, world.b.class1, world.b.child, world.b.parent),
    ):
        school = school_class.school
        item = ConductItem.objects.filter(school=school, points__lt=0).first()
        events, *_ = points_record(
            actor=teacher,
            school=school,
            term=term,
            school_class=school_class,
            student_ids=[student.pk],
            item=item,
            occurred_on=TODAY,
        )
        setattr(world, f"event_{suffix}", events[0])
        note = Notification.objects.create(
            school=school,
            recipient=guardian,
            kind="tests.reach",
            title="测试",
            link="/portal/",
            dedupe_key=f"tests.reach:{guardian.pk}",
        )
        setattr(world, f"note_{suffix}", note)
        setattr(
            world,
            f"group_{suffix}",
            group_save(actor=teacher, school_class=school_class, kind="study", name="一组", student_ids=[student.pk]),
        )
        star = StarCategory.objects.get(school=school, name="文明礼貌之星")
        award = star_nominate(
            actor=teacher, category=star, student=student, school_class=school_class, reason="有礼貌", term=term
        )
        setattr(world, f"star_{suffix}", award)


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


# Roles that only the reach columns (and a few page cells) declare.
REACH_ROLES = ("school_admin", "b_office", "b_guardian", "b_duty_student")


def reach_people(world):
    """The reach-only roles → users (after build(world, reach=True))."""
    return {
        "school_admin": world.school_admin,
        "b_office": world.b.office,
        "b_guardian": world.b.parent,
        "b_duty_student": world.b.duty_student,
    }


def _reach_objects(world, objects):
    """Side 3 (school B) and the variants the reach columns open; see the
    module docstring. The objects of B are made by B's own people."""
    from decimal import Decimal

    from home_school.models import FollowUpAction
    from home_school.models.notices import ReceiptType
    from home_school.services import meetings as meeting_services
    from home_school.services import messaging as messaging_services
    from home_school.services import visits as visit_services
    from moral_ed.models import AwardKind, ConductItem, DormCase, DormEvent, InspectionItem
    from moral_ed.services import awards as award_services
    from moral_ed.services import dorms as dorm_services
    from moral_ed.services import evaluations as evaluation_services
    from moral_ed.services import inspections as inspection_services
    from tests.home_school.meetings_support import MEETING_AT, TOPICS_CLOSE
    from tests.home_school.notices_support import at, make_notice
    from tests.moral_ed.test_dorm_support import build_rooms

    b, home, side = world.b, objects.home, objects.side
    world.duty_student2 = f.UserFactory(username="duty2", full_name="值周生林二")
    f.MembershipFactory(user=world.duty_student2, school=world.school, role=Role.DUTY_STUDENT)
    b.duty_student = f.UserFactory(username="bduty", full_name="B校值周生")
    f.MembershipFactory(user=b.duty_student, school=b.school, role=Role.DUTY_STUDENT)

    conversation, message = messaging_services.conversation_start(
        school=b.school,
        student=b.child,
        teacher=b.head_teacher,
        started_by=b.head_teacher,
        body="你好",
        files=[("p.png", _png())],
    )
    meeting = meeting_services.meeting_schedule(
        actor=b.head_teacher,
        school=b.school,
        term=b.term,
        title="期中家长会",
        starts_at=MEETING_AT,
        place="教室",
        topics_close_at=TOPICS_CLOSE,
        school_class=b.class1,
    )
    building, (room,) = build_rooms(b.school, "B栋", ["101"])
    dorm_services.bed_assign(school=b.school, term=b.term, bed=room.bed_list[0], student=b.child, assigned_by=None)
    practice_record = award_services.practice_record(
        actor=b.head_teacher,
        school=b.school,
        school_year=b.term.school_year,
        student=b.child,
        kind="social_practice",
        title="社区清洁",
        occurred_on=datetime.date(2026, 10, 12),
        files=[("a.png", _png())],
    )
    inspection_item = InspectionItem.objects.filter(school=b.school, is_active=True).order_by("pk").first()
    side[3] = SimpleNamespace(
        school_class=b.class1,
        student=b.child,
        item=ConductItem.objects.filter(school=b.school, points__gt=0).order_by("pk").first(),
        event=world.event_b,
        group=world.group_b,
        star=world.star_b,
        conversation=conversation,
        attachment=message.attachments.get(),
        notice=make_notice(world, b.head_teacher, classes=[b.class1], school=b.school, receipt_type=ReceiptType.CONFIRM),
        meeting=meeting,
        proposal=meeting_services.topic_propose(actor=b.parent, meeting=meeting, student=b.child, topic="作业量是否合适"),
        follow_up=FollowUpAction.objects.create(
            school=b.school,
            meeting=meeting,
            text="整理作业清单",
            owner=b.head_teacher,
            due_on=datetime.date(2026, 12, 1),
            created_by=b.head_teacher,
        ),
        visit=visit_services.visit_plan(
            actor=b.head_teacher,
            school=b.school,
            term=b.term,
            student=b.child,
            teacher=b.head_teacher,
            planned_on=datetime.date(2026, 11, 27),
            method="visit",
        ),
        supervision=visit_services.supervisor_assign(
            actor=b.office, school=b.school, term=b.term, supervisor=b.office, teachers=[b.head_teacher]
        )[0],
        committee=home.cb,
        member=home.m_cb,
        committee_meeting=home.meet_cb,
        activity=home.act_cb,
        participation_event=home.ev_cb,
        suggestion=home.s_cb,
        inspection_item=inspection_item,
        veto=inspection_services.veto_record(
            school=b.school, school_class=b.class1, occurred_on=TODAY, reason="打架", recorded_by=b.office
        ),
        building=building,
        dorm_event=DormEvent.objects.create(
            school=b.school,
            term=b.term,
            room=room,
            student=b.child,
            item=None,
            points=Decimal("-5"),
            occurred_on=TODAY,
            recorded_by=b.office,
        ),
        award=award_services.award_propose(
            actor=b.head_teacher,
            term=b.term,
            kind=AwardKind.MERIT_STUDENT,
            school_class=b.class1,
            student=b.child,
            reason="优秀",
        ),
        practice_record=practice_record,
        evidence=practice_record.evidence.get(),
    )
    dorm_services.ladder_check(school=b.school, today=TODAY)
    side[3].dorm_case = DormCase.objects.get(student=b.child)
    draft_revision = evaluation_services.evaluation_run(
        school=world.school, kind="monthly", period_start=datetime.date(2026, 10, 1)
    )
    b_revision = evaluation_services.evaluation_publish(
        revision=evaluation_services.evaluation_run(school=b.school, kind="monthly", period_start=datetime.date(2026, 11, 1))
    )
    # Variants: what "own", "other" and "other school" are where side 2's matrix object is not the "other".
    duty_entries = {
        1: side[1].inspection_entry,
        2: inspection_services.inspection_record(
            actor=world.duty_student2,
            school=world.school,
            term=world.term,
            school_class=world.class2,
            item=side[2].inspection_item,
            occurred_on=TODAY,
        ),
        3: inspection_services.inspection_record(
            actor=b.duty_student, school=b.school, term=b.term, school_class=b.class1, item=inspection_item, occurred_on=TODAY
        ),
    }
    variants = {
        "guardian_note": (world.note_own, world.note_other, world.note_b),
        "school_committee": (home.cs, None, home.cbs),
        "school_activity": (home.act_s, None, home.act_bs),
        "office_suggestion": (home.s_off, None, home.s_boff),
        "article_or_draft": (home.art, home.art_draft, home.art_b),
        "revision_or_draft": (side[1].revision, draft_revision, b_revision),
        "duty_entry": tuple(duty_entries.values()),
    }
    for number, head, school_class, school in (
        (1, world.head_teacher, world.class1, world.school),
        (2, world.other_head_teacher, world.class2, world.school),
        (3, b.head_teacher, b.class1, b.school),
    ):
        kw = {"classes": [school_class], "school": school, "receipt_type": ReceiptType.CONFIRM, "send_now": False}
        side[number].notice_draft = make_notice(world, head, **kw)
        side[number].notice_scheduled = make_notice(world, head, scheduled_for=at("2026-11-21 08:00"), **kw)
        for kind, values in variants.items():
            setattr(side[number], kind, values[number - 1])


def target(objects, kind: str, role: str):
    """The object of `kind` that `role` opens (see the module docstring)."""
    if kind == "notification":
        return objects.notifications[role]
    return getattr(objects.side[SIDE_OF.get(role, 1)], kind)
