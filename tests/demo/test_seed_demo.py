"""seed_demo builds the demo school.

TestDemoSchool seeds the whole school once, inside a transaction that is
rolled back when the class is done; each of its tests runs in a savepoint
inside it (as Django's TestCase.setUpTestData does). The tests after it
see an empty database."""

import datetime
import io
import re

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q
from django.test import RequestFactory, override_settings

from accounts.models import AuditEvent, Membership, Role, User
from classes.models import Grade, School, SchoolClass, SchoolYear, TeachingAssignment, Term
from demo.school import (
    DEMO_PASSWORD,
    GUARDIAN_MOBILE_PREFIX,
    PARENT_MOBILE,
    class_plan,
    demo_calendar,
    name_generate,
)
from students.models import Enrollment, Guardian, Guardianship, Student

NOW = "2026-11-22 09:00 +0800"
MODELS = (User, Membership, AuditEvent, School, SchoolYear, Term, Grade, SchoolClass, TeachingAssignment,
          Student, Guardian, Guardianship, Enrollment)
DEMO_LOGINS = {
    "admin": Role.SCHOOL_ADMIN,
    "office": Role.OFFICE,
    "teacher": Role.HEAD_TEACHER,
    "parent": Role.GUARDIAN,
    "counsellor": Role.COUNSELLOR,
    "principal": Role.PRINCIPAL,
    "maths": Role.SUBJECT_TEACHER,
}
CHINESE_NAME = re.compile(r"[\u4e00-\u9fff]{2,3}")


def _seed(*args):
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", "--allow-without-debug", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def demo_output(django_db_setup, django_db_blocker):
    # A fast hasher: the class hashes and checks the demo password some
    # twenty times, and the seed hashes it once per run whatever the hasher.
    fast_hasher = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    fast_hasher.enable()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            output = _seed()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            fast_hasher.disable()
            raise
    yield output
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
    fast_hasher.disable()


@pytest.fixture
def demo(demo_output, db):
    return School.objects.get(code="DEMO")


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def _login(username):
    return authenticate(request=RequestFactory().post("/login/"), username=username, password=DEMO_PASSWORD)



class TestDemoSchool:
    """Tests that read the seeded school (seeded once for the class)."""

    def test_school_has_current_year_six_grades_and_24_classes(self, demo):
        term = Term.objects.get(school=demo, is_current=True)
        assert (term.school_year.name, term.number) == ("2026-2027", 1)
        assert term.start_date == datetime.date(2026, 9, 1)
        assert Term.objects.filter(school=demo).count() == 2
        assert list(Grade.objects.filter(school=demo).values_list("name", flat=True)) == [
            "一年级", "二年级", "三年级", "四年级", "五年级", "六年级"
        ]
        names = set(SchoolClass.objects.filter(school=demo).values_list("name", flat=True))
        assert len(names) == 24
        assert {"一(1)班", "三(1)班", "六(2)班", "六(4)班"} <= names

    def test_classes_hold_38_to_42_students_each_with_one_open_enrollment(self, demo):
        sizes = SchoolClass.objects.filter(school=demo).annotate(
            n=Count("enrollments", filter=Q(enrollments__end_date__isnull=True))
        )
        assert all(38 <= c.n <= 42 for c in sizes)
        students = Student.objects.filter(school=demo)
        assert 24 * 38 <= students.count() <= 24 * 42
        open_counts = students.annotate(n=Count("enrollments", filter=Q(enrollments__end_date__isnull=True)))
        assert set(open_counts.values_list("n", flat=True)) == {1}
        assert not Enrollment.objects.exclude(school=demo).exists()

    def test_every_student_has_one_or_two_guardians_and_exactly_one_primary(self, demo):
        students = Student.objects.filter(school=demo).annotate(
            n=Count("guardianships"), primary=Count("guardianships", filter=Q(guardianships__is_primary=True))
        )
        assert set(students.values_list("primary", flat=True)) == {1}
        assert set(students.values_list("n", flat=True)) == {1, 2}
        assert Guardian.objects.filter(school=demo).count() > 1.5 * students.count()

    def test_guardians_have_accounts_with_unique_fake_mobiles(self, demo):
        guardians = Guardian.objects.filter(school=demo).select_related("user")
        mobiles = [g.mobile for g in guardians]
        assert len(mobiles) == len(set(mobiles))
        assert all(m.startswith(GUARDIAN_MOBILE_PREFIX) for m in mobiles)
        assert all(g.user.mobile == g.mobile and not g.user.must_change_password for g in guardians)
        guardian_members = set(Membership.objects.filter(school=demo, role=Role.GUARDIAN).values_list("user_id", flat=True))
        assert {g.user_id for g in guardians} == guardian_members

    def test_every_class_has_a_head_teacher_who_teaches_chinese_or_maths_there_each_term(self, demo):
        terms = Term.objects.filter(school=demo)
        head_teachers = set(Membership.objects.filter(school=demo, role=Role.HEAD_TEACHER).values_list("user_id", flat=True))
        for term in terms:
            heads = TeachingAssignment.objects.filter(term=term, is_head_teacher=True)
            assert heads.values("school_class").distinct().count() == 24
            for head in heads:
                assert head.teacher_id in head_teachers
                assert TeachingAssignment.objects.filter(
                    term=term, school_class=head.school_class, teacher=head.teacher, subject__in=["语文", "数学"]
                ).exists()
            # Every class has 语文 and 数学 in every term.
            for subject in ("语文", "数学"):
                assert TeachingAssignment.objects.filter(term=term, subject=subject).values("school_class").distinct().count() == 24

    def test_school_has_every_staff_role(self, demo):
        roles = set(Membership.objects.filter(school=demo).values_list("role", flat=True))
        assert roles >= {
            Role.SCHOOL_ADMIN, Role.OFFICE, Role.HEAD_TEACHER, Role.SUBJECT_TEACHER, Role.COUNSELLOR,
            Role.RESEARCH_LEADER, Role.TEACHING_OFFICE, Role.PRINCIPAL, Role.GUARDIAN,
        }

    @pytest.mark.parametrize("username,role", DEMO_LOGINS.items())
    def test_demo_login_has_its_role_and_the_demo_password(self, demo, username, role):
        user = _login(username)
        assert user is not None and user.username == username
        assert not user.must_change_password
        assert Membership.objects.filter(user=user, school=demo, role=role).exists()

    def test_admin_is_a_superuser(self, demo):
        assert User.objects.filter(username="admin", is_superuser=True, is_staff=True).exists()

    def test_teacher_is_head_teacher_of_six_two_and_teaches_chinese_there(self, demo):
        term = Term.objects.get(school=demo, is_current=True)
        mine = TeachingAssignment.objects.filter(term=term, teacher__username="teacher")
        assert {(a.school_class.name, a.is_head_teacher, a.subject) for a in mine} == {
            ("六(2)班", True, ""), ("六(2)班", False, "语文")
        }

    def test_maths_teaches_maths_only(self, demo):
        subjects = set(TeachingAssignment.objects.filter(teacher__username="maths").values_list("subject", "is_head_teacher"))
        assert subjects == {("数学", False)}

    def test_parent_has_two_children_in_different_classes(self, demo):
        classes = Enrollment.objects.filter(
            student__guardianships__guardian__user__username="parent", end_date__isnull=True
        ).values_list("school_class__name", flat=True)
        assert sorted(classes) == ["三(1)班", "六(2)班"]

    def test_parent_logs_in_by_mobile(self, demo):
        user = _login(PARENT_MOBILE)
        assert user is not None and user.username == "parent"

    def test_wrong_password_is_refused(self, demo):
        assert authenticate(request=RequestFactory().post("/login/"), username="teacher", password="wrong-password") is None

    def test_generated_names_are_two_or_three_chinese_characters(self, demo):
        names = list(Student.objects.filter(school=demo).values_list("name", flat=True))
        names += Guardian.objects.filter(school=demo).values_list("name", flat=True)
        names += User.objects.filter(memberships__school=demo).values_list("full_name", flat=True)
        assert names
        assert [n for n in names if not CHINESE_NAME.fullmatch(n)] == []

    def test_seed_attributes_no_audit_row_to_a_person(self, demo):
        # The demo runs the office's jobs once (the dorm ladder, the weekly
        # ranking), which log as the system; nothing claims a person acted.
        assert AuditEvent.objects.exists()
        assert not AuditEvent.objects.filter(actor__isnull=False).exists()
        assert set(AuditEvent.objects.values_list("action", flat=True)) <= {"moral_ed.dorm_case.opened", "moral_ed.evaluation.published"}

    def test_second_run_changes_no_count(self, demo):
        before = _counts()
        output = _seed()
        assert _counts() == before
        assert "nothing (already complete)" in output
        assert _login("teacher") is not None

    def test_second_run_restores_a_demo_login_and_its_password(self, demo):
        User.objects.filter(username="parent").update(password="!", is_active=False, must_change_password=True)
        before = _counts()
        _seed()
        assert _counts() == before
        assert _login("parent") is not None

    def test_summary_lists_the_demo_logins(self, demo_output):
        for username in DEMO_LOGINS:
            assert re.search(rf"^{username}\s.*{DEMO_PASSWORD}", demo_output, re.MULTILINE)


def test_command_refuses_without_debug(db, settings):
    settings.DEBUG = False
    before = _counts()
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == before


@pytest.mark.parametrize(
    "today,year,term",
    [
        ("2026-11-22", "2026-2027", 1),
        ("2027-01-20", "2026-2027", 1),
        ("2027-02-01", "2026-2027", 2),  # winter break: the next term
        ("2027-05-01", "2026-2027", 2),
        ("2027-07-20", "2027-2028", 1),  # summer: the next school year
        ("2027-08-31", "2027-2028", 1),
    ],
)
def test_demo_calendar_marks_the_term_containing_today_or_the_next(today, year, term):
    calendar = demo_calendar(datetime.date.fromisoformat(today))
    assert (calendar.name, calendar.current_number) == (year, term)


def test_plans_are_deterministic():
    assert class_plan(entry_year=2021, number=2) == class_plan(entry_year=2021, number=2)
    assert class_plan(entry_year=2021, number=2) != class_plan(entry_year=2021, number=3)


def test_name_generator_gives_two_or_three_chinese_characters():
    import random

    rng = random.Random(1)
    for generation in ("child", "adult", "elder"):
        for gender in ("M", "F"):
            for _ in range(200):
                assert CHINESE_NAME.fullmatch(name_generate(rng, gender=gender, generation=generation))


def test_if_empty_builds_on_an_empty_database(db, settings):
    settings.DEBUG = True
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", "--if-empty", stdout=io.StringIO())
    assert Student.objects.filter(school__code="DEMO").count() >= 24 * 38


def test_if_empty_does_nothing_when_a_school_exists(db, settings):
    settings.DEBUG = True
    School.objects.create(code="REAL", name="真实学校")
    before = _counts()
    call_command("seed_demo", "--if-empty", stdout=io.StringIO())
    assert _counts() == before
    assert not School.objects.filter(code="DEMO").exists()

