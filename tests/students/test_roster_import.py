"""The roster import service: all or nothing, idempotent, every problem
reported with its row and column."""

import datetime
import io
import random

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from accounts.models import AuditEvent, Membership, Role
from classes.models import TeachingAssignment
from students.models import Enrollment, Guardian, Guardianship, RosterImport, Student
from students.roster import validation
from students.roster.problems import problem_message
from students.roster.reading import read_table
from students.roster.sealing import unseal
from students.roster.services import roster_import_create, roster_import_run
from tests import factories as f

User = get_user_model()

STUDENT_HEADER = [
    "学号", "姓名", "性别", "出生日期", "年级", "班级",
    "监护人1姓名", "监护人1关系", "监护人1手机", "监护人2姓名", "监护人2关系", "监护人2手机",
]
TEACHER_HEADER = ["工号/用户名", "姓名", "手机", "班级", "学科", "是否班主任"]
# Shanghai mid-morning, inside the world's current term.
IMPORT_DAY = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def csv_bytes(rows, header=STUDENT_HEADER, encoding="utf-8-sig") -> bytes:
    lines = [",".join(header)] + [",".join(str(c) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, header=STUDENT_HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def run_import(school, content, *, user=None, name="roster.csv") -> RosterImport:
    roster_import = roster_import_create(school=school, uploaded_by=user, file_name=name, content=content)
    roster_import_run(import_id=roster_import.pk)
    roster_import.refresh_from_db()
    return roster_import


def credentials_of(roster_import) -> list[dict]:
    """The one-time passwords an import holds, opened as the one download would."""
    roster_import.refresh_from_db()
    return unseal(roster_import.sealed_credentials) if roster_import.credentials_count else []


def model_counts() -> dict:
    models = (Student, Guardian, Guardianship, Enrollment, User, Membership, TeachingAssignment)
    return {model.__name__: model.objects.count() for model in models}


def errors_of(roster_import) -> list[tuple]:
    return [(e["row"], e["column"], e["code"]) for e in roster_import.report["errors"]]


def messages_of(roster_import) -> list[str]:
    with translation.override("en"):
        return [problem_message(e) for e in roster_import.report["errors"]]


# Three new students in 六(2); the first two are siblings sharing their mother.
GOOD_ROWS = [
    ["20260201", "林小满", "女", "2014-03-05", "六年级", "2", "林妈妈", "母亲", "13900000201", "林爸爸", "父亲", "13900000202"],
    ["20260202", "林小乐", "男", "2015/4/1", "六年级", "六(2)班", "林妈妈", "母亲", "13900000201", "", "", ""],
    ["20260203", "孙小北", "男", "2014-05-01", "6", "6(2)", "孙奶奶", "奶奶", "13900000203", "", "", ""],
]


@pytest.fixture
def frozen():
    with time_machine.travel(IMPORT_DAY, tick=False) as traveller:
        yield traveller


def test_clean_file_creates_students_guardians_enrollments_and_accounts(world, frozen):
    before = model_counts()
    roster_import = run_import(world.school, csv_bytes(GOOD_ROWS), user=world.school_admin)

    assert roster_import.status == RosterImport.Status.DONE
    assert roster_import.kind == RosterImport.Kind.STUDENTS
    assert roster_import.total_rows == roster_import.processed_rows == 3
    assert roster_import.report["counts"] == {
        "students_created": 3,
        "students_updated": 0,
        "students_unchanged": 0,
        "class_moves": 0,
        "guardians_created": 3,
        "accounts_created": 3,
        "guardian_links_removed": 0,
    }
    after = model_counts()
    assert after["Student"] - before["Student"] == 3
    assert after["Guardian"] - before["Guardian"] == 3
    assert after["Guardianship"] - before["Guardianship"] == 4
    assert after["Enrollment"] - before["Enrollment"] == 3
    assert after["User"] - before["User"] == 3
    small = Student.objects.get(school=world.school, student_number="20260201")
    assert (small.name, small.gender, small.birth_date) == ("林小满", "F", datetime.date(2014, 3, 5))
    assert Student.objects.get(student_number="20260202").birth_date == datetime.date(2015, 4, 1)
    enrollment = small.enrollments.get()
    assert (enrollment.school_class, enrollment.start_date, enrollment.end_date) == (
        world.class2,
        datetime.date(2026, 11, 2),
        None,
    )
    links = {(g.guardian.mobile, g.relationship, g.is_primary) for g in small.guardianships.select_related("guardian")}
    assert links == {("13900000201", "mother", True), ("13900000202", "father", False)}
    assert Membership.objects.filter(user__mobile="13900000203", school=world.school, role=Role.GUARDIAN).exists()


def test_file_with_bad_rows_writes_nothing_and_reports_every_problem(world, frozen):
    rows = [
        GOOD_ROWS[0],  # row 2
        ["20260202", "林小乐", "男", "2015-04-01", "六年级", "2", "林爸爸", "父亲", "1390000020", "", "", ""],  # 3
        ["20260203", "孙小北", "男", "2014-05-01", "六年级", "9", "孙妈妈", "母亲", "13900000203", "", "", ""],  # 4
        ["20260201", "王小西", "女", "2014-05-01", "六年级", "1", "", "", "", "", "", ""],  # 5
        ["20260205", "赵小东", "男", "2014-05-01", "六年级", "1", "赵舅舅", "舅舅", "13900000205", "", "", ""],  # 6
        ["20260206", "钱小南", "女", "2014-05-01", "六年级", "1", "钱阿姨", "其他", "13900000201", "", "", ""],  # 7
        ["20260207", "", "女", "2014-05-01", "六年级", "1", "", "", "", "", "", ""],  # 8
        ["20260208", "周小中", "男孩", "2014-13-01", "六年级", "1", "", "", "", "", "", ""],  # 9
        ["20260209", "吴小上", "女", "2014-05-01", "初一", "1", "", "", "", "", "", ""],  # 10
        ["20260210", "郑小下", "女", "2014-05-01", "六年级", "1", "郑妈妈", "母亲", "13900000210", "郑爸爸", "父亲", ""],  # 11
        ["", "", "", "", "", "", "", "", "", "", "", ""],  # 12: blank, skipped
        ["20260213", "冯小左", "女", "2014-05-01", "六年级", "七(2)班", "", "", "", "", "", ""],  # 13
        ["2026 0214!", "陈小右", "女", "2014-05-01", "六年级", "1", "", "", "", "", "", ""],  # 14
    ]
    before = model_counts()
    audits_before = AuditEvent.objects.count()

    roster_import = run_import(world.school, csv_bytes(rows), user=world.school_admin)

    assert model_counts() == before
    assert roster_import.status == RosterImport.Status.REJECTED
    assert credentials_of(roster_import) == []
    assert errors_of(roster_import) == [
        (3, "监护人1手机", "mobile_format"),
        (4, "班级", "class_missing"),
        (5, "学号", "duplicate_student_number"),
        (6, "监护人1关系", "relationship"),
        (7, "监护人1手机", "mobile_other_name"),
        (8, "姓名", "required"),
        (9, "性别", "gender"),
        (9, "出生日期", "date_format"),
        (10, "年级", "grade_missing"),
        (11, "监护人2手机", "required"),
        (13, "班级", "class_grade_mismatch"),
        (14, "学号", "student_number_format"),
    ]
    messages = messages_of(roster_import)
    assert messages[0] == "Row 3, column “监护人1手机”: a mobile number has 11 digits, e.g. 13800138000"
    assert messages[1] == (
        "Row 4, column “班级”: there is no class 六(9)班 in the 2026-2027 school year; create it in the admin first"
    )
    assert messages[2] == "Row 5, column “学号”: the student number 20260201 is also on row 2"
    assert messages[3] == (
        "Row 6, column “监护人1关系”: “舅舅” is not a relationship; write one of 父亲/母亲/爷爷/奶奶/外公/外婆/其他"
    )
    assert messages[4] == "Row 7, column “监护人1手机”: the mobile number 13900000201 is given to 林妈妈 on row 2"
    assert messages[8] == "Row 10, column “年级”: the school has no grade “七年级”"
    # One audit row says the file was refused and how many problems it had.
    event = AuditEvent.objects.get(action="students.roster.rejected")
    assert AuditEvent.objects.count() == audits_before + 1
    assert event.data["errors"] == 12
    assert event.actor == world.school_admin


def test_reimport_of_the_same_file_changes_nothing(world, frozen):
    rows = GOOD_ROWS + [["20260001", "陈小雨", "女", "", "六年级", "1", "陈妈妈", "母亲", "13900000001", "", "", ""]]
    first = run_import(world.school, csv_bytes(rows))
    assert first.report["counts"]["students_created"] == 3
    assert first.report["counts"]["students_unchanged"] == 1  # already in the school exactly so
    counts = model_counts()

    second = run_import(world.school, csv_bytes(rows))

    assert second.status == RosterImport.Status.DONE
    assert model_counts() == counts
    assert second.report["counts"] == {
        "students_created": 0,
        "students_updated": 0,
        "students_unchanged": 4,
        "class_moves": 0,
        "guardians_created": 0,
        "accounts_created": 0,
        "guardian_links_removed": 0,
    }
    assert credentials_of(second) == []
    from students.roster.report import summary

    with translation.override("en"):
        assert summary(second.report) == "0 created, 0 updated, 4 unchanged"


def test_changed_rows_update_the_people_and_a_class_change_keeps_history(world, frozen):
    run_import(world.school, csv_bytes(GOOD_ROWS))
    frozen.move_to(IMPORT_DAY + datetime.timedelta(days=18))
    changed = [
        # a new name
        ["20260201", "林小满满", "女", "2014-03-05", "六年级", "2", "林妈妈", "母亲", "13900000201", "林爸爸", "父亲", "13900000202"],
        # moved to 六(1)
        ["20260202", "林小乐", "男", "2015/4/1", "六年级", "1", "林妈妈", "母亲", "13900000201", "", "", ""],
        # grandmother has a new mobile number
        ["20260203", "孙小北", "男", "2014-05-01", "6", "6(2)", "孙奶奶", "奶奶", "13900000299", "", "", ""],
    ]

    roster_import = run_import(world.school, csv_bytes(changed))

    assert roster_import.report["counts"] == {
        "students_created": 0,
        "students_updated": 3,
        "students_unchanged": 0,
        "class_moves": 1,
        "guardians_created": 1,
        "accounts_created": 1,
        "guardian_links_removed": 1,
    }
    assert Student.objects.get(student_number="20260201").name == "林小满满"
    moved = Student.objects.get(student_number="20260202")
    history = list(moved.enrollments.order_by("start_date").values_list("school_class", "start_date", "end_date"))
    assert history == [
        (world.class2.pk, datetime.date(2026, 11, 2), datetime.date(2026, 11, 19)),
        (world.class1.pk, datetime.date(2026, 11, 20), None),
    ]
    grandchild = Student.objects.get(student_number="20260203")
    assert [g.guardian.mobile for g in grandchild.guardianships.all()] == ["13900000299"]
    # The old number keeps its account; it no longer reaches the child.
    assert Guardian.objects.filter(school=world.school, mobile="13900000203").exists()


def test_a_guardian_renamed_in_the_file_is_renamed(world, frozen):
    run_import(world.school, csv_bytes(GOOD_ROWS))
    rows = [row[:] for row in GOOD_ROWS]
    rows[0][6] = rows[1][6] = "林慧"

    roster_import = run_import(world.school, csv_bytes(rows))

    assert Guardian.objects.get(school=world.school, mobile="13900000201").name == "林慧"
    assert roster_import.report["counts"]["students_updated"] == 1
    assert roster_import.report["counts"]["students_unchanged"] == 2


def test_new_guardian_gets_a_one_time_password_that_must_be_changed(world, client, frozen):
    roster_import = run_import(world.school, csv_bytes(GOOD_ROWS[2:]))
    (credential,) = credentials_of(roster_import)
    assert credential["username"] == "13900000203"
    assert credential["students"] == ["孙小北"] and credential["classes"] == ["六(2)班"]
    user = User.objects.get(mobile="13900000203")
    assert user.must_change_password
    assert user.full_name == "孙奶奶"
    assert user.password.startswith("pbkdf2_sha256$1000$")  # a random one-time password: a light hash

    response = client.post(reverse("accounts:login"), {"username": "13900000203", "password": credential["password"]})
    assert response.status_code == 302
    assert client.get(reverse("accounts:home"))["Location"] == reverse("accounts:password_change")
    # The light one-time hash is replaced by a full-strength one at this first login.
    from django.contrib.auth.hashers import get_hasher

    user.refresh_from_db()
    assert int(user.password.split("$")[1]) == get_hasher().iterations


def test_existing_user_with_that_mobile_keeps_their_password(world, frozen):
    rows = [["20260201", "林小满", "女", "", "六年级", "2", "陈妈妈", "母亲", "13900000001", "", "", ""]]
    password_before = world.parent.password

    roster_import = run_import(world.school, csv_bytes(rows))

    assert roster_import.report["counts"]["accounts_created"] == 0
    world.parent.refresh_from_db()
    assert world.parent.password == password_before and not world.parent.must_change_password
    guardian = Guardian.objects.get(school=world.school, mobile="13900000001")
    assert set(guardian.guardianships.values_list("student__student_number", flat=True)) == {"20260001", "20260201"}


def test_siblings_sharing_a_mobile_get_one_guardian_with_two_guardianships(world, frozen):
    roster_import = run_import(world.school, csv_bytes(GOOD_ROWS[:2]))

    mother = Guardian.objects.get(school=world.school, mobile="13900000201")
    assert sorted(mother.guardianships.values_list("student__student_number", flat=True)) == ["20260201", "20260202"]
    assert User.objects.filter(mobile="13900000201").count() == 1
    (entry,) = [c for c in credentials_of(roster_import) if c["mobile"] == "13900000201"]
    assert entry["students"] == ["林小满", "林小乐"]
    assert roster_import.report["counts"]["guardians_created"] == 2


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda rows: csv_bytes(rows, encoding="utf-8-sig"), id="csv-utf8-bom"),
        pytest.param(lambda rows: csv_bytes(rows, encoding="utf-8"), id="csv-utf8"),
        pytest.param(lambda rows: csv_bytes(rows, encoding="gbk"), id="csv-gbk"),
        pytest.param(lambda rows: csv_bytes(rows, encoding="utf-16"), id="csv-utf16"),
        pytest.param(xlsx_bytes, id="xlsx"),
    ],
)
def test_csv_in_every_encoding_and_xlsx_import_the_same(world, frozen, encode):
    roster_import = run_import(world.school, encode(GOOD_ROWS))

    assert roster_import.status == RosterImport.Status.DONE, roster_import.report
    assert roster_import.report["counts"]["students_created"] == 3
    assert Student.objects.get(student_number="20260203").name == "孙小北"
    assert Guardian.objects.get(school=world.school, mobile="13900000203").name == "孙奶奶"


def test_xlsx_with_real_dates_and_numbers_imports(world, frozen):
    rows = [
        [20260201, "林小满", "女", datetime.datetime(2014, 3, 5), 6, 2, "林妈妈", "母亲", 13900000201, None, None, None],
        [20260202, "林小乐", "男", 41730, "六年级", "六（2）班", "林妈妈", "母亲", 13900000201.0, None, None, None],
    ]
    roster_import = run_import(world.school, xlsx_bytes(rows), name="名单.xlsx")

    assert roster_import.status == RosterImport.Status.DONE, roster_import.report
    assert Student.objects.get(student_number="20260201").birth_date == datetime.date(2014, 3, 5)
    assert Student.objects.get(student_number="20260202").birth_date == datetime.date(2014, 4, 1)
    assert Guardian.objects.filter(school=world.school, mobile="13900000201").count() == 1


def test_xlsx_errors_name_the_row_the_spreadsheet_shows(world, frozen):
    wb = Workbook()
    ws = wb.active
    ws.append(["青松路小学 2026 级花名册"])  # a title line above the header
    ws.append(STUDENT_HEADER)
    ws.append(["20260201", "林小满", "女", "2014-03-05", "六年级", "2", "", "", "", "", "", ""])
    ws.append([])
    ws.append(["20260202", "林小乐", "男", "2014-03-05", "六年级", "2", "林妈妈", "母亲", "12345", "", "", ""])
    buffer = io.BytesIO()
    wb.save(buffer)

    roster_import = run_import(world.school, buffer.getvalue(), name="roster.xlsx")

    assert errors_of(roster_import) == [(5, "监护人1手机", "mobile_format")]


def test_random_bytes_named_xlsx_are_refused(world):
    content = random.Random(7).randbytes(4000)
    before = model_counts()

    roster_import = run_import(world.school, content, name="roster.xlsx")

    assert model_counts() == before
    assert roster_import.status == RosterImport.Status.REJECTED
    assert errors_of(roster_import) == [(None, "", "file_type")]
    assert messages_of(roster_import) == [
        "The file is neither a CSV nor an XLSX file. Save it from Excel or WPS as “Excel workbook (.xlsx)” or as “CSV”."
    ]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "file_empty"),
        (b"\r\n\r\n", "file_empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "file_xls"),
        (b"PK\x03\x04" + bytes(100), "file_unreadable"),
        ("学号,姓名,年级,班级\r\n".encode(), "no_rows"),
        ("名字,电话\r\n张三,13900000001\r\n".encode(), "headers_unknown"),
        ("学号,姓名,班级\r\n1,张三,2\r\n".encode(), "headers_missing"),
    ],
)
def test_files_that_cannot_be_imported_are_refused(world, content, code):
    roster_import = run_import(world.school, content)

    assert roster_import.status == RosterImport.Status.REJECTED
    assert [e["code"] for e in roster_import.report["errors"]] == [code]


def test_missing_columns_are_listed(world):
    roster_import = run_import(world.school, "学号,姓名,监护人1手机\r\n1,张三,13900000001\r\n".encode())

    with translation.override("en"):
        assert messages_of(roster_import) == ["Required columns are missing: 年级、班级."]


def test_a_column_given_twice_is_reported(world):
    roster_import = run_import(world.school, "学号,姓名,年级,班级,班级\r\n1,张三,六年级,1,2\r\n".encode())

    assert errors_of(roster_import) == [(1, "班级", "header_duplicate")]


def test_too_many_rows_are_refused(world):
    rows = [[f"{n:08d}", "张三", "", "", "六年级", "1", "", "", "", "", "", ""] for n in range(5001)]

    roster_import = run_import(world.school, csv_bytes(rows))

    assert errors_of(roster_import) == [(None, "", "too_many_rows")]
    assert Student.objects.filter(school=world.school).count() == 3


def test_a_file_over_the_size_limit_is_refused(world, settings):
    settings.ROSTER_MAX_BYTES = 100

    roster_import = run_import(world.school, csv_bytes(GOOD_ROWS))

    assert errors_of(roster_import) == [(None, "", "file_too_large")]


def test_a_school_without_a_current_term_cannot_import(world):
    world.term.is_current = False
    world.term.save(update_fields=["is_current"])

    roster_import = run_import(world.school, csv_bytes(GOOD_ROWS))

    assert errors_of(roster_import) == [(None, "", "no_current_term")]


def test_a_new_guardian_whose_login_name_is_taken_is_reported(world):
    f.UserFactory(username="13900000201", mobile=None)

    roster_import = run_import(world.school, csv_bytes(GOOD_ROWS[:1]))

    assert errors_of(roster_import) == [(2, "监护人1手机", "login_taken")]


def test_any_error_while_writing_rolls_everything_back(world, monkeypatch):
    from students.roster import writing

    real_links = writing._guardianships_write

    def failing_links(*args):
        real_links(*args)  # students, enrollments, guardians and links are written by now
        raise RuntimeError("database went away")

    monkeypatch.setattr(writing, "_guardianships_write", failing_links)
    before = model_counts()
    roster_import = roster_import_create(school=world.school, uploaded_by=None, file_name="a.csv", content=csv_bytes(GOOD_ROWS))

    with pytest.raises(RuntimeError):
        roster_import_run(import_id=roster_import.pk)

    assert model_counts() == before
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.FAILED
    assert credentials_of(roster_import) == []
    assert AuditEvent.objects.filter(action="students.roster.failed", target_id=str(roster_import.pk)).count() == 1
    assert not AuditEvent.objects.filter(action="students.roster.imported").exists()


def test_running_an_import_twice_does_nothing_the_second_time(world):
    roster_import = roster_import_create(school=world.school, uploaded_by=None, file_name="a.csv", content=csv_bytes(GOOD_ROWS))
    assert roster_import_run(import_id=roster_import.pk) is not None
    counts = model_counts()

    assert roster_import_run(import_id=roster_import.pk) is None

    assert model_counts() == counts
    assert AuditEvent.objects.filter(action="students.roster.imported").count() == 1


def test_an_import_claimed_by_another_worker_is_left_alone(world):
    roster_import = roster_import_create(school=world.school, uploaded_by=None, file_name="a.csv", content=csv_bytes(GOOD_ROWS))
    RosterImport.objects.filter(pk=roster_import.pk).update(status=RosterImport.Status.VALIDATING)

    assert roster_import_run(import_id=roster_import.pk) is None
    assert not Student.objects.filter(student_number="20260201").exists()


def test_one_audit_row_per_import_with_the_counts(world, frozen):
    roster_import = run_import(world.school, csv_bytes(GOOD_ROWS), user=world.school_admin)

    event = AuditEvent.objects.get(action="students.roster.imported")
    assert event.actor == world.school_admin
    assert event.school == world.school
    assert event.target_id == str(roster_import.pk)
    assert event.data["students_created"] == 3 and event.data["accounts_created"] == 3


def test_validation_reports_progress_in_batches(world, monkeypatch):
    monkeypatch.setattr(validation, "BATCH_SIZE", 2)
    table = read_table(csv_bytes(GOOD_ROWS + [["20260204", "王五", "", "", "六年级", "1"] + [""] * 6] * 2))
    ctx = validation.SchoolContext.load(world.school, world.term)
    done = []

    checked = validation.validate(table, ctx, progress=done.append)

    assert checked.ok is False  # the last two rows share a student number
    assert done == [2, 4, 5]


# --- teachers ------------------------------------------------------------------


@pytest.fixture
def class3(world):
    return f.SchoolClassFactory(school=world.school, school_year=world.year, grade=world.grade, number=3, name="六(3)班")


TEACHER_ROWS = [
    ["T001", "钱老师", "13900001001", "六(1)班", "语文", "否"],
    ["T001", "钱老师", "13900001001", "六(2)班", "语文", "否"],
    ["T002", "孙老师", "", "6(2)", "英语", ""],
    ["T003", "李老师", "13900001003", "六(3)班", "数学", "是"],
]


def test_teacher_file_creates_accounts_roles_and_assignments(world, class3):
    before = model_counts()

    roster_import = run_import(world.school, csv_bytes(TEACHER_ROWS, header=TEACHER_HEADER), user=world.school_admin)

    assert roster_import.status == RosterImport.Status.DONE, roster_import.report
    assert roster_import.kind == RosterImport.Kind.TEACHERS
    assert roster_import.report["counts"] == {
        "teachers_created": 3,
        "teachers_updated": 0,
        "teachers_unchanged": 0,
        "accounts_created": 3,
        "assignments_created": 4,
        "assignments_updated": 0,
        "assignments_unchanged": 0,
    }
    assert model_counts()["User"] - before["User"] == 3
    head = User.objects.get(username="T003")
    assert head.must_change_password and head.full_name == "李老师" and head.mobile == "13900001003"
    assert set(Membership.objects.filter(user=head).values_list("role", flat=True)) == {Role.HEAD_TEACHER}
    assert set(Membership.objects.filter(user__username="T001").values_list("role", flat=True)) == {Role.SUBJECT_TEACHER}
    assignment = TeachingAssignment.objects.get(teacher=head)
    assert (assignment.term, assignment.school_class, assignment.is_head_teacher, assignment.subject) == (
        world.term,
        class3,
        True,
        "数学",
    )
    assert sorted(c["username"] for c in credentials_of(roster_import)) == ["T001", "T002", "T003"]
    assert User.objects.get(username="T002").mobile is None


def test_teacher_file_reimport_changes_nothing(world, class3):
    content = csv_bytes(TEACHER_ROWS, header=TEACHER_HEADER)
    run_import(world.school, content)
    counts = model_counts()

    roster_import = run_import(world.school, content)

    assert model_counts() == counts
    assert roster_import.report["counts"]["teachers_unchanged"] == 3
    assert roster_import.report["counts"]["assignments_unchanged"] == 4
    assert credentials_of(roster_import) == []


def test_teacher_file_problems(world, class3):
    rows = [
        ["T009", "新老师", "", "六(1)班", "", "是"],  # 2: 六(1) has 王老师
        ["bhead", "B校班主任", "", "六(3)班", "数学", "否"],  # 3: school B's account
        ["T010", "周老师", "13900000001", "六(3)班", "数学", "否"],  # 4: a guardian's mobile
        ["T011", "吴老师", "", "2", "数学", "否"],  # 5: class without grade
        ["T012", "郑老师", "", "六(3)班", "", "否"],  # 6: subject teacher without subject
        ["T013", "冯老师", "", "六(3)班", "", "是"],  # 7
        ["T014", "陈老师", "", "六(3)班", "", "是"],  # 8: a second head teacher for 六(3)
        ["T013", "冯二老师", "", "六(3)班", "英语", "否"],  # 9: same login, other name
        ["T015", "卫老师", "", "六(3)班", "英语", "可能"],  # 10
    ]
    before = model_counts()

    roster_import = run_import(world.school, csv_bytes(rows, header=TEACHER_HEADER))

    assert model_counts() == before
    assert errors_of(roster_import) == [
        (2, "是否班主任", "head_teacher_taken"),
        (3, "工号/用户名", "username_foreign"),
        (4, "手机", "mobile_other_account"),
        (5, "班级", "class_needs_grade"),
        (6, "学科", "subject_required"),
        (8, "是否班主任", "head_teacher_twice"),
        (9, "姓名", "username_other_name"),
        (10, "是否班主任", "yes_no"),
    ]
    with translation.override("en"):
        assert messages_of(roster_import)[0] == (
            "Row 2, column “是否班主任”: 六(1)班 already has the head teacher 王老师 this term; change it in the admin first"
        )
