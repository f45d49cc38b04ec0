"""The demo school (`python manage.py seed_demo`).

One fictional primary school, 青松路实验小学 (code DEMO), in the current
school year: six grades of four classes, about forty students a class with
one or two guardians each, head and subject teachers for both terms, the
school's other roles, and a handful of demo logins that share the password
`banwu-demo`. Every name is generated; every mobile number lies in a fake
block (1380000xxxx staff, 1390000xxxx guardians).

How it stays idempotent: the whole school is planned from fixed seeds, so
every run plans the same school, and the builder creates only the rows
whose natural key (the one the model's constraints hold) is missing. A
second run creates nothing. A class is planned by cohort (entry year and
class number), so a run in a later school year finds last year's students
under the same numbers and only enrols them in their new class.

Why not the per-row services in students.services: they take several
queries a row, too slow for ~5,000 rows. The rules they keep are kept here
by construction — the school on every row, one open enrollment per student
and school year, exactly one primary guardian per student, unique mobiles,
no second head teacher for a class and term — and each row passes its
model's field validation and clean() before the bulk insert (foreign keys
excepted: they point at rows made a moment before).

No audit rows: the demo data is nobody's act. There is no reset: the
conduct ledger is append-only, so the demo school, once used, stays; start
from an empty database for a fresh demo.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts import roles
from accounts.models import Membership, Role
from classes.models import GRADE_NAMES, Grade, School, SchoolClass, SchoolYear, TeachingAssignment, Term, default_class_name
from students.models import Enrollment, Gender, Guardian, Guardianship, Relationship, Student

DEMO_SCHOOL_CODE = "DEMO"
DEMO_SCHOOL_NAME = "青松路实验小学"
DEMO_PASSWORD = "banwu-demo"

SEED = "banwu-demo"
LEVELS = (1, 2, 3, 4, 5, 6)
CLASS_NUMBERS = (1, 2, 3, 4)
CLASS_SIZE = (38, 42)

STAFF_MOBILE_PREFIX = "1380000"
GUARDIAN_MOBILE_PREFIX = "1390000"
# Kept out of the sequential allocation: the `parent` login's own number.
PARENT_MOBILE = "13900000000"

TEACHER_CLASS = (6, 2)  # the `teacher` login is head teacher of 六(2)班
PARENT_CLASSES = ((6, 2), (3, 1))  # the `parent` login has a child in each

# username, what to show in the summary (the role; details are added from the data)
DEMO_LOGINS = (
    ("admin", Role.SCHOOL_ADMIN),
    ("principal", Role.PRINCIPAL),
    ("office", Role.OFFICE),
    ("teacher", Role.HEAD_TEACHER),
    ("maths", Role.SUBJECT_TEACHER),
    ("counsellor", Role.COUNSELLOR),
    ("parent", Role.GUARDIAN),
)
DEMO_USERNAMES = frozenset(username for username, _role in DEMO_LOGINS)
GENERATED_USERNAME_PREFIX = "demo_"


# --- Names -------------------------------------------------------------------
# Common single-character surnames, most frequent first, and given-name
# characters by generation. Names are drawn at random: no list of people.

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔汤"
)
# More common surnames are drawn more often (roughly as in the population).
_SURNAME_WEIGHTS = tuple(1 / (rank + 8) for rank in range(len(SURNAMES)))

_GIVEN = {
    ("child", Gender.MALE): "子浩宇轩泽睿博俊杰晨阳铭辰逸航瑞宸恒然嘉煜哲昊文翔皓锦奕诚安乐一天明远宁凯鹏",
    ("child", Gender.FEMALE): "子涵欣怡梓萱雨思诗佳可馨悦琪语彤依若婉晴美梦欢心妍茜璐瑶雪静楠一安乐宁诺",
    ("adult", Gender.MALE): "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁健亮俊峰建国志海林东文",
    ("adult", Gender.FEMALE): "芳娜敏静丽艳娟霞燕玲婷雪慧红琳莉颖晶洁倩萍兰云梅凤薇璐佳",
    ("elder", Gender.MALE): "国建华明德福春志永保长荣军金庆文生贵富祥",
    ("elder", Gender.FEMALE): "秀英兰凤桂珍玉芬淑琴华梅荣霞云翠香素",
}
# 子涵 and 一诺, but not 心子 or 杰一.
_LEADING_ONLY = "子一"
_TWO_CHARACTER_GIVEN = {"child": 0.85, "adult": 0.55, "elder": 0.7}


def surname_generate(rng: random.Random, *, other_than: str = "") -> str:
    while True:
        surname = rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0]
        if surname != other_than:
            return surname


def name_generate(rng: random.Random, *, gender: str, generation: str = "child", surname: str = "") -> str:
    """A Chinese name of two or three characters: surname plus one or two
    given-name characters from the pool for `generation` (child, adult,
    elder) and `gender`."""
    surname = surname or surname_generate(rng)
    pool = _GIVEN[(generation, gender)]
    first = rng.choice(pool)
    if rng.random() >= _TWO_CHARACTER_GIVEN[generation]:
        while first in _LEADING_ONLY:
            first = rng.choice(pool)
        return surname + first
    second = rng.choice(pool)
    while second == first or second in _LEADING_ONLY:
        second = rng.choice(pool)
    return surname + first + second


# --- Calendar ----------------------------------------------------------------


@dataclass(frozen=True)
class DemoCalendar:
    name: str
    start_date: datetime.date
    end_date: datetime.date
    terms: tuple[tuple[int, datetime.date, datetime.date], ...]
    current_number: int


def demo_calendar(today: datetime.date) -> DemoCalendar:
    """The school year to build on `today` and which term is current.

    A school year runs 1 Sep – 31 Jul; the first term 1 Sep – 20 Jan, the
    second 20 Feb – 10 Jul. The current term is the one containing `today`,
    else the next one: in the winter break the second term, after 10 Jul
    the first term of the next school year.
    """
    start_year = today.year if (today.month, today.day) > (7, 10) else today.year - 1
    first = (1, datetime.date(start_year, 9, 1), datetime.date(start_year + 1, 1, 20))
    second = (2, datetime.date(start_year + 1, 2, 20), datetime.date(start_year + 1, 7, 10))
    return DemoCalendar(
        name=f"{start_year}-{start_year + 1}",
        start_date=datetime.date(start_year, 9, 1),
        end_date=datetime.date(start_year + 1, 7, 31),
        terms=(first, second),
        current_number=1 if today <= first[2] else 2,
    )


# --- Plans -------------------------------------------------------------------


@dataclass(frozen=True)
class StaffPlan:
    username: str
    roles: tuple[str, ...]
    is_superuser: bool = False


@dataclass(frozen=True)
class AssignmentPlan:
    class_key: tuple[int, int]  # (grade level, class number)
    username: str
    subject: str
    is_head_teacher: bool


@dataclass(frozen=True)
class GuardianPlan:
    name: str
    relationship: str
    is_primary: bool
    # Guardians shared by several children (the `parent` login's family)
    # carry a key so they are made once; others are one child's own.
    shared_key: str = ""


@dataclass(frozen=True)
class StudentPlan:
    student_number: str
    name: str
    gender: str
    birth_date: datetime.date
    guardians: tuple[GuardianPlan, ...]


def _subject_teacher(plans, assignments, username, subject, class_keys, extra_roles=()):
    plans.append(StaffPlan(username, (Role.SUBJECT_TEACHER, *extra_roles)))
    assignments.extend(AssignmentPlan(key, username, subject, False) for key in class_keys)


def staff_plan() -> tuple[list[StaffPlan], list[AssignmentPlan]]:
    """Every staff account and every teaching assignment (the same for
    both terms). A head teacher also teaches 语文 (classes 1–2) or 数学
    (classes 3–4) in their class; a subject teacher teaches one subject in
    two to eight classes."""
    plans = [
        StaffPlan("admin", (Role.SCHOOL_ADMIN,), is_superuser=True),
        StaffPlan("principal", (Role.PRINCIPAL,)),
        StaffPlan("office", (Role.OFFICE,)),
        StaffPlan("counsellor", (Role.COUNSELLOR,)),
        StaffPlan(f"{GENERATED_USERNAME_PREFIX}teaching_office", (Role.TEACHING_OFFICE,)),
    ]
    assignments = []
    for level in LEVELS:
        for number in CLASS_NUMBERS:
            key = (level, number)
            username = "teacher" if key == TEACHER_CLASS else f"{GENERATED_USERNAME_PREFIX}head_{level}_{number}"
            plans.append(StaffPlan(username, (Role.HEAD_TEACHER, Role.SUBJECT_TEACHER)))
            assignments.append(AssignmentPlan(key, username, "", True))
            assignments.append(AssignmentPlan(key, username, "语文" if number <= 2 else "数学", False))
    for level in LEVELS:
        maths = "maths" if level == 6 else f"{GENERATED_USERNAME_PREFIX}maths_{level}"
        _subject_teacher(plans, assignments, maths, "数学", [(level, 1), (level, 2)])
        # The grade-6 语文 teacher leads the 语文 research group (教研组长).
        _subject_teacher(
            plans,
            assignments,
            f"{GENERATED_USERNAME_PREFIX}chinese_{level}",
            "语文",
            [(level, 3), (level, 4)],
            extra_roles=(Role.RESEARCH_LEADER,) if level == 6 else (),
        )
        if level >= 3:  # English from grade 3
            keys = [(level, n) for n in CLASS_NUMBERS]
            _subject_teacher(plans, assignments, f"{GENERATED_USERNAME_PREFIX}english_{level}", "英语", keys)
    for pair, levels in enumerate(((1, 2), (3, 4), (5, 6)), start=1):
        keys = [(level, n) for level in levels for n in CLASS_NUMBERS]
        for code, subject in (
            ("science", "科学"),
            ("morality", "道德与法治"),
            ("pe", "体育"),
            ("music", "音乐"),
            ("art", "美术"),
        ):
            _subject_teacher(plans, assignments, f"{GENERATED_USERNAME_PREFIX}{code}_{pair}", subject, keys)
    return plans, assignments


def _staff_people(plans: list[StaffPlan]) -> dict[str, tuple[str, str]]:
    """username -> (full name, mobile), fixed by the plan's order."""
    rng = random.Random(f"{SEED}:staff")
    people = {}
    for index, plan in enumerate(plans, start=1):
        gender = Gender.FEMALE if rng.random() < 0.7 else Gender.MALE
        people[plan.username] = (name_generate(rng, gender=gender, generation="adult"), f"{STAFF_MOBILE_PREFIX}{index:04d}")
    return people


def _guardians_for(rng: random.Random, surname: str) -> tuple[GuardianPlan, ...]:
    father = lambda primary: GuardianPlan(  # noqa: E731
        name_generate(rng, gender=Gender.MALE, generation="adult", surname=surname), Relationship.FATHER, primary
    )
    mother = lambda primary: GuardianPlan(  # noqa: E731
        name_generate(rng, gender=Gender.FEMALE, generation="adult", surname=surname_generate(rng, other_than=surname)),
        Relationship.MOTHER,
        primary,
    )
    draw = rng.random()
    if draw < 0.55:
        first = mother(True)
    elif draw < 0.9:
        first = father(True)
    elif draw < 0.96:
        first = GuardianPlan(
            name_generate(rng, gender=Gender.FEMALE, generation="elder", surname=surname_generate(rng)),
            Relationship.GRANDMOTHER,
            True,
        )
    else:
        first = GuardianPlan(
            name_generate(rng, gender=Gender.MALE, generation="elder", surname=surname), Relationship.GRANDFATHER, True
        )
    if rng.random() >= 0.75:
        return (first,)
    second = mother(False) if first.relationship == Relationship.FATHER else father(False)
    return (first, second)


def class_plan(*, entry_year: int, number: int) -> list[StudentPlan]:
    """The students of the cohort that entered in `entry_year`, class
    `number`: 38–42 of them, numbered <entry year><class><seat>, born in
    the school year before they started grade 1. The same arguments always
    give the same plan."""
    rng = random.Random(f"{SEED}:{entry_year}:{number}")
    earliest_birth = datetime.date(entry_year - 7, 9, 1)
    birth_days = (datetime.date(entry_year - 6, 9, 1) - earliest_birth).days
    students = []
    for seat in range(1, rng.randint(*CLASS_SIZE) + 1):
        gender = rng.choice((Gender.MALE, Gender.FEMALE))
        surname = surname_generate(rng)
        students.append(
            StudentPlan(
                student_number=f"{entry_year}{number:02d}{seat:02d}",
                name=name_generate(rng, gender=gender, surname=surname),
                gender=gender,
                birth_date=earliest_birth + datetime.timedelta(days=rng.randrange(birth_days)),
                guardians=_guardians_for(rng, surname),
            )
        )
    return students


@dataclass(frozen=True)
class ParentFamily:
    """The `parent` login (a mother), her husband and the surname of their two children."""

    mother: str
    father: str
    surname: str


def parent_family() -> ParentFamily:
    rng = random.Random(f"{SEED}:parent")
    surname = surname_generate(rng)
    return ParentFamily(
        mother=name_generate(rng, gender=Gender.FEMALE, generation="adult", surname=surname_generate(rng, other_than=surname)),
        father=name_generate(rng, gender=Gender.MALE, generation="adult", surname=surname),
        surname=surname,
    )


def _with_parent_family(student: StudentPlan, family: ParentFamily) -> StudentPlan:
    given = student.name[1:]
    return StudentPlan(
        student_number=student.student_number,
        name=family.surname + given,
        gender=student.gender,
        birth_date=student.birth_date,
        guardians=(
            GuardianPlan(family.mother, Relationship.MOTHER, True, shared_key="parent"),
            GuardianPlan(family.father, Relationship.FATHER, False, shared_key="parent-spouse"),
        ),
    )


# --- Building ------------------------------------------------------------------


@dataclass
class DemoLogin:
    username: str
    role: str
    mobile: str
    note: str
    password: str = DEMO_PASSWORD


@dataclass
class DemoResult:
    school: School
    school_year: SchoolYear
    current_term: Term
    created: Counter
    totals: dict[str, int]
    logins: list[DemoLogin]


def _validated(obj):
    """Field validation and clean() without queries: foreign keys point at
    rows this builder just made, and uniqueness is the database's job."""
    exclude = [f.name for f in obj._meta.concrete_fields if f.is_relation]
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    return obj


def _mobiles_in_block(prefix: str) -> set[str]:
    User = get_user_model()
    used = set(User.objects.filter(mobile__startswith=prefix).values_list("mobile", flat=True))
    used |= set(User.objects.filter(username__startswith=prefix).values_list("username", flat=True))
    used |= set(Guardian.objects.filter(mobile__startswith=prefix).values_list("mobile", flat=True))
    return used


def _free_mobiles(prefix: str, used: set[str]):
    for n in range(1, 10_000):
        mobile = f"{prefix}{n:04d}"
        if mobile not in used:
            yield mobile
    raise RuntimeError(f"No free demo mobile numbers left in {prefix}xxxx.")


class _Builder:
    def __init__(self, *, today: datetime.date, password_hash: str):
        self.today = today
        self.password_hash = password_hash
        self.created = Counter()
        self.User = get_user_model()

    # structure

    def school_ensure(self):
        school, created = School.objects.get_or_create(code=DEMO_SCHOOL_CODE, defaults={"name": DEMO_SCHOOL_NAME})
        self.created["schools"] += created
        if not school.is_active:
            school.is_active = True
            school.save(update_fields=["is_active"])
        self.school = school

    def calendar_ensure(self):
        cal = demo_calendar(self.today)
        year, created = SchoolYear.objects.get_or_create(
            school=self.school, name=cal.name, defaults={"start_date": cal.start_date, "end_date": cal.end_date}
        )
        self.created["school years"] += created
        terms = {}
        for number, start, end in cal.terms:
            terms[number], created = Term.objects.select_related("school_year").get_or_create(
                school_year=year, number=number, defaults={"school": self.school, "start_date": start, "end_date": end}
            )
            self.created["terms"] += created
        current = terms[cal.current_number]
        if not current.is_current:
            # term_one_current_per_school: clear the old current term first.
            Term.objects.filter(school=self.school, is_current=True).update(is_current=False)
            current.is_current = True
            current.save(update_fields=["is_current"])
        self.year, self.terms, self.current_term = year, terms, current

    def classes_ensure(self):
        grades = {g.level: g for g in Grade.objects.filter(school=self.school)}
        for level in LEVELS:
            if level not in grades:
                grades[level] = _validated(Grade(school=self.school, level=level, name=GRADE_NAMES[level]))
                grades[level].save()
                self.created["grades"] += 1
        existing = {(c.grade.level, c.number) for c in SchoolClass.objects.filter(school_year=self.year).select_related("grade")}
        missing = [
            _validated(
                SchoolClass(
                    school=self.school,
                    school_year=self.year,
                    grade=grades[level],
                    number=number,
                    name=default_class_name(level, number),
                )
            )
            for level in LEVELS
            for number in CLASS_NUMBERS
            if (level, number) not in existing
        ]
        SchoolClass.objects.bulk_create(missing)
        self.created["classes"] += len(missing)
        self.classes_by_key = {
            (c.grade.level, c.number): c
            for c in SchoolClass.objects.filter(school_year=self.year).select_related("grade", "school_year")
        }

    # people

    def staff_ensure(self):
        plans, self.assignment_plans = staff_plan()
        people = _staff_people(plans)
        family = parent_family()
        wanted = {plan.username: plan for plan in plans}
        usernames = [*wanted, "parent"]
        users = {u.username: u for u in self.User.objects.filter(username__in=usernames)}
        # Planned numbers another account already holds stay unused (mobile is unique).
        taken = set(
            self.User.objects.filter(Q(mobile__startswith=STAFF_MOBILE_PREFIX) | Q(mobile=PARENT_MOBILE))
            .exclude(username__in=usernames)
            .values_list("mobile", flat=True)
        )
        new = []
        for username in usernames:
            if username in users:
                continue
            if username == "parent":
                full_name, mobile = family.mother, PARENT_MOBILE
            else:
                full_name, mobile = people[username]
            plan = wanted.get(username)
            superuser = bool(plan and plan.is_superuser)
            new.append(
                _validated(
                    self.User(
                        username=username,
                        full_name=full_name,
                        mobile=None if mobile in taken else mobile,
                        password=self.password_hash,
                        must_change_password=False,
                        is_superuser=superuser,
                        # School administrators work in the Django admin (as membership_grant sets).
                        is_staff=bool(plan and (superuser or Role.SCHOOL_ADMIN in plan.roles)),
                    )
                )
            )
        self.User.objects.bulk_create(new)
        self.created["staff accounts"] += sum(1 for u in new if u.username != "parent")
        self.created["guardian accounts"] += sum(1 for u in new if u.username == "parent")
        self.users = {u.username: u for u in self.User.objects.filter(username__in=usernames)}
        self._demo_logins_ensure(taken)
        grants = [(self.users[plan.username], role) for plan in plans for role in plan.roles]
        grants.append((self.users["parent"], Role.GUARDIAN))
        self._memberships_ensure(grants)

    def _demo_logins_ensure(self, taken_mobiles):
        """The demo logins work after every run: demo password, active, no
        forced change, the admin a superuser, the parent with a mobile."""
        changed = []
        for username in DEMO_USERNAMES:
            user = self.users[username]
            user.password = self.password_hash
            user.is_active = True
            user.must_change_password = False
            if username == "admin":
                user.is_superuser = user.is_staff = True
            if username == "parent" and not user.mobile and PARENT_MOBILE not in taken_mobiles:
                user.mobile = PARENT_MOBILE
            changed.append(user)
        self.User.objects.bulk_update(
            changed, ["password", "is_active", "must_change_password", "is_superuser", "is_staff", "mobile"]
        )

    def _memberships_ensure(self, grants):
        existing = set(Membership.objects.filter(school=self.school).values_list("user_id", "role"))
        missing = []
        for user, role in grants:
            if (user.pk, role) not in existing:
                existing.add((user.pk, role))
                missing.append(_validated(Membership(user=user, school=self.school, role=role)))
        Membership.objects.bulk_create(missing)
        self.created["memberships"] += len(missing)

    def assignments_ensure(self):
        existing = set(
            TeachingAssignment.objects.filter(school=self.school, term__school_year=self.year).values_list(
                "term_id", "school_class_id", "teacher_id", "subject", "is_head_teacher"
            )
        )
        heads = {(term_id, class_id) for term_id, class_id, _t, _s, is_head in existing if is_head}
        missing = []
        for term in self.terms.values():
            for plan in self.assignment_plans:
                school_class = self.classes_by_key[plan.class_key]
                teacher = self.users[plan.username]
                key = (term.pk, school_class.pk, teacher.pk, plan.subject, plan.is_head_teacher)
                # assignment_one_head_teacher: a class that has a head teacher keeps them.
                if key in existing or (plan.is_head_teacher and (term.pk, school_class.pk) in heads):
                    continue
                missing.append(
                    _validated(
                        TeachingAssignment(
                            school=self.school,
                            term=term,
                            school_class=school_class,
                            teacher=teacher,
                            subject=plan.subject,
                            is_head_teacher=plan.is_head_teacher,
                        )
                    )
                )
        TeachingAssignment.objects.bulk_create(missing)
        self.created["teaching assignments"] += len(missing)

    def students_ensure(self):
        """Students, guardians with accounts, guardianships and enrollments
        for every class of the year: only what is missing."""
        school, year = self.school, self.year
        family = parent_family()
        students = {s.student_number: s for s in Student.objects.filter(school=school)}
        # A student with any enrollment this year was placed already (maybe
        # moved or left since): only students without one are enrolled.
        placed = set(Enrollment.objects.filter(school=school, school_year=year).values_list("student_id", flat=True))

        start_year = year.start_date.year
        new_students = []  # StudentPlan
        to_enrol = []  # (student number, class)
        for key, school_class in sorted(self.classes_by_key.items()):
            level, number = key
            for index, plan in enumerate(class_plan(entry_year=start_year - level + 1, number=number)):
                if index == 0 and key in PARENT_CLASSES:
                    plan = _with_parent_family(plan, family)
                if plan.student_number not in students:
                    new_students.append(plan)
                to_enrol.append((plan.student_number, school_class))

        # Guardians of the new students: shared ones once, the others each
        # with the next free number in the fake block.
        used = _mobiles_in_block(GUARDIAN_MOBILE_PREFIX) | {PARENT_MOBILE}
        free = _free_mobiles(GUARDIAN_MOBILE_PREFIX, used)
        parent_user = self.users["parent"]
        shared = {"parent": parent_user.mobile or PARENT_MOBILE}
        existing_guardians = {g.mobile: g for g in Guardian.objects.filter(school=school)}
        # The parent's spouse, if made in an earlier run, is the father of her children.
        spouse = (
            Guardian.objects.filter(
                school=school,
                guardianships__relationship=Relationship.FATHER,
                guardianships__student__guardianships__guardian__user=parent_user,
            )
            .values_list("mobile", flat=True)
            .first()
        )
        if spouse:
            shared["parent-spouse"] = spouse
        links = []  # (student_number, mobile, GuardianPlan)
        guardian_names = {}  # mobile -> name, for guardians to create
        for plan in new_students:
            for guardian in plan.guardians:
                if guardian.shared_key and guardian.shared_key not in shared:
                    shared[guardian.shared_key] = next(free)
                mobile = shared[guardian.shared_key] if guardian.shared_key else next(free)
                if mobile not in existing_guardians:
                    guardian_names[mobile] = guardian.name
                links.append((plan.student_number, mobile, guardian))

        new_accounts = [
            _validated(
                self.User(
                    username=mobile,
                    mobile=mobile,
                    full_name=name,
                    password=self.password_hash,
                    must_change_password=False,
                )
            )
            for mobile, name in guardian_names.items()
            if mobile != shared["parent"]
        ]
        self.User.objects.bulk_create(new_accounts)
        self.created["guardian accounts"] += len(new_accounts)
        accounts = {u.mobile: u for u in self.User.objects.filter(mobile__startswith=GUARDIAN_MOBILE_PREFIX)}
        accounts[shared["parent"]] = parent_user

        new_guardians = [
            _validated(Guardian(school=school, user=accounts[mobile], name=name, mobile=mobile))
            for mobile, name in guardian_names.items()
        ]
        Guardian.objects.bulk_create(new_guardians)
        self.created["guardians"] += len(new_guardians)
        self._memberships_ensure([(g.user, Role.GUARDIAN) for g in new_guardians])

        new_rows = [
            _validated(
                Student(
                    school=school,
                    student_number=plan.student_number,
                    name=plan.name,
                    gender=plan.gender,
                    birth_date=plan.birth_date,
                )
            )
            for plan in new_students
        ]
        Student.objects.bulk_create(new_rows)
        self.created["students"] += len(new_rows)

        students = {s.student_number: s for s in Student.objects.filter(school=school)}
        guardians = {g.mobile: g for g in Guardian.objects.filter(school=school)}
        new_links = [
            _validated(
                Guardianship(
                    school=school,
                    student=students[number],
                    guardian=guardians[mobile],
                    relationship=plan.relationship,
                    is_primary=plan.is_primary,
                )
            )
            for number, mobile, plan in links
        ]
        Guardianship.objects.bulk_create(new_links)
        self.created["guardianships"] += len(new_links)

        enrollments = [
            _validated(
                Enrollment(
                    school=school,
                    student=students[number],
                    school_class=school_class,
                    school_year=year,
                    start_date=year.start_date,
                )
            )
            for number, school_class in to_enrol
            if students[number].pk not in placed
        ]
        Enrollment.objects.bulk_create(enrollments)
        self.created["enrollments"] += len(enrollments)

    def parent_children_ensure(self):
        """The `parent` login has a child in each of PARENT_CLASSES this
        year. Only needed when those classes already had their students
        (e.g. in a later school year); a fresh build links them above."""
        parent_user = self.users["parent"]
        guardian = Guardian.objects.filter(school=self.school, user=parent_user).first()
        if guardian is None:
            mobile = parent_user.mobile or PARENT_MOBILE
            guardian = _validated(
                Guardian(school=self.school, user=parent_user, name=parent_user.full_name or mobile, mobile=mobile)
            )
            guardian.save()
            self.created["guardians"] += 1
        for key in PARENT_CLASSES:
            open_here = Enrollment.objects.filter(school_class=self.classes_by_key[key], end_date__isnull=True)
            if Guardianship.objects.filter(guardian=guardian, student__in=open_here.values("student_id")).exists():
                continue
            enrollment = open_here.select_related("student").order_by("student__student_number").first()
            if enrollment is None:
                continue
            student = enrollment.student
            has_primary = Guardianship.objects.filter(student=student, is_primary=True).exists()
            _validated(
                Guardianship(
                    school=self.school,
                    student=student,
                    guardian=guardian,
                    relationship=Relationship.OTHER if has_primary else Relationship.MOTHER,
                    is_primary=not has_primary,
                )
            ).save()
            self.created["guardianships"] += 1

    # report

    def totals(self) -> dict[str, int]:
        school, year = self.school, self.year
        return {
            "grades": Grade.objects.filter(school=school).count(),
            "classes": SchoolClass.objects.filter(school_year=year).count(),
            "students": Enrollment.objects.filter(school_year=year, end_date__isnull=True).count(),
            "guardians": Guardian.objects.filter(school=school).count(),
            "guardianships": Guardianship.objects.filter(school=school).count(),
            "staff": Membership.objects.filter(school=school, role__in=roles.STAFF).values("user").distinct().count(),
            "teaching assignments": TeachingAssignment.objects.filter(school=school, term__school_year=year).count(),
            "memberships": Membership.objects.filter(school=school).count(),
        }

    def logins(self) -> list[DemoLogin]:
        users = self.users
        term = self.current_term
        maths_classes = (
            SchoolClass.objects.filter(
                assignments__term=term, assignments__teacher=users["maths"], assignments__is_head_teacher=False
            )
            .order_by("grade__level", "number")
            .values_list("name", flat=True)
        )
        head_of = (
            SchoolClass.objects.filter(
                assignments__term=term, assignments__teacher=users["teacher"], assignments__is_head_teacher=True
            )
            .order_by("grade__level", "number")
            .values_list("name", flat=True)
        )
        children = (
            Enrollment.objects.filter(
                school_year=self.year,
                end_date__isnull=True,
                student__guardianships__guardian__user=users["parent"],
            )
            .select_related("student", "school_class")
            .order_by("school_class__grade__level", "school_class__number")
        )
        notes = {
            "admin": "superuser; school administrator of DEMO",
            "principal": "read-only dashboards",
            "office": "moral-education office (政教处)",
            "teacher": f"head teacher of {', '.join(head_of)}; also teaches 语文 there",
            "maths": f"subject teacher: 数学 in {', '.join(maths_classes)}",
            "counsellor": "psychology room (心理老师)",
            "parent": "guardian of " + ", ".join(f"{e.student.name} ({e.school_class.name})" for e in children),
        }
        return [
            DemoLogin(username=username, role=str(role.label), mobile=users[username].mobile or "", note=notes[username])
            for username, role in DEMO_LOGINS
        ]


def _generated_users(school):
    """Accounts this builder makes (demo logins, demo_* staff, guardians
    numbered in the fake block) that belong to no other school."""
    User = get_user_model()
    elsewhere = Membership.objects.exclude(school=school).values("user_id")
    return (
        User.objects.filter(memberships__school=school)
        .filter(
            Q(username__in=DEMO_USERNAMES)
            | Q(username__startswith=GENERATED_USERNAME_PREFIX)
            | Q(username__regex=rf"^{GUARDIAN_MOBILE_PREFIX}[0-9]{{4}}$")
        )
        .exclude(pk__in=elsewhere)
        .exclude(pk__in=Guardian.objects.exclude(school=school).values("user_id"))
        .distinct()
    )


@transaction.atomic
def demo_school_build(*, today: datetime.date | None = None) -> DemoResult:
    """Create the demo school, or complete it, in one transaction.

    Idempotent: a second run creates no rows; it only resets the demo
    logins to the demo password (hashed once per run) and marks the term
    containing `today` (default: the local date) current. Not for a school's server: the caller (the
    seed_demo command) checks that. Writes no audit rows.
    """
    builder = _Builder(today=today or timezone.localdate(), password_hash=make_password(DEMO_PASSWORD))
    builder.school_ensure()
    builder.calendar_ensure()
    builder.classes_ensure()
    builder.staff_ensure()
    builder.assignments_ensure()
    builder.students_ensure()
    builder.parent_children_ensure()
    from demo.moral_ed import demo_conduct_ensure, demo_office_ensure

    builder.created.update(demo_conduct_ensure(school=builder.school, term=builder.current_term, today=builder.today))
    builder.created.update(demo_office_ensure(school=builder.school, term=builder.current_term, today=builder.today))
    return DemoResult(
        school=builder.school,
        school_year=builder.year,
        current_term=builder.current_term,
        created=+builder.created,  # without the zero counts
        totals=builder.totals(),
        logins=builder.logins(),
    )
