"""Helpers shared by the parent-meeting and home-visit tests (not a
conftest: other parts of home_school keep their own).

Times: the world's "today" is Friday 2026-11-20; a meeting is scheduled
then for Wednesday 2026-11-25 19:00, topics close on Tuesday 19:00.
"""

import datetime

import time_machine

from accounts.models import Role
from home_school.services import meetings as meeting_services
from home_school.services import visits as visit_services
from tests import factories as f

TZ = datetime.timezone(datetime.timedelta(hours=8))
SCHEDULED_AT = "2026-11-20 10:00 +0800"
BEFORE_CUTOFF = "2026-11-22 10:00 +0800"
AFTER_CUTOFF = "2026-11-24 20:00 +0800"
REMINDER_RUN = "2026-11-24 18:00 +0800"
MEETING_DAY = "2026-11-25 18:30 +0800"
AFTER_START = "2026-11-25 20:30 +0800"


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=TZ)


MEETING_AT = at("2026-11-25 19:00")
TOPICS_CLOSE = at("2026-11-24 19:00")


def schedule(world, *, actor=None, school_class=None, grade=None, school=None, term=None, title="期中家长会",
             starts_at=MEETING_AT, topics_close_at=TOPICS_CLOSE, place="六(1)班教室"):
    """A meeting scheduled on 2026-11-20 (class 1 by its head teacher unless told)."""
    if grade is None and school_class is None:
        school_class = world.class1
    with time_machine.travel(SCHEDULED_AT, tick=False):
        return meeting_services.meeting_schedule(
            actor=actor or world.head_teacher,
            school=school or world.school,
            term=term or world.term,
            title=title,
            starts_at=starts_at,
            place=place,
            topics_close_at=topics_close_at,
            school_class=school_class,
            grade=grade,
        )


def add_family(world, student, name, mobile, *, school=None):
    """A guardian account for `student` (the world gives 周子涵 none)."""
    school = school or world.school
    from students.models import Guardianship

    guardian = f.GuardianFactory(school=school, name=name, mobile=mobile)
    primary = not Guardianship.objects.filter(student=student, is_primary=True).exists()
    f.GuardianshipFactory(school=school, student=student, guardian=guardian, relationship="father", is_primary=primary)
    f.MembershipFactory(user=guardian.user, school=school, role=Role.GUARDIAN)
    return guardian.user


def propose(world, meeting, *, actor=None, student=None, topic="作业量是否合适", details="", anonymous=False,
            when=BEFORE_CUTOFF):
    with time_machine.travel(when, tick=False):
        return meeting_services.topic_propose(
            actor=actor or world.parent, meeting=meeting, student=student or world.child, topic=topic,
            details=details, anonymous=anonymous,
        )


def plan_visit(world, *, actor=None, teacher=None, student=None, school=None, term=None, planned_on=datetime.date(2026, 11, 27),
               method="visit"):
    teacher = teacher or world.head_teacher
    with time_machine.travel(SCHEDULED_AT, tick=False):
        return visit_services.visit_plan(
            actor=actor or teacher, school=school or world.school, term=term or world.term,
            student=student or world.child, teacher=teacher, planned_on=planned_on, method=method,
        )


def record_visit(visit, *, family_situation="父母在外地打工，由奶奶照顾", discussed="作业习惯", follow_up="每周电话一次",
                 when="2026-11-27 20:00 +0800", method=None):
    with time_machine.travel(when, tick=False):
        return visit_services.visit_record(
            actor=visit.teacher, visit=visit, done_on=datetime.date(2026, 11, 27), method=method or visit.method,
            family_situation=family_situation, discussed=discussed, follow_up=follow_up,
        )
