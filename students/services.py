"""Writes with a rule for students, guardians and enrollments.

Every function here is called by a service that already checked who may
write (the roster import, the demo seed, the admin); none reads a request.
"""

import datetime
import secrets
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.db import transaction

from accounts.models import Role
from accounts.services import membership_grant

from .models import Enrollment, Guardian, Guardianship, Student

# No 0/O/1/l/I: initial passwords are read aloud and typed on phones.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


INITIAL_PASSWORD_LENGTH = 11


def initial_password_generate() -> str:
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(INITIAL_PASSWORD_LENGTH))


# A one-time password is random (11 of 56 characters, about 64 bits) and
# must be changed at first login, so it needs far fewer hash rounds than a
# password a person chose; a school-wide import creates thousands of them
# (5,000 rows make about 8,000 guardian accounts) and each full-strength
# hash takes a fraction of a second. 1,000 rounds of PBKDF2 add about 10
# bits of work: guessing one such password from a stolen hash stays
# stronger than it was with 10 characters and 5,000 rounds (about 74 bits
# against 70), at a fifth of the import's time. Django rehashes it at full
# strength on the first successful login (the iterations differ).
_INITIAL_PASSWORD_HASHER = PBKDF2PasswordHasher()
_INITIAL_PASSWORD_HASHER.iterations = 1_000


def initial_password_set(user) -> str:
    """Give `user` (not saved here) a fresh one-time password that must be
    changed at first login; returns the password in clear text."""
    password = initial_password_generate()
    user.password = make_password(password, hasher=_INITIAL_PASSWORD_HASHER)
    user.must_change_password = True
    return password


class StudentUpsert(NamedTuple):
    student: Student
    created: bool
    changed: bool


class Placement(NamedTuple):
    enrollment: Enrollment
    moved_or_created: bool


class GuardianAccount(NamedTuple):
    guardian: Guardian
    created: bool
    initial_password: str | None  # only for a new account


class Link(NamedTuple):
    guardianship: Guardianship
    changed: bool


def student_upsert(*, school, student_number: str, name: str, gender: str = "", birth_date=None) -> StudentUpsert:
    """Create or update the student with this number."""
    student = Student.objects.filter(school=school, student_number=student_number).first()
    if student is None:
        student = Student(school=school, student_number=student_number, name=name, gender=gender, birth_date=birth_date)
        student.full_clean()
        student.save()
        return StudentUpsert(student, True, False)
    changed = False
    for field, value in (("name", name), ("gender", gender), ("birth_date", birth_date)):
        if value not in ("", None) and getattr(student, field) != value:
            setattr(student, field, value)
            changed = True
    if not student.is_active:
        student.is_active = True
        changed = True
    if changed:
        student.full_clean()
        student.save()
    return StudentUpsert(student, False, changed)


def enrollment_place(*, student, school_class, on_date: datetime.date) -> Placement:
    """Put `student` in `school_class` for the class's school year.

    Idempotent: if the student is already in that class nothing changes.
    A different open class in the same year is closed the day before
    `on_date` (kept as history) and a new enrollment opens.
    """
    current = (
        Enrollment.objects.select_for_update()
        .filter(student=student, school_year_id=school_class.school_year_id, end_date__isnull=True)
        .first()
    )
    if current is not None and current.school_class_id == school_class.pk:
        return Placement(current, False)
    if current is not None:
        current.end_date = max(current.start_date, on_date - datetime.timedelta(days=1))
        current.save(update_fields=["end_date"])
    enrollment = Enrollment(
        school=student.school,
        student=student,
        school_class=school_class,
        school_year=school_class.school_year,
        start_date=on_date if current is None else max(on_date, current.end_date),
    )
    enrollment.full_clean()
    enrollment.save()
    return Placement(enrollment, True)


@transaction.atomic
def guardian_account_upsert(*, school, name: str, mobile: str, password_hash: str | None = None, actor=None) -> GuardianAccount:
    """The guardian with this mobile in `school`, with a login account.

    A person who is already a user (by mobile) keeps their account and
    password; a new account gets a one-time initial password that must be
    changed at first login, returned in clear text once. `password_hash` (the demo seed) sets a known hash instead.
    `actor` is recorded on the audit row of a newly granted guardian role.
    """
    User = get_user_model()
    initial_password = None
    user = User.objects.filter(mobile=mobile).first()
    if user is None:
        user = User(username=mobile, mobile=mobile, full_name=name)
        if password_hash:
            user.password = password_hash
        else:
            initial_password = initial_password_set(user)
        user.full_clean()
        user.save()
    guardian = Guardian.objects.filter(school=school, mobile=mobile).first()
    created = guardian is None
    if created:
        guardian = Guardian(school=school, user=user, name=name, mobile=mobile)
        guardian.full_clean()
        guardian.save()
    elif guardian.name != name:
        guardian.name = name
        guardian.save(update_fields=["name"])
    membership_grant(user=user, school=school, role=Role.GUARDIAN, actor=actor)
    return GuardianAccount(guardian, created, initial_password)


def guardianship_link(*, student, guardian, relationship: str, is_primary: bool = False) -> Link:
    """Link a guardian to a student. Idempotent; updates the relationship.
    Making one guardian primary clears the flag on the others."""
    link = Guardianship.objects.filter(student=student, guardian=guardian).first()
    if is_primary:
        Guardianship.objects.filter(student=student, is_primary=True).exclude(guardian=guardian).update(is_primary=False)
    if link is None:
        link = Guardianship(
            school=student.school, student=student, guardian=guardian, relationship=relationship, is_primary=is_primary
        )
        link.full_clean()
        link.save()
        return Link(link, True)
    if link.relationship != relationship or link.is_primary != is_primary:
        link.relationship = relationship
        link.is_primary = is_primary
        link.save(update_fields=["relationship", "is_primary"])
        return Link(link, True)
    return Link(link, False)
