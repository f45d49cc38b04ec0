"""Two populated schools for the admin tenancy tests.

`populate(world)` runs tests/permissions/world.build twice: once for
school A (the `world` of tests/conftest.py) and once for a cast of the same
shape in school B (`mirror(world)`: B's school, year, term, grade, office
and administrator, with new classes, teachers, students and guardians), so
every admin model has rows in both schools. The mirror's own "other
school" is a third school C. Call it inside time_machine.travel(NOW).
"""

import datetime
from types import SimpleNamespace

from accounts.models import Role
from tests import factories as f
from tests.permissions.world import build


def _member(user, school, *roles):
    for role in roles:
        f.MembershipFactory(user=user, school=school, role=role)
    return user


def _enrol(student, school_class):
    return f.EnrollmentFactory(
        student=student, school=student.school, school_class=school_class, school_year=school_class.school_year
    )


def _family(school, school_class, prefix, number, mobile):
    child = f.StudentFactory(school=school, name=f"{prefix}学生{number}", student_number=f"{prefix}{number:04d}")
    _enrol(child, school_class)
    guardian = f.GuardianFactory(school=school, name=f"{prefix}家长{number}", mobile=mobile)
    f.GuardianshipFactory(school=school, student=child, guardian=guardian, relationship="mother", is_primary=True)
    _member(guardian.user, school, Role.GUARDIAN)
    return child, guardian


def _third_school():
    """School C, shaped like the `b` of tests/conftest.py."""
    school = f.SchoolFactory(code="C01", name="丙校")
    year = f.SchoolYearFactory(school=school)
    term = f.TermFactory(school=school, school_year=year)
    grade = f.GradeFactory(school=school, level=6, name="六年级")
    class1 = f.SchoolClassFactory(school=school, school_year=year, grade=grade, number=1, name="丙六(1)班")
    head = _member(f.UserFactory(username="chead", full_name="丙校班主任"), school, Role.HEAD_TEACHER)
    f.TeachingAssignmentFactory(school=school, term=term, school_class=class1, teacher=head, is_head_teacher=True)
    child, guardian = _family(school, class1, "C", 1, "13700000001")
    return SimpleNamespace(
        school=school, term=term, class1=class1, head_teacher=head, child=child, parent=guardian.user,
        admin=_member(f.UserFactory(username="cadmin", full_name="丙校管理员", is_staff=True), school, Role.SCHOOL_ADMIN),
        office=_member(f.UserFactory(username="coffice", full_name="丙校政教处"), school, Role.OFFICE),
    )


def mirror(world):
    """A world of the conftest's shape whose school is B."""
    b = world.b
    school, term = b.school, b.term
    year, grade = b.class1.school_year, b.class1.grade
    class1 = f.SchoolClassFactory(school=school, school_year=year, grade=grade, number=11, name="B六(11)班")
    class2 = f.SchoolClassFactory(school=school, school_year=year, grade=grade, number=12, name="B六(12)班")
    head = _member(f.UserFactory(username="bm_head", full_name="B镜像班主任"), school, Role.HEAD_TEACHER)
    other_head = _member(f.UserFactory(username="bm_head2", full_name="B镜像班主任二"), school, Role.HEAD_TEACHER)
    maths = _member(f.UserFactory(username="bm_maths", full_name="B镜像数学老师"), school, Role.SUBJECT_TEACHER)
    f.TeachingAssignmentFactory(school=school, term=term, school_class=class1, teacher=head, is_head_teacher=True)
    f.TeachingAssignmentFactory(school=school, term=term, school_class=class2, teacher=other_head, is_head_teacher=True)
    f.TeachingAssignmentFactory(school=school, term=term, school_class=class1, teacher=maths, subject="数学",
                                is_head_teacher=False)
    child, guardian = _family(school, class1, "BM", 1, "13600000001")
    classmate, _ = _family(school, class1, "BM", 2, "13600000002")
    other_child, other_guardian = _family(school, class2, "BM", 3, "13600000003")
    student_user = _member(f.UserFactory(username="bm_student", full_name=child.name), school, Role.STUDENT)
    child.user = student_user
    child.save(update_fields=["user"])
    duty = _member(f.UserFactory(username="bm_duty", full_name="B镜像值周生"), school, Role.DUTY_STUDENT)
    return SimpleNamespace(
        school=school, year=year, term=term, grade=grade, class1=class1, class2=class2,
        head_teacher=head, other_head_teacher=other_head, subject_teacher=maths,
        child=child, classmate=classmate, other_child=other_child,
        parent=guardian.user, parent_guardian=guardian, other_parent=other_guardian.user,
        student_user=student_user,
        counsellor=_member(f.UserFactory(username="bm_counsellor", full_name="B镜像心理老师"), school, Role.COUNSELLOR),
        office=b.office,
        principal=_member(f.UserFactory(username="bm_principal", full_name="B镜像校长"), school, Role.PRINCIPAL),
        school_admin=b.admin,
        duty_student=duty,
        b=_third_school(),
        today=datetime.date(2026, 11, 20),
    )


def populate(world):
    """Rows of every admin model in school A and in school B."""
    from django.db.models import Value
    from django.db.models.functions import Concat

    from home_school.models import ParticipationEvent

    a_objects = build(world)
    # The home-school builder names its participation events by class
    # ("test:c1"); the key is unique across schools.
    ParticipationEvent.objects.filter(source_key__startswith="test:").update(source_key=Concat(Value("a-"), "source_key"))
    b_world = mirror(world)
    b_objects = build(b_world)
    extras(world, a_objects)
    extras(b_world, b_objects)
    return SimpleNamespace(a=a_objects, b_world=b_world, b=b_objects)


def extras(w, objects):
    """One row of each admin model the matrix builder does not make."""
    from decimal import Decimal

    from home_school.models import AgendaItem, MeetingAttendance, OfficeHours, ParticipationRule
    from moral_ed.models import DimensionLimit, DormLevelChange, GroupEvent, GuardianNote, Redemption, Reward
    from notifications.models import NotificationPreference
    from students.models import RosterImport

    side = objects.side[1]
    school, head = w.school, w.head_teacher
    NotificationPreference.objects.get_or_create(user=w.parent)
    RosterImport.objects.create(school=school, uploaded_by=w.school_admin, file_name=f"{school.code}.csv", content=b"x")
    DimensionLimit.objects.get_or_create(school=school, dimension="morality", defaults={"floor": -10, "ceiling": 10})
    GuardianNote.objects.create(school=school, student=w.child, text="在家很勤快", written_by=w.parent)
    GroupEvent.objects.create(school=school, term=w.term, group=side.group, points=Decimal("1"), occurred_on=w.today,
                              recorded_by=head)
    reward = Reward.objects.create(school=school, school_class=w.class1, name="免作业一次", cost=Decimal("5"))
    Redemption.objects.create(school=school, student=w.child, reward=reward, cost=Decimal("5"), redeemed_by=head)
    DormLevelChange.objects.create(school=school, student=w.child, from_level=0, to_level=1, reason="confirmed",
                                   effective_on=w.today)
    AgendaItem.objects.create(school=school, meeting=side.meeting, title="期中成绩分析")
    MeetingAttendance.objects.create(school=school, meeting=side.meeting, student=w.child, marked_by=head)
    OfficeHours.objects.create(school=school, teacher=head, weekday=1, start_time="16:00", end_time="17:00")
    ParticipationRule.objects.get_or_create(school=school, kind="volunteer_done", defaults={"points": Decimal("2")})
