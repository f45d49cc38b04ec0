"""The meeting and visit lists, the meeting page and the attendance tap
list make the same number of queries whatever the number of rows."""

import datetime

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from home_school.models import AgendaItem, FollowUpAction, MeetingAttendance, MeetingReply
from home_school.services import visits as visit_services
from tests import factories as f

from .meetings_support import BEFORE_CUTOFF, MEETING_DAY, add_family, at, plan_visit, propose, schedule

_mobiles = iter(range(13700000000, 13800000000))


def _count(user, name, *args, when=BEFORE_CUTOFF):
    """Queries of a steady request (the first one of a session stamps it)."""
    with time_machine.travel(when, tick=False):
        client = Client()
        client.force_login(user)
        url = reverse(f"home_school:{name}", args=args)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _families(world, school_class, n, *, replies=None, meeting=None):
    """n students in the class, each with a guardian account; with a
    meeting, every other family replies and is marked present."""
    for i in range(n):
        student = f.StudentFactory(school=world.school)
        f.EnrollmentFactory(student=student, school_class=school_class)
        user = add_family(world, student, f"家长{i}", str(next(_mobiles)))
        if meeting is not None and i % 2 == 0:
            MeetingReply.objects.create(school=world.school, meeting=meeting, student=student, answer="attend", answered_by=user)
            MeetingAttendance.objects.create(school=world.school, meeting=meeting, student=student, marked_by=world.head_teacher,
                                             guardian=user.guardian_profiles.first())


def _meetings(world, n, start_day):
    made = []
    for i in range(n):
        day = start_day + i
        made.append(schedule(world, title=f"家长会{day}", starts_at=at(f"2026-12-{day:02d} 19:00"),
                             topics_close_at=at(f"2026-12-{day:02d} 18:00")))
    for m in made:
        MeetingReply.objects.create(school=world.school, meeting=m, student=world.child, answer="attend", answered_by=world.parent)
        propose(world, m)
    return made


def test_staff_meeting_list_does_not_grow_with_meetings(world):
    _meetings(world, 2, 1)
    small = _count(world.office, "meeting_list")
    _meetings(world, 8, 10)
    assert _count(world.office, "meeting_list") == small
    assert _count(world.head_teacher, "meeting_list") <= small + 2  # a teacher's reach adds its role checks


def test_portal_meeting_list_does_not_grow_with_meetings(world):
    _meetings(world, 2, 1)
    small = _count(world.parent, "portal_meetings")
    _meetings(world, 8, 10)
    assert _count(world.parent, "portal_meetings") == small


def test_meeting_page_does_not_grow_with_agenda_topics_and_follow_ups(world):
    meeting = schedule(world)

    def fill(n):
        for i in range(n):
            AgendaItem.objects.create(school=world.school, meeting=meeting, title=f"议题{i}", position=i)
            student = f.StudentFactory(school=world.school)
            f.EnrollmentFactory(student=student, school_class=world.class1)
            user = add_family(world, student, f"家长{i}", str(next(_mobiles)))
            propose(world, meeting, actor=user, student=student, topic=f"建议{i}")
            FollowUpAction.objects.create(school=world.school, meeting=meeting, text=f"事项{i}", owner=world.head_teacher,
                                          due_on=datetime.date(2026, 12, 1), created_by=world.head_teacher)

    fill(2)
    small = _count(world.head_teacher, "meeting_detail", meeting.pk)
    portal_small = _count(world.parent, "portal_meeting", meeting.pk)
    fill(10)
    assert _count(world.head_teacher, "meeting_detail", meeting.pk) == small
    assert _count(world.parent, "portal_meeting", meeting.pk) == portal_small


def test_attendance_tap_list_does_not_grow_with_families(world):
    meeting = schedule(world)
    _families(world, world.class1, 5, meeting=meeting)
    small = _count(world.head_teacher, "meeting_attendance", meeting.pk, when=MEETING_DAY)
    _families(world, world.class1, 35, meeting=meeting)
    assert _count(world.head_teacher, "meeting_attendance", meeting.pk, when=MEETING_DAY) == small


def test_grade_attendance_list_does_not_grow_with_families(world):
    meeting = schedule(world, actor=world.office, grade=world.grade)
    _families(world, world.class2, 4, meeting=meeting)
    small = _count(world.office, "meeting_attendance", meeting.pk, when=MEETING_DAY)
    _families(world, world.class2, 30, meeting=meeting)
    assert _count(world.office, "meeting_attendance", meeting.pk, when=MEETING_DAY) == small


def _visits(world, n, offset):
    for i in range(n):
        teacher = f.UserFactory()
        f.MembershipFactory(user=teacher, school=world.school, role="head_teacher")
        school_class = f.SchoolClassFactory(school=world.school, school_year=world.year, grade=world.grade, number=offset + i)
        f.TeachingAssignmentFactory(school=world.school, term=world.term, school_class=school_class, teacher=teacher)
        student = f.StudentFactory(school=world.school)
        f.EnrollmentFactory(student=student, school_class=school_class)
        visit = plan_visit(world, teacher=teacher, student=student, method=["visit", "phone", "video"][i % 3])
        if i % 2:
            with time_machine.travel("2026-11-21 10:00 +0800", tick=False):
                visit_services.visit_record(actor=teacher, visit=visit, done_on=datetime.date(2026, 11, 21), method=visit.method,
                                            family_situation="x", discussed="y")
        visit_services.supervisor_assign(actor=world.office, school=world.school, term=world.term, supervisor=world.counsellor,
                                         teachers=[teacher])


def test_visit_list_does_not_grow_with_visits_or_teachers(world):
    _visits(world, 2, 10)
    office = _count(world.office, "visit_list")
    supervisor = _count(world.counsellor, "visit_list")
    _visits(world, 10, 20)
    assert _count(world.office, "visit_list") == office
    assert _count(world.counsellor, "visit_list") == supervisor


def test_supervisor_page_does_not_grow_with_supervisions(world):
    _visits(world, 2, 10)
    small = _count(world.office, "visit_supervisors")
    _visits(world, 10, 20)
    assert _count(world.office, "visit_supervisors") == small


def test_portal_visit_list_does_not_grow_with_visits(world):
    def fill(n):
        for i in range(n):
            visit = plan_visit(world, planned_on=datetime.date(2026, 11, 23 + i % 5))
            if i % 2:
                with time_machine.travel("2026-11-28 10:00 +0800", tick=False):
                    visit_services.visit_record(actor=world.head_teacher, visit=visit, done_on=datetime.date(2026, 11, 27),
                                                method="visit", family_situation="x", discussed="y")

    fill(2)
    small = _count(world.parent, "portal_visits")
    fill(8)
    assert _count(world.parent, "portal_visits") == small
