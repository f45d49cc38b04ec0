"""One small school world and a fixture per role.

School A (the `world`): grade 6 with classes 六(1)班 and 六(2)班 in the
current term. `head_teacher` leads 六(1), `other_head_teacher` leads 六(2);
`subject_teacher` teaches maths in 六(1). `parent` is the guardian of
`child` in 六(1); `other_parent` of `other_child` in 六(2). School B has its
own class, head teacher, student and guardian.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.test import Client

from accounts.models import Role

from . import factories as f


def _member(user, school, *roles):
    for role in roles:
        f.MembershipFactory(user=user, school=school, role=role)
    return user


def _build_school(code: str, name: str):
    school = f.SchoolFactory(code=code, name=name)
    year = f.SchoolYearFactory(school=school)
    term = f.TermFactory(school=school, school_year=year)
    grade = f.GradeFactory(school=school, level=6, name="六年级")
    class1 = f.SchoolClassFactory(school=school, school_year=year, grade=grade, number=1, name="六(1)班")
    class2 = f.SchoolClassFactory(school=school, school_year=year, grade=grade, number=2, name="六(2)班")
    return SimpleNamespace(school=school, year=year, term=term, grade=grade, class1=class1, class2=class2)


def _enrol(student, school_class):
    return f.EnrollmentFactory(
        student=student, school=student.school, school_class=school_class, school_year=school_class.school_year
    )


@pytest.fixture
def world(db):
    a = _build_school("A01", "青松路小学")
    school = a.school

    head_teacher = _member(f.UserFactory(username="head", full_name="王老师"), school, Role.HEAD_TEACHER)
    other_head_teacher = _member(f.UserFactory(username="head2", full_name="李老师"), school, Role.HEAD_TEACHER)
    subject_teacher = _member(f.UserFactory(username="maths", full_name="赵老师"), school, Role.SUBJECT_TEACHER)
    f.TeachingAssignmentFactory(school=school, term=a.term, school_class=a.class1, teacher=head_teacher, is_head_teacher=True)
    f.TeachingAssignmentFactory(
        school=school, term=a.term, school_class=a.class2, teacher=other_head_teacher, is_head_teacher=True
    )
    f.TeachingAssignmentFactory(
        school=school, term=a.term, school_class=a.class1, teacher=subject_teacher, subject="数学", is_head_teacher=False
    )

    child = f.StudentFactory(school=school, name="陈小雨", student_number="20260001")
    classmate = f.StudentFactory(school=school, name="周子涵", student_number="20260002")
    other_child = f.StudentFactory(school=school, name="吴浩然", student_number="20260101")
    _enrol(child, a.class1)
    _enrol(classmate, a.class1)
    _enrol(other_child, a.class2)

    parent_guardian = f.GuardianFactory(school=school, name="陈妈妈", mobile="13900000001")
    other_guardian = f.GuardianFactory(school=school, name="吴爸爸", mobile="13900000002")
    f.GuardianshipFactory(school=school, student=child, guardian=parent_guardian, relationship="mother", is_primary=True)
    f.GuardianshipFactory(
        school=school, student=other_child, guardian=other_guardian, relationship="father", is_primary=True
    )
    parent = _member(parent_guardian.user, school, Role.GUARDIAN)
    other_parent = _member(other_guardian.user, school, Role.GUARDIAN)

    student_user = f.UserFactory(username="20260001", full_name="陈小雨")
    child.user = student_user
    child.save(update_fields=["user"])
    _member(student_user, school, Role.STUDENT)

    counsellor = _member(f.UserFactory(username="counsellor", full_name="心理孙老师"), school, Role.COUNSELLOR)
    office = _member(f.UserFactory(username="office", full_name="政教处钱主任"), school, Role.OFFICE)
    principal = _member(f.UserFactory(username="principal", full_name="郑校长"), school, Role.PRINCIPAL)
    school_admin = _member(f.UserFactory(username="schooladmin", full_name="管理员", is_staff=True), school, Role.SCHOOL_ADMIN)

    b = _build_school("B01", "翠湖中学")
    b_head = _member(f.UserFactory(username="bhead", full_name="B校班主任"), b.school, Role.HEAD_TEACHER)
    f.TeachingAssignmentFactory(school=b.school, term=b.term, school_class=b.class1, teacher=b_head, is_head_teacher=True)
    b_child = f.StudentFactory(school=b.school, name="B校学生", student_number="20260001")
    _enrol(b_child, b.class1)
    b_guardian = f.GuardianFactory(school=b.school, name="B校家长", mobile="13900000009")
    f.GuardianshipFactory(school=b.school, student=b_child, guardian=b_guardian, relationship="father", is_primary=True)
    b_parent = _member(b_guardian.user, b.school, Role.GUARDIAN)
    b_admin = _member(f.UserFactory(username="badmin", full_name="B校管理员", is_staff=True), b.school, Role.SCHOOL_ADMIN)
    b_office = _member(f.UserFactory(username="boffice", full_name="B校政教处"), b.school, Role.OFFICE)

    return SimpleNamespace(
        school=school,
        year=a.year,
        term=a.term,
        grade=a.grade,
        class1=a.class1,
        class2=a.class2,
        head_teacher=head_teacher,
        other_head_teacher=other_head_teacher,
        subject_teacher=subject_teacher,
        child=child,
        classmate=classmate,
        other_child=other_child,
        parent=parent,
        parent_guardian=parent_guardian,
        other_parent=other_parent,
        student_user=student_user,
        counsellor=counsellor,
        office=office,
        principal=principal,
        school_admin=school_admin,
        b=SimpleNamespace(
            school=b.school,
            term=b.term,
            class1=b.class1,
            head_teacher=b_head,
            child=b_child,
            parent=b_parent,
            admin=b_admin,
            office=b_office,
        ),
        today=datetime.date(2026, 11, 20),
    )


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def head_teacher(world):
    return world.head_teacher


@pytest.fixture
def other_head_teacher(world):
    return world.other_head_teacher


@pytest.fixture
def parent(world):
    return world.parent


@pytest.fixture
def other_parent(world):
    return world.other_parent


@pytest.fixture
def counsellor(world):
    return world.counsellor


@pytest.fixture
def office(world):
    return world.office


@pytest.fixture
def admin_user(world):
    return world.school_admin


@pytest.fixture
def head_teacher_client(head_teacher):
    return _client_for(head_teacher)


@pytest.fixture
def other_head_teacher_client(other_head_teacher):
    return _client_for(other_head_teacher)


@pytest.fixture
def parent_client(parent):
    return _client_for(parent)


@pytest.fixture
def other_parent_client(other_parent):
    return _client_for(other_parent)


@pytest.fixture
def counsellor_client(counsellor):
    return _client_for(counsellor)


@pytest.fixture
def office_client(office):
    return _client_for(office)


@pytest.fixture
def admin_client_school(admin_user):
    return _client_for(admin_user)


@pytest.fixture
def client_for():
    """Log in any user: client_for(world.principal)."""
    return _client_for


@pytest.fixture(autouse=True)
def request_keys(request, monkeypatch):
    """Every POST a test sends carries a fresh request key, as the pages'
    forms do ({% request_key %}; tests/core/test_request_keys.py checks that
    each form of a decorated view renders one). A test that sends its own
    key keeps it; a test marked `without_request_key` sends none."""
    if request.node.get_closest_marker("without_request_key"):
        return
    import uuid

    from core.idempotency import FIELD

    original = Client.post

    def post(self, path, data=None, *args, **kwargs):
        if data is None:
            data = {}
        if isinstance(data, dict) and FIELD not in data and not kwargs.get("content_type"):
            data = {**data, FIELD: str(uuid.uuid4())}
        return original(self, path, data, *args, **kwargs)

    monkeypatch.setattr(Client, "post", post)
