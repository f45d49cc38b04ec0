"""The checked rows written. Runs inside the caller's transaction
(services.roster_import_run): any exception undoes every row. Re-running
the same records changes nothing: students are keyed by (school, student
number), guardians by (school, mobile), teachers by username.

Students and guardians are written set-based (a school's roster is
thousands of rows); teachers row by row through the services (a teacher
list is a few hundred rows at most)."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from accounts.models import Membership, Role
from accounts.services import membership_grant, memberships_grant
from classes.models import TeachingAssignment
from students.models import Enrollment, Guardian, Guardianship, Student
from students.services import initial_password_set

from .validation import SchoolContext, StudentRecord, TeacherChecker, TeacherRecord, teacher_accounts_not_ours

GUARDIAN = "guardian"
TEACHER = "teacher"
# Rows per statement: below SQLite's and PostgreSQL's limits on parameters.
CHUNK = 500


@dataclass
class Written:
    counts: dict
    # One entry per account created, with its one-time password.
    credentials: list[dict] = field(default_factory=list)


def _chunks(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def students_write(records: list[StudentRecord], ctx: SchoolContext, *, actor, on_date: datetime.date) -> Written:
    """Set-based: a few reads for the whole file, then one bulk statement
    per kind of change (no full_clean per row: validation.py checked every
    value against the same rules the models hold, and the constraints are
    the net). A re-import of the same file reads and writes nothing."""
    counts = dict.fromkeys(
        ("students_created", "students_updated", "students_unchanged", "class_moves", "guardians_created",
         "accounts_created", "guardian_links_removed"),
        0,
    )
    changed = set()  # student numbers with any change
    students, created = _students_write(records, ctx, changed)
    counts["class_moves"] = _enrollments_write(records, ctx, students, created, changed, on_date)
    guardians, new_accounts = _guardians_write(records, ctx, actor, counts, changed)
    counts["guardian_links_removed"] = _guardianships_write(records, ctx, students, guardians, changed)
    for record in records:
        student = students[record.student_number]
        for g in record.guardians:
            if g.mobile in new_accounts:
                new_accounts[g.mobile]["students"].append(student.name)
                new_accounts[g.mobile]["classes"].append(str(ctx.classes_by_id[record.class_id]))
        if record.student_number in created:
            counts["students_created"] += 1
        elif record.student_number in changed:
            counts["students_updated"] += 1
        else:
            counts["students_unchanged"] += 1
    counts["accounts_created"] = len(new_accounts)
    return Written(counts=counts, credentials=list(new_accounts.values()))


def _students_write(records, ctx, changed) -> tuple[dict, set]:
    """Create the new students, update the changed ones (an empty cell
    leaves the stored value; a student who had left is back)."""
    students = {}
    for chunk in _chunks(r.student_number for r in records):
        students.update(
            (s.student_number, s) for s in Student.objects.filter(school=ctx.school, student_number__in=chunk)
        )
    new, updated, fields = [], [], set()
    for record in records:
        student = students.get(record.student_number)
        if student is None:
            student = Student(
                school=ctx.school,
                student_number=record.student_number,
                name=record.name,
                gender=record.gender,
                birth_date=record.birth_date,
            )
            students[record.student_number] = student
            new.append(student)
            continue
        row_changed = False
        for name, value in (("name", record.name), ("gender", record.gender), ("birth_date", record.birth_date)):
            if value not in ("", None) and getattr(student, name) != value:
                setattr(student, name, value)
                fields.add(name)
                row_changed = True
        if not student.is_active:
            student.is_active = True
            fields.add("is_active")
            row_changed = True
        if row_changed:
            updated.append(student)
            changed.add(record.student_number)
    Student.objects.bulk_create(new, batch_size=CHUNK)
    if updated:
        Student.objects.bulk_update(updated, sorted(fields), batch_size=CHUNK)
    return students, {s.student_number for s in new}


def _enrollments_write(records, ctx, students, created, changed, on_date) -> int:
    """Each student in the row's class for the school year. A different
    open class is closed the day before `on_date` (kept as history) and a
    new enrollment opens, as students.services.enrollment_place does.
    Returns the number of class changes of students already known."""
    year_id = ctx.term.school_year_id
    ids = [students[r.student_number].pk for r in records]
    current = {}
    for chunk in _chunks(ids):
        current.update(
            (e.student_id, e)
            for e in Enrollment.objects.select_for_update().filter(
                student_id__in=chunk, school_year_id=year_id, end_date__isnull=True
            )
        )
    closing, opening, moves = [], [], 0
    for record in records:
        student = students[record.student_number]
        school_class = ctx.classes_by_id[record.class_id]
        open_now = current.get(student.pk)
        if open_now is not None and open_now.school_class_id == school_class.pk:
            continue
        start = on_date
        if open_now is not None:
            open_now.end_date = max(open_now.start_date, on_date - datetime.timedelta(days=1))
            closing.append(open_now)
            start = max(on_date, open_now.end_date)
        opening.append(
            Enrollment(
                school=ctx.school, student=student, school_class=school_class, school_year_id=year_id, start_date=start
            )
        )
        if record.student_number not in created:
            moves += 1
            changed.add(record.student_number)
    # Closed first: enrollment_one_open_per_year allows one open row a year.
    if closing:
        Enrollment.objects.bulk_update(closing, ["end_date"], batch_size=CHUNK)
    Enrollment.objects.bulk_create(opening, batch_size=CHUNK)
    return moves


def _guardians_write(records, ctx, actor, counts, changed) -> tuple[dict, dict]:
    """The guardian of each mobile number in the file, with a login
    account: an existing guardian of the school keeps its account; a
    person who already has an account with that number keeps it and its
    password (validation refused accounts of other schools); anyone else
    gets a new account with a one-time password. Every guardian holds the
    guardian role in the school. Returns (mobile -> guardian, mobile ->
    credentials entry of each new account)."""
    User = get_user_model()
    names = {}  # mobile -> name in the file (validation: one name per mobile)
    first_student = {}  # mobile -> student number of the first row naming it
    for record in records:
        for g in record.guardians:
            names.setdefault(g.mobile, g.name)
            first_student.setdefault(g.mobile, record.student_number)
    guardians = {}
    for chunk in _chunks(names):
        guardians.update((g.mobile, g) for g in Guardian.objects.filter(school=ctx.school, mobile__in=chunk))
    renamed = [g for mobile, g in guardians.items() if g.name != names[mobile]]
    for guardian in renamed:
        guardian.name = names[guardian.mobile]
        changed.add(first_student[guardian.mobile])
    if renamed:
        Guardian.objects.bulk_update(renamed, ["name"], batch_size=CHUNK)

    missing = [mobile for mobile in names if mobile not in guardians]
    users = {}
    for chunk in _chunks(missing):
        users.update((u.mobile, u) for u in User.objects.filter(mobile__in=chunk))
    _refuse_accounts_of_other_schools(users.values(), ctx.school)
    new_users, new_accounts = [], {}
    for mobile in missing:
        if mobile not in users:
            user = User(username=mobile, mobile=mobile, full_name=names[mobile])
            password = initial_password_set(user)
            users[mobile] = user
            new_users.append(user)
            new_accounts[mobile] = _credential(user, names[mobile], mobile, GUARDIAN, password)
    User.objects.bulk_create(new_users, batch_size=CHUNK)
    new_guardians = [
        Guardian(school=ctx.school, user=users[mobile], name=names[mobile], mobile=mobile) for mobile in missing
    ]
    Guardian.objects.bulk_create(new_guardians, batch_size=CHUNK)
    guardians.update((g.mobile, g) for g in new_guardians)
    counts["guardians_created"] = len(new_guardians)
    memberships_grant(user_ids=[g.user_id for g in guardians.values()], school=ctx.school, role=Role.GUARDIAN,
                      actor=actor, chunk=CHUNK)
    return guardians, new_accounts


class AccountsChanged(Exception):
    """An account the checked rows would link was made, or given a role,
    by another school after the rows were checked (the check ran under this
    school's lock, not theirs). Nothing may be written."""


def _refuse_accounts_of_other_schools(users, school) -> None:
    """The rows were checked under this school's lock; another school's
    import may still have committed an account with one of the file's
    numbers since. Linked here it would be shared with that school, which
    validation refuses (validation.StudentChecker.check_against_database)."""
    users = list(users)
    if not users:
        return
    elsewhere = Membership.objects.filter(user__in=users).exclude(school=school).exists()
    if elsewhere or any(u.is_superuser for u in users):
        raise AccountsChanged


def _refuse_teacher_accounts_of_other_schools(records, school) -> None:
    """As for guardians: an account another school made, or gave a role,
    under one of the file's login names since the rows were checked must
    not be renamed or given a role here (validation.teacher_accounts_not_ours)."""
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in={r.username for r in records})}
    if not users:
        return
    foreign, shared = teacher_accounts_not_ours(users, school)
    if foreign or any(r.username in shared and TeacherChecker.changes_account(users[r.username], r) for r in records):
        raise AccountsChanged


def _guardianships_write(records, ctx, students, guardians, changed) -> int:
    """Link each row's guardians (guardian 1 is the primary contact); a
    row that names guardians is the student's full list, so links to
    guardians it no longer names go (the guardian keeps the account). A
    row without guardian cells leaves the student's links as they are.
    Returns the number of links removed."""
    with_guardians = [r for r in records if r.guardians]
    links = {}  # student id -> {guardian id: link}
    for chunk in _chunks(students[r.student_number].pk for r in with_guardians):
        for link in Guardianship.objects.filter(student_id__in=chunk):
            links.setdefault(link.student_id, {})[link.guardian_id] = link
    removed, unflag, updated, new = [], [], [], []
    for record in with_guardians:
        student = students[record.student_number]
        have = links.get(student.pk, {})
        wanted = {guardians[g.mobile].pk: g for g in record.guardians}
        row_changed = False
        for guardian_id, link in have.items():
            if guardian_id not in wanted:
                removed.append(link.pk)
                row_changed = True
            elif link.is_primary and not wanted[guardian_id].is_primary:
                unflag.append(link.pk)
        for guardian_id, g in wanted.items():
            link = have.get(guardian_id)
            if link is None:
                new.append(
                    Guardianship(
                        school=ctx.school,
                        student=student,
                        guardian=guardians[g.mobile],
                        relationship=g.relationship,
                        is_primary=g.is_primary,
                    )
                )
                row_changed = True
            elif (link.relationship, link.is_primary) != (g.relationship, g.is_primary):
                link.relationship, link.is_primary = g.relationship, g.is_primary
                updated.append(link)
                row_changed = True
        if row_changed:
            changed.add(record.student_number)
    # In this order, so guardianship_one_primary_contact holds after every
    # statement: links that go, then primary flags that go, then the rest.
    for chunk in _chunks(removed):
        Guardianship.objects.filter(pk__in=chunk).delete()
    for chunk in _chunks(unflag):
        Guardianship.objects.filter(pk__in=chunk).update(is_primary=False)
    if updated:
        Guardianship.objects.bulk_update(updated, ["relationship", "is_primary"], batch_size=CHUNK)
    Guardianship.objects.bulk_create(new, batch_size=CHUNK)
    return len(removed)


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
    _refuse_teacher_accounts_of_other_schools(records, ctx.school)
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
