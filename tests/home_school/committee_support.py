"""Helpers shared by the committee, volunteering, participation,
suggestion and parent-school tests (not a conftest: other parts of
home_school keep their own).

`hs(world)` adds to the world (school A: 六(1) led by head_teacher with
陈小雨 / 陈妈妈, 六(2) led by other_head_teacher with 吴浩然 / 吴爸爸;
school B: one class with B校家长), for each of A 六(1), A 六(2) and B:
a class committee with one member and one meeting, a class activity with
one sign-up, a participation event and a named suggestion to the head
teacher; plus each school's committee, a school-wide activity, a
suggestion to the office and a published article (and a draft in A).
The world's "today" is Friday 2026-11-20.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from home_school.models import ParticipationEvent, ParticipationKind
from home_school.services import committee as committee_services
from home_school.services import parent_school as article_services
from home_school.services import suggestions as suggestion_services
from home_school.services import volunteering as volunteer_services
from students.models import Guardian

NOV20 = "2026-11-20 10:00 +0800"
TODAY = datetime.date(2026, 11, 20)
NEXT_FRIDAY = datetime.date(2026, 11, 27)


def guardian(user, school):
    return Guardian.objects.get(user=user, school=school)


def event(school, g, key, *, points="3", on=TODAY, kind=ParticipationKind.VOLUNTEER, note="图书角整理"):
    return ParticipationEvent.objects.create(
        school=school, guardian=g, kind=kind, points=Decimal(points), source_key=key, note=note, occurred_on=on
    )


def hs(world):
    """Build the home-school objects once per test (see the module docstring)."""
    from django.core.cache import cache

    cache.clear()  # the suggestion rate limit counts in the cache
    a, b = world.school, world.b.school
    pg, og, bg = world.parent_guardian, guardian(world.other_parent, a), guardian(world.b.parent, b)
    ns = SimpleNamespace(pg=pg, og=og, bg=bg)
    for name, actor, school, school_class, g in (
        ("c1", world.head_teacher, a, world.class1, pg),
        ("c2", world.other_head_teacher, a, world.class2, og),
        ("cb", world.b.head_teacher, b, world.b.class1, bg),
    ):
        committee = committee_services.committee_set_up(actor=actor, school=school, school_class=school_class)
        setattr(ns, name, committee)
        setattr(ns, f"m_{name}", committee_services.committee_member_add(
            actor=actor, committee=committee, guardian=g, role="chair", start_date=datetime.date(2026, 9, 10)
        ))
        setattr(ns, f"meet_{name}", committee_services.committee_meeting_save(
            actor=actor, committee=committee, held_on=datetime.date(2026, 10, 15), title="学期活动计划", minutes="讨论运动会分工"
        ))
        activity = volunteer_services.volunteer_activity_create(
            actor=actor, school=school, school_class=school_class, title="图书角整理", date=NEXT_FRIDAY, slots=3, today=TODAY
        )
        setattr(ns, f"act_{name}", activity)
        volunteer_services.volunteer_sign_up(guardian=g, activity=activity, today=TODAY)
        setattr(ns, f"ev_{name}", event(school, g, f"test:{name}"))
        suggestion, _code = suggestion_services.suggestion_submit(
            school=school, user=g.user, recipient="head_teacher", school_class=school_class,
            body=f"建议{school_class.name}增加课外阅读时间", anonymous=False, today=TODAY,
        )
        setattr(ns, f"s_{name}", suggestion)
    ns.cs = committee_services.committee_set_up(actor=world.office, school=a)
    ns.cbs = committee_services.committee_set_up(actor=world.b.office, school=b)
    ns.act_s = volunteer_services.volunteer_activity_create(
        actor=world.office, school=a, school_class=None, title="运动会志愿者", date=NEXT_FRIDAY, slots=10, today=TODAY
    )
    ns.act_bs = volunteer_services.volunteer_activity_create(
        actor=world.b.office, school=b, school_class=None, title="运动会志愿者", date=NEXT_FRIDAY, slots=10, today=TODAY
    )
    ns.s_off, _ = suggestion_services.suggestion_submit(
        school=a, user=world.parent, recipient="office", school_class=None, body="校门口接送拥堵", anonymous=False, today=TODAY
    )
    ns.s_boff, _ = suggestion_services.suggestion_submit(
        school=b, user=world.b.parent, recipient="office", school_class=None, body="食堂菜品", anonymous=False, today=TODAY
    )
    ns.art = article_services.article_save(
        actor=world.office, school=a, title="如何陪孩子阅读", category="family", body="每天十五分钟。", is_published=True,
        published_on=datetime.date(2026, 11, 1),
    )
    ns.art_draft = article_services.article_save(
        actor=world.office, school=a, title="草稿", category="safety", body="未完成", is_published=False
    )
    ns.art_b = article_services.article_save(
        actor=world.b.office, school=b, title="B校文章", category="family", body="正文", is_published=True,
        published_on=datetime.date(2026, 11, 1),
    )
    cache.clear()
    return ns
