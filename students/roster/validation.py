"""Every row checked against the file and the school, every problem
collected; nothing is written. The result is the list of records the
writer needs, or the problems that stop the import."""

import abc
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts.models import Membership
from classes.models import GRADE_NAMES, Grade, SchoolClass, TeachingAssignment, default_class_name
from students.models import Guardian, Relationship

from .cells import text
from .columns import COLUMNS, Column
from .problems import CellProblem, Problem
from .reading import Table

BATCH_SIZE = 200


@dataclass(frozen=True)
class GuardianRecord:
    name: str
    relationship: str
    mobile: str
    is_primary: bool


@dataclass(frozen=True)
class StudentRecord:
    row: int
    student_number: str
    name: str
    gender: str
    birth_date: datetime.date | None
    class_id: int
    guardians: tuple[GuardianRecord, ...]


@dataclass(frozen=True)
class TeacherRecord:
    row: int
    username: str
    name: str
    mobile: str
    class_id: int
    subject: str
    is_head_teacher: bool


@dataclass
class SchoolContext:
    """What the checks need to know about the school, read once."""

    school: object
    term: object
    grades: dict[int, Grade]
    classes: dict[tuple[int, int], SchoolClass]  # (grade level, class number) -> class
    classes_by_id: dict[int, SchoolClass]

    @classmethod
    def load(cls, school, term):
        classes = list(
            SchoolClass.objects.filter(school=school, school_year=term.school_year).select_related("grade", "school_year")
        )
        return cls(
            school=school,
            term=term,
            grades={g.level: g for g in Grade.objects.filter(school=school)},
            classes={(c.grade.level, c.number): c for c in classes},
            classes_by_id={c.pk: c for c in classes},
        )


@dataclass
class Checked:
    kind: str
    records: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def validate(table: Table, ctx: SchoolContext, *, progress: Callable[[int], None] | None = None) -> Checked:
    """Check every row in batches; `progress(rows_done)` is called after each."""
    checker = (StudentChecker if table.kind == "students" else TeacherChecker)(table, ctx)
    checked = Checked(kind=table.kind, problems=list(table.problems))
    for start in range(0, len(table.rows), BATCH_SIZE):
        batch = table.rows[start : start + BATCH_SIZE]
        checker.check_batch(batch, checked)
        if progress:
            progress(start + len(batch))
    checked.problems.sort(key=lambda p: (p.row or 0, _column_order(table, p.column)))
    return checked


def _column_order(table: Table, header: str) -> int:
    keys = [c.key for c in COLUMNS[table.kind]]
    for key, written in table.headers.items():
        if written == header:
            return keys.index(key)
    return len(keys)


class RowReader:
    """Reads one row's cells with the column table, collecting problems."""

    def __init__(self, table: Table, number: int, cells: list, problems: list[Problem]):
        self.table = table
        self.number = number
        self.problems = problems
        self.raw = {}
        for index, column in table.columns.items():
            self.raw[column.key] = cells[index] if index < len(cells) else None
        self.bad = set()

    def header(self, key: str) -> str:
        if key in self.table.headers:
            return self.table.headers[key]
        return next(c.header for c in COLUMNS[self.table.kind] if c.key == key)

    def filled(self, key: str) -> bool:
        value = self.raw.get(key)
        return value is not None and str(value).strip() != ""

    def get(self, column: Column, *, required: bool | None = None):
        """The cell's value; None when empty (a problem if required) or bad."""
        required = column.required if required is None else required
        if not self.filled(column.key):
            if required:
                self.add(column.key, "required")
            return None
        if len(text(self.raw[column.key])) > column.max_length:
            self.add(column.key, "too_long", max=column.max_length)
            return None
        try:
            return column.read(self.raw[column.key])
        except CellProblem as problem:
            self.add(column.key, problem.code, **problem.params)
            return None

    def add(self, key: str, code: str, **params) -> None:
        self.bad.add(key)
        self.problems.append(Problem(code=code, row=self.number, column=self.header(key), params=params))


def _columns(kind: str) -> dict[str, Column]:
    return {c.key: c for c in COLUMNS[kind]}


class _Checker(abc.ABC):
    kind = ""

    def __init__(self, table: Table, ctx: SchoolContext):
        self.table = table
        self.ctx = ctx
        self.columns = _columns(self.kind)

    def check_batch(self, batch, checked: Checked) -> None:
        candidates = []
        for number, cells in batch:
            reader = RowReader(self.table, number, cells, checked.problems)
            record = self.check_row(reader)
            if record is not None and not reader.bad:
                candidates.append((reader, record))
        self.check_against_database(candidates)
        checked.records.extend(record for reader, record in candidates if not reader.bad)

    def school_class(self, reader: RowReader, level: int | None, class_ref) -> SchoolClass | None:
        """The class a row names: the 年级 column's level, or the one in the
        class name (六(2)班); both given must agree."""
        if class_ref is None or "grade" in reader.bad:
            return None  # a wrong 年级 is reported once, not again on 班级
        class_level, number = class_ref
        if level is not None and class_level is not None and level != class_level:
            reader.add("class", "class_grade_mismatch", value=text(reader.raw["class"]), grade=text(reader.raw["grade"]))
            return None
        level = level if level is not None else class_level
        if level is None:
            reader.add("class", "class_needs_grade")
            return None
        if level not in self.ctx.grades:
            key = "grade" if reader.filled("grade") else "class"
            reader.add(key, "grade_missing", value=GRADE_NAMES.get(level, str(level)))
            return None
        school_class = self.ctx.classes.get((level, number))
        if school_class is None:
            reader.add(
                "class",
                "class_missing",
                class_name=default_class_name(level, number),
                year=self.ctx.term.school_year.name,
            )
        return school_class

    @abc.abstractmethod
    def check_row(self, reader: RowReader):
        """Check one row's cells; return the row's candidate or None."""

    @abc.abstractmethod
    def check_against_database(self, candidates) -> None:
        """Check the file's rows against what the school already has."""


class StudentChecker(_Checker):
    kind = "students"

    def __init__(self, table, ctx):
        super().__init__(table, ctx)
        self.numbers = {}  # student number -> row
        self.mobiles = {}  # mobile -> (guardian name, row)

    def check_row(self, reader: RowReader) -> StudentRecord | None:
        c = self.columns
        number = reader.get(c["student_number"])
        name = reader.get(c["name"])
        gender = reader.get(c["gender"]) or ""
        birth_date = reader.get(c["birth_date"])
        level = reader.get(c["grade"])
        school_class = self.school_class(reader, level, reader.get(c["class"]))
        guardians = self.guardians(reader)
        if number is not None:
            self.unique_number(reader, number)
        if reader.bad:
            return None
        return StudentRecord(reader.number, number, name, gender, birth_date, school_class.pk, guardians)

    def unique_number(self, reader, number):
        if number in self.numbers:
            reader.add("student_number", "duplicate_student_number", value=number, other_row=self.numbers[number])
        else:
            self.numbers[number] = reader.number

    def guardians(self, reader: RowReader) -> tuple[GuardianRecord, ...]:
        found = []
        for n in (1, 2):
            keys = (f"guardian{n}_name", f"guardian{n}_relationship", f"guardian{n}_mobile")
            if not any(reader.filled(k) for k in keys):
                continue
            name = reader.get(self.columns[keys[0]], required=True)
            # An empty relationship means another guardian (cells.relationship).
            relationship = reader.get(self.columns[keys[1]]) if reader.filled(keys[1]) else Relationship.OTHER
            mobile = reader.get(self.columns[keys[2]], required=True)
            if name is None or mobile is None or relationship is None:
                continue
            if found and found[0].mobile == mobile:
                reader.add(keys[2], "mobile_twice_in_row", value=mobile)
                continue
            if self.same_person(reader, keys[2], name, mobile):
                found.append(GuardianRecord(name, relationship, mobile, is_primary=not found))
        return tuple(found)

    def same_person(self, reader, key, name, mobile) -> bool:
        """One mobile number is one person: the same name wherever it appears."""
        seen = self.mobiles.setdefault(mobile, (name, reader.number))
        if seen[0] != name:
            reader.add(key, "mobile_other_name", value=mobile, other_name=seen[0], other_row=seen[1])
            return False
        return True

    def check_against_database(self, candidates) -> None:
        """A new guardian's account is named after the mobile number: that
        login name must be free (or already be this mobile's account). An
        existing account is linked only when it is this school's alone: an
        account with a role in another school, or a superuser's, is shared
        with people this school's administrator does not answer for, and
        only a superuser links it (a guardian the school already has keeps
        its account)."""
        mobiles = {g.mobile for _, record in candidates for g in record.guardians}
        if not mobiles:
            return
        users = get_user_model().objects.filter(Q(mobile__in=mobiles) | Q(username__in=mobiles))
        with_mobile = {}  # mobile -> (user id, is superuser)
        taken = set()
        for pk, username, user_mobile, is_superuser in users.values_list("pk", "username", "mobile", "is_superuser"):
            if user_mobile:
                with_mobile[user_mobile] = (pk, is_superuser)
            taken.add(username)
        known_here = set(Guardian.objects.filter(school=self.ctx.school, mobile__in=mobiles).values_list("mobile", flat=True))
        elsewhere = set(
            Membership.objects.filter(user_id__in=[pk for pk, _ in with_mobile.values()])
            .exclude(school=self.ctx.school)
            .values_list("user_id", flat=True)
        )
        for reader, record in candidates:
            for n, guardian in enumerate(record.guardians, start=1):
                account = with_mobile.get(guardian.mobile)
                if account is None:
                    if guardian.mobile in taken:
                        reader.add(f"guardian{n}_mobile", "login_taken", value=guardian.mobile)
                elif guardian.mobile not in known_here and (account[1] or account[0] in elsewhere):
                    reader.add(f"guardian{n}_mobile", "mobile_foreign", value=guardian.mobile)


class TeacherChecker(_Checker):
    kind = "teachers"

    def __init__(self, table, ctx):
        super().__init__(table, ctx)
        self.people = {}  # username -> (name, mobile, row)
        self.mobiles = {}  # mobile -> username
        self.assignments = {}  # (username, class id, subject) -> row
        self.heads = {}  # class id -> (username, row)
        self.current_heads = {
            a.school_class_id: a.teacher
            for a in TeachingAssignment.objects.filter(term=ctx.term, is_head_teacher=True).select_related("teacher")
        }

    def check_row(self, reader: RowReader) -> TeacherRecord | None:
        c = self.columns
        username = reader.get(c["username"])
        name = reader.get(c["name"])
        mobile = reader.get(c["mobile"]) or ""
        school_class = self.school_class(reader, reader.get(c["grade"]), reader.get(c["class"]))
        subject = reader.get(c["subject"]) or ""
        is_head = reader.get(c["is_head_teacher"]) or False
        if not is_head and not subject and "subject" not in reader.bad:
            reader.add("subject", "subject_required")
        if reader.bad:
            return None
        record = TeacherRecord(reader.number, username, name, mobile, school_class.pk, subject, is_head)
        self.consistent(reader, record)
        return None if reader.bad else record

    def consistent(self, reader, record: TeacherRecord) -> None:
        """A teacher on several rows is one person; an assignment and a
        class's head teacher appear once."""
        name, mobile, row = self.people.setdefault(record.username, (record.name, record.mobile, reader.number))
        if name != record.name:
            reader.add("name", "username_other_name", value=record.username, other_name=name, other_row=row)
        if mobile and record.mobile and mobile != record.mobile:
            reader.add("mobile", "username_other_mobile", value=record.username, other_row=row)
        if record.mobile and self.mobiles.setdefault(record.mobile, record.username) != record.username:
            reader.add("mobile", "mobile_other_account", value=record.mobile)
        key = (record.username, record.class_id, record.subject)
        if key in self.assignments:
            reader.add("subject", "duplicate_assignment", other_row=self.assignments[key])
        self.assignments.setdefault(key, reader.number)
        if record.is_head_teacher:
            head = self.heads.setdefault(record.class_id, (record.username, reader.number))
            if head[0] != record.username:
                class_name = str(self.ctx.classes_by_id[record.class_id])
                reader.add("is_head_teacher", "head_teacher_twice", class_name=class_name, other_row=head[1])

    def check_against_database(self, candidates) -> None:
        usernames = {record.username for _, record in candidates}
        mobiles = {record.mobile for _, record in candidates if record.mobile}
        User = get_user_model()
        users = {u.username: u for u in User.objects.filter(username__in=usernames)}
        by_mobile = dict(User.objects.filter(mobile__in=mobiles).values_list("mobile", "username"))
        foreign, shared = self.foreign_usernames(users)
        for reader, record in candidates:
            if record.username in foreign:
                reader.add("username", "username_foreign", value=record.username)
            elif record.username in shared and self.changes_account(users[record.username], record):
                reader.add("username", "username_shared", value=record.username)
            if record.mobile and by_mobile.get(record.mobile, record.username) != record.username:
                reader.add("mobile", "mobile_other_account", value=record.mobile)
            head = self.current_heads.get(record.class_id)
            if record.is_head_teacher and head is not None and head.username != record.username:
                reader.add(
                    "is_head_teacher",
                    "head_teacher_taken",
                    class_name=str(self.ctx.classes_by_id[record.class_id]),
                    other_name=str(head),
                )

    @staticmethod
    def changes_account(user, record: TeacherRecord) -> bool:
        return user.full_name != record.name or bool(record.mobile and user.mobile != record.mobile)

    def foreign_usernames(self, users: dict) -> tuple[set[str], set[str]]:
        return teacher_accounts_not_ours(users, self.ctx.school)


def teacher_accounts_not_ours(users: dict, school) -> tuple[set[str], set[str]]:
    """Of `users` (login name -> account): those the school may not take
    over (superusers, and people who hold roles only in other schools), and
    those it shares with another school, whose name and mobile it may not
    change (the other school's people log in with them). The check runs
    before writing and again inside the write (writing.teachers_write)."""
    member_here = set(Membership.objects.filter(user__in=users.values(), school=school).values_list("user_id", flat=True))
    member_anywhere = set(Membership.objects.filter(user__in=users.values()).values_list("user_id", flat=True))
    member_elsewhere = set(
        Membership.objects.filter(user__in=users.values()).exclude(school=school).values_list("user_id", flat=True)
    )
    foreign = {
        name for name, user in users.items() if user.is_superuser or (user.pk in member_anywhere and user.pk not in member_here)
    }
    shared = {name for name, user in users.items() if user.pk in member_elsewhere} - foreign
    return foreign, shared
