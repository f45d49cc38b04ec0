"""Helpers shared by the notices tests (not a conftest: other parts of
home_school keep their own)."""

import datetime

from home_school.models.notices import NoticeScope, ReceiptType
from home_school.services import notices as services
from tests import factories as f

NOV20 = "2026-11-20 10:00 +0800"
TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(text: str) -> datetime.datetime:
    """'2026-11-20 10:00' in Shanghai time, aware."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=TZ)


def make_notice(
    world,
    author=None,
    *,
    classes=None,
    scope=NoticeScope.CLASSES,
    grade=None,
    receipt_type=ReceiptType.READ,
    choices=None,
    send_now=True,
    school=None,
    **kwargs,
):
    """A notice by `author` (the head teacher of 六(1) by default) to their
    class, sent at once unless told otherwise."""
    author = author or world.head_teacher
    if classes is None and scope == NoticeScope.CLASSES:
        classes = [world.class1]
    if receipt_type == ReceiptType.REPLY and choices is None:
        choices = ["参加", "不参加"]
    return services.notice_create(
        author=author,
        school=school or world.school,
        title=kwargs.pop("title", "秋季运动会通知"),
        body=kwargs.pop("body", "各位家长：本周五举行秋季运动会，请为孩子准备运动鞋。"),
        scope=scope,
        classes=classes or [],
        grade=grade,
        receipt_type=receipt_type,
        choices=choices,
        send_now=send_now,
        **kwargs,
    )


def add_student(world, school_class, *, guardians=1, guardian=None, name=None):
    """A student enrolled in `school_class` with `guardians` new guardians
    (or the given one), each with the guardian role."""
    from accounts.models import Role

    kwargs = {"name": name} if name else {}
    student = f.StudentFactory(school=school_class.school, **kwargs)
    f.EnrollmentFactory(student=student, school_class=school_class)
    made = []
    for _ in range(guardians if guardian is None else 0):
        g = f.GuardianFactory(school=school_class.school)
        f.MembershipFactory(user=g.user, school=school_class.school, role=Role.GUARDIAN)
        made.append(g)
    for g in [guardian] if guardian is not None else made:
        f.GuardianshipFactory(student=student, guardian=g, school=school_class.school)
    return student


def second_guardian(world, student, name="陈爸爸", mobile="13900000011"):
    """Another guardian of `student`, with a login and the guardian role."""
    from accounts.models import Role

    g = f.GuardianFactory(school=student.school, name=name, mobile=mobile)
    f.GuardianshipFactory(student=student, guardian=g, school=student.school, relationship="father")
    f.MembershipFactory(user=g.user, school=student.school, role=Role.GUARDIAN)
    return g
