"""factory_boy factories for every model the tests build."""

import datetime

import factory
from django.contrib.auth.hashers import make_password

from accounts.models import Membership, Role, User
from classes.models import Grade, School, SchoolClass, SchoolYear, TeachingAssignment, Term, default_class_name
from students.models import Enrollment, Guardian, Guardianship, Student

PASSWORD = "test-pass-8421"
# Hashing once keeps the suite fast; the value is an ordinary PBKDF2 hash.
_PASSWORD_HASH = make_password(PASSWORD)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"S{n:03d}")
    name = factory.Sequence(lambda n: f"第{n + 1}实验小学")


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear

    school = factory.SubFactory(SchoolFactory)
    name = "2026-2027"
    start_date = datetime.date(2026, 9, 1)
    end_date = datetime.date(2027, 7, 31)


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    school_year = factory.SubFactory(SchoolYearFactory)
    school = factory.SelfAttribute("school_year.school")
    number = 1
    start_date = datetime.date(2026, 9, 1)
    end_date = datetime.date(2027, 1, 20)
    is_current = True


class GradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grade
        django_get_or_create = ["school", "level"]

    school = factory.SubFactory(SchoolFactory)
    level = 6
    name = factory.LazyAttribute(lambda o: f"{o.level}年级")


class SchoolClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolClass

    school_year = factory.SubFactory(SchoolYearFactory)
    school = factory.SelfAttribute("school_year.school")
    grade = factory.SubFactory(GradeFactory, school=factory.SelfAttribute("..school"))
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: default_class_name(o.grade.level, o.number))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = _PASSWORD_HASH


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = Role.HEAD_TEACHER


class TeachingAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeachingAssignment

    school_class = factory.SubFactory(SchoolClassFactory)
    school = factory.SelfAttribute("school_class.school")
    term = factory.SubFactory(TermFactory)
    teacher = factory.SubFactory(UserFactory)
    subject = ""
    is_head_teacher = True


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    school = factory.SubFactory(SchoolFactory)
    student_number = factory.Sequence(lambda n: f"F{n:06d}")
    name = factory.Sequence(lambda n: f"学生{n}")
    gender = "F"


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    student = factory.SubFactory(StudentFactory)
    school = factory.SelfAttribute("student.school")
    school_class = factory.SubFactory(SchoolClassFactory)
    school_year = factory.SelfAttribute("school_class.school_year")
    start_date = datetime.date(2026, 9, 1)


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    school = factory.SubFactory(SchoolFactory)
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    name = factory.Sequence(lambda n: f"家长{n}")
    # As the roster import does: the account carries the guardian's name.
    user = factory.SubFactory(
        UserFactory,
        username=factory.SelfAttribute("..mobile"),
        mobile=factory.SelfAttribute("..mobile"),
        full_name=factory.SelfAttribute("..name"),
    )


class GuardianshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardianship

    student = factory.SubFactory(StudentFactory)
    guardian = factory.SubFactory(GuardianFactory, school=factory.SelfAttribute("..student.school"))
    school = factory.SelfAttribute("student.school")
    relationship = "mother"
    is_primary = False
