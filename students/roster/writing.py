"""The checked rows written. Runs inside the caller's transaction
(services.roster_import_run): any exception undoes every row. Re-running
the same records changes nothing: students are keyed by (school, student
number), guardians by (school, mobile), teachers by username."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from accounts.models import Role
from accounts.services import membership_grant
from classes.models import TeachingAssignment
from students.models import Guardian, Guardianship
from students.services import (
    enrollment_place,
    guardian_account_upsert,
    guardianship_link,
    initial_password_set,
    student_upsert,
)

from .validation import SchoolContext, StudentRecord, TeacherRecord

GUARDIAN = "guardian"
TEACHER = "teacher"


@dataclass
class Written:
    counts: dict
    # One entry per account created, with its one-time password.
    credentials: list[dict] = field(default_factory=list)


def students_write(records: list[StudentRecord], ctx: SchoolContext, *, actor, on_date: datetime.date) -> Written:
    counts = dict.fromkeys(
        ("students_created", "students_updated", "students_unchanged", "class_moves", "guardians_created",
         "accounts_created", "guardian_links_removed"),
        0,
    )
    mobiles = {g.mobile for r in records for g in r.guardians}
    names = dict(Guardian.objects.filter(school=ctx.school, mobile__in=mobiles).values_list("mobile", "name"))
    new_accounts = {}  # mobile -> credentials entry
    for record in records:
        student, created, changed = student_upsert(
            school=ctx.school,
            student_number=record.student_number,
            name=record.name,
            gender=record.gender,
            birth_date=record.birth_date,
        )
        school_class = ctx.classes_by_id[record.class_id]
        _, placed = enrollment_place(student=student, school_class=school_class, on_date=on_date)
        if placed and not created:
            counts["class_moves"] += 1
            changed = True
        changed |= _guardians_write(student, school_class, record, ctx, actor, counts, names, new_accounts)
        counts["students_created" if created else "students_updated" if changed else "students_unchanged"] += 1
    return Written(counts=counts, credentials=list(new_accounts.values()))


def _guardians_write(student, school_class, record, ctx, actor, counts, names, new_accounts) -> bool:
    """Link the row's guardians; a row that names guardians is the full
    list, so links to guardians it no longer names are removed (the
    guardian keeps the account). True if anything changed."""
    changed = False
    linked = []
    for g in record.guardians:
        guardian, created, password = guardian_account_upsert(
            school=ctx.school, name=g.name, mobile=g.mobile, actor=actor
        )
        counts["guardians_created"] += created
        changed |= not created and names.get(g.mobile, g.name) != g.name
        names[g.mobile] = g.name
        if password:
            counts["accounts_created"] += 1
            new_accounts[g.mobile] = _credential(guardian.user, g.name, g.mobile, GUARDIAN, password)
        if g.mobile in new_accounts:
            new_accounts[g.mobile]["students"].append(student.name)
            new_accounts[g.mobile]["classes"].append(str(school_class))
        _, link_changed = guardianship_link(
            student=student, guardian=guardian, relationship=g.relationship, is_primary=g.is_primary
        )
        changed |= link_changed
        linked.append(guardian.pk)
    if linked:
        removed, _ = Guardianship.objects.filter(student=student).exclude(guardian_id__in=linked).delete()
        counts["guardian_links_removed"] += removed
        changed |= bool(removed)
    return changed


def _credential(user, name, mobile, role, password) -> dict:
    return {
        "username": user.username,
        "name": name,
        "mobile": mobile or "",
        "role": role,
        "password": password,
        "students": [],
        "classes": [],
    }


def teachers_write(records: list[TeacherRecord], ctx: SchoolContext, *, actor) -> Written:
    counts = dict.fromkeys(
        ("teachers_created", "teachers_updated", "teachers_unchanged", "accounts_created", "assignments_created",
         "assignments_updated", "assignments_unchanged"),
        0,
    )
    people = {}  # username -> (user, credentials entry or None)
    for record in records:
        if record.username not in people:
            people[record.username] = _teacher_account(record, ctx, counts)
        user, credential = people[record.username]
        role = Role.HEAD_TEACHER if record.is_head_teacher else Role.SUBJECT_TEACHER
        membership_grant(user=user, school=ctx.school, role=role, actor=actor)
        outcome = _assignment_place(user, record, ctx)
        counts[f"assignments_{outcome}"] += 1
        if credential is not None:
            credential["classes"].append(str(ctx.classes_by_id[record.class_id]))
    credentials = [credential for _, credential in people.values() if credential is not None]
    return Written(counts=counts, credentials=credentials)


def _teacher_account(record: TeacherRecord, ctx, counts):
    """The teacher's account by login name: created with a one-time
    password, or its name and mobile brought up to date (validation made
    sure the account is this school's)."""
    User = get_user_model()
    user = User.objects.filter(username=record.username).first()
    if user is None:
        user = User(username=record.username, full_name=record.name, mobile=record.mobile or None)
        password = initial_password_set(user)
        user.full_clean()
        user.save()
        counts["teachers_created"] += 1
        counts["accounts_created"] += 1
        return user, _credential(user, record.name, record.mobile, TEACHER, password)
    changed = []
    if user.full_name != record.name:
        user.full_name = record.name
        changed.append("full_name")
    if record.mobile and user.mobile != record.mobile:
        user.mobile = record.mobile
        changed.append("mobile")
    if changed:
        user.full_clean()
        user.save(update_fields=changed)
    counts["teachers_updated" if changed else "teachers_unchanged"] += 1
    return user, None


def _assignment_place(user, record: TeacherRecord, ctx) -> str:
    """The row's teaching assignment in the current term: "created",
    "updated" or "unchanged". A head-teacher row makes the class's head
    assignment (with the row's subject); the import never removes an
    assignment or takes the head teacher role away (that is the admin's)."""
    base = TeachingAssignment.objects.filter(term=ctx.term, school_class_id=record.class_id)
    same = base.filter(teacher=user, subject=record.subject).first()
    if not record.is_head_teacher:
        if same is not None:
            return "unchanged"
        return _assignment_create(user, record, ctx)
    head = base.filter(is_head_teacher=True).first()  # validation: none, or this teacher's
    if head is not None and head.subject == record.subject:
        return "unchanged"
    if head is not None:
        if same is not None:
            same.delete()  # the subject assignment merges into the head assignment
        head.subject = record.subject
        head.full_clean()
        head.save(update_fields=["subject"])
        return "updated"
    if same is not None:
        same.is_head_teacher = True
        same.save(update_fields=["is_head_teacher"])
        return "updated"
    return _assignment_create(user, record, ctx)


def _assignment_create(user, record: TeacherRecord, ctx) -> str:
    assignment = TeachingAssignment(
        school=ctx.school,
        term=ctx.term,
        school_class=ctx.classes_by_id[record.class_id],
        teacher=user,
        subject=record.subject,
        is_head_teacher=record.is_head_teacher,
    )
    assignment.full_clean()
    assignment.save()
    return "created"
