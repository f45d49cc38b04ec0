"""Roster files that are broken or hostile, accounts of other schools, and
what an import leaves behind: the file, the one-time passwords, the
nightly purge."""

import datetime
import io
import time
import zipfile

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import translation
from openpyxl import Workbook, load_workbook

from accounts.models import AuditEvent, Role
from students.models import Guardian, RosterImport, Student
from students.roster import reading
from students.roster.problems import problem_message
from students.roster.reading import sniff
from students.roster.sealing import Unreadable, unseal
from students.roster.services import (
    roster_credentials_take,
    roster_import_create,
    roster_import_run,
    roster_imports_purge,
)
from tests import factories as f
from tests.concurrency import at_once

from .test_roster_import import (
    GOOD_ROWS,
    IMPORT_DAY,
    STUDENT_HEADER,
    TEACHER_HEADER,
    csv_bytes,
    errors_of,
    model_counts,
    run_import,
    xlsx_bytes,
)

User = get_user_model()


@pytest.fixture
def frozen():
    with time_machine.travel(IMPORT_DAY, tick=False) as traveller:
        yield traveller


def student_row(n: int, name: str = "", mobile: str = "") -> list:
    number = f"2026{n:04d}"
    return [number, name or f"学生{n}", "女", "2014-03-05", "六年级", "2", "", "", "", "", "", ""] if not mobile else [
        number, name or f"学生{n}", "女", "2014-03-05", "六年级", "2", "某家长", "母亲", mobile, "", "", ""
    ]


def raw_csv(header, lines) -> bytes:
    return ("\r\n".join([",".join(header), *lines]) + "\r\n").encode("utf-8")


# --- CSV that cannot be read as it stands --------------------------------------


def test_a_stray_quote_in_a_5000_row_csv_is_a_problem_on_its_row_and_column(world):
    lines = [",".join(student_row(n)) for n in range(1, 5001)]
    lines[8] = lines[8].replace("学生9", '"学生9')  # row 10: the quote opens and is never closed
    before = model_counts()

    roster_import = run_import(world.school, raw_csv(STUDENT_HEADER, lines))

    assert roster_import.status == RosterImport.Status.REJECTED
    assert errors_of(roster_import) == [(10, "姓名", "quote_runs_on")]
    assert model_counts() == before
    with translation.override("en"):
        assert problem_message(roster_import.report["errors"][0]).startswith(
            "Row 10, column “姓名”: a quote (\") opens in this cell and is never closed"
        )


def test_a_stray_quote_in_a_small_csv_does_not_swallow_the_rows_below_silently(world):
    """In an ignored column the swallowed rows would simply be gone."""
    header = ["学号", "姓名", "年级", "班级", "备注"]
    lines = [
        "20260301,林一,六年级,2,",
        '20260302,林二,六年级,2,"住校',  # row 3: the quote takes in rows 4 and 5
        "20260303,林三,六年级,2,",
        "20260304,林四,六年级,2,",
    ]

    roster_import = run_import(world.school, raw_csv(header, lines))

    assert roster_import.status == RosterImport.Status.REJECTED
    assert errors_of(roster_import) == [(3, "备注", "quote_swallows_rows")]
    assert not Student.objects.filter(student_number__startswith="202603").exists()


def test_a_huge_cell_is_a_problem_on_its_row_and_column_and_the_rows_after_it_are_read(world):
    lines = [
        ",".join(student_row(1)),
        ",".join(student_row(2, name="长" * 200_000)),  # row 3: 600 KB in UTF-8, over csv's 128 KB limit
        ",".join(student_row(3, mobile="1234")),  # row 4 is still checked
    ]

    roster_import = run_import(world.school, raw_csv(STUDENT_HEADER, lines))

    assert roster_import.status == RosterImport.Status.REJECTED
    assert errors_of(roster_import) == [(3, "姓名", "cell_too_large"), (4, "监护人1手机", "mobile_format")]


def test_a_long_cell_is_refused_before_its_rule_runs(world):
    rows = [student_row(1, name="长" * 300), student_row(2)]
    rows[1][4] = "六" * 5000  # a grade of 5,000 characters

    roster_import = run_import(world.school, csv_bytes(rows))

    assert errors_of(roster_import) == [(2, "姓名", "too_long"), (3, "年级", "too_long")]
    assert roster_import.report["errors"][0]["params"] == {"max": 50}


# --- XLSX ---------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _workbook_members() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(GOOD_ROWS))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _bomb(unpacked: int) -> bytes:
    """A real workbook whose sheet is padded to `unpacked` bytes of blanks (inside the XML)."""
    members = _workbook_members()
    sheet = members["xl/worksheets/sheet1.xml"]
    members["xl/worksheets/sheet1.xml"] = sheet.replace(b"<sheetData>", b"<sheetData>" + b" " * unpacked, 1)
    return _zip(members)


@pytest.mark.parametrize("unpacked", [30 * 1024 * 1024, 8 * 1024 * 1024], ids=["over-the-total", "over-the-ratio"])
def test_a_zip_bomb_is_refused_from_the_zip_directory_without_unpacking(world, monkeypatch, unpacked):
    content = _bomb(unpacked)
    assert len(content) < 100 * 1024
    unpacked_calls = []
    monkeypatch.setattr(reading, "load_workbook", lambda *a, **k: unpacked_calls.append(1))

    started = time.monotonic()
    roster_import = run_import(world.school, content, name="roster.xlsx")

    assert time.monotonic() - started < 1
    assert errors_of(roster_import) == [(None, "", "xlsx_too_large")]
    assert unpacked_calls == []
    with translation.override("en"):
        assert "unpacks to far more than a roster" in problem_message(roster_import.report["errors"][0])


def test_the_upload_check_refuses_a_zip_bomb_too(world):
    with pytest.raises(reading.FileProblem) as refused:
        sniff(_bomb(30 * 1024 * 1024))
    assert refused.value.problem.code == "xlsx_too_large"


@pytest.mark.parametrize(
    ("member", "code"),
    [("xl/vbaProject.bin", "xlsx_macros"), ("xl/externalLinks/externalLink1.xml", "xlsx_external_links")],
)
def test_workbooks_with_macros_or_external_links_are_refused(world, member, code):
    members = _workbook_members()
    members[member] = b"<x/>"

    roster_import = run_import(world.school, _zip(members), name="roster.xlsx")

    assert errors_of(roster_import) == [(None, "", code)]


def test_a_real_workbook_still_imports(world, frozen):
    roster_import = run_import(world.school, xlsx_bytes(GOOD_ROWS), name="roster.xlsx")

    assert roster_import.status == RosterImport.Status.DONE, roster_import.report


def _far_row_workbook(far_row: int) -> bytes:
    """A good roster and one cell far down the sheet: openpyxl reads the
    gap as that many empty rows."""
    wb = Workbook()
    ws = wb.active
    ws.append(STUDENT_HEADER)
    for row in GOOD_ROWS:
        ws.append(list(row))
    ws.cell(row=far_row, column=1, value="x")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_a_cell_on_excels_last_row_does_not_make_a_million_rows_of_work(world, monkeypatch):
    """A 5 KB workbook naming row 1,048,576 made the import build and check
    a list of 100 cells for each of the million empty rows between (seconds
    of a worker for each such file)."""
    content = _far_row_workbook(1_048_576)
    assert len(content) < 10 * 1024
    checked = []
    real_filled = reading._filled
    monkeypatch.setattr(reading, "_filled", lambda cell: checked.append(1) or real_filled(cell))

    table = reading.read_table(content)

    assert [number for number, _ in table.rows] == [*range(2, 2 + len(GOOD_ROWS)), 1_048_576]
    assert len(checked) < 100 * (len(GOOD_ROWS) + 2)  # the header and the rows that hold something


def test_nothing_below_the_sheets_last_row_is_read(world, monkeypatch):
    monkeypatch.setattr(reading, "XLSX_MAX_ROW", 50)

    table = reading.read_table(_far_row_workbook(51))

    assert [number for number, _ in table.rows] == list(range(2, 2 + len(GOOD_ROWS)))


# --- names that are formulas, invisible characters ------------------------------


def xlsx_text(rows) -> bytes:
    """Every cell stored as text, as a sheet typed by hand holds "=…" when the cell is formatted as text."""
    wb = Workbook()
    ws = wb.active
    ws.append(STUDENT_HEADER)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.data_type = "s"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_formula_like_names_are_refused_from_csv_as_from_xlsx(world):
    rows = [
        student_row(1, name='=HYPERLINK("http://evil.example","点我")'),
        student_row(2, name="＝1+1"),
        student_row(3, name="@SUM(A1)"),
        student_row(4, name="+cmd"),
        student_row(5, mobile="13900000305"),
    ]
    rows[4][6] = "-2+3"  # a guardian's name
    content = raw_csv(STUDENT_HEADER, [",".join(f'"{c}"' if "," in c or '"' in c else c for c in (
        cell.replace('"', '""') for cell in row)) for row in rows])

    for roster_import in (run_import(world.school, content), run_import(world.school, xlsx_text(rows), name="r.xlsx")):
        assert errors_of(roster_import) == [
            (2, "姓名", "formula"), (3, "姓名", "formula"), (4, "姓名", "formula"), (5, "姓名", "formula"),
            (6, "监护人1姓名", "formula"),
        ]
    assert not Student.objects.filter(name__startswith="=").exists()


def test_bidirectional_controls_are_dropped_from_names(world, frozen):
    rows = [student_row(1, name="陈\u202e小雨\u2066")]

    roster_import = run_import(world.school, csv_bytes(rows))

    assert roster_import.status == RosterImport.Status.DONE, roster_import.report
    assert Student.objects.get(school=world.school, student_number="20260001").name == "陈小雨"


# --- columns the import does not know --------------------------------------------


def test_unknown_columns_are_listed_as_ignored_and_their_cells_are_not_kept(world, frozen):
    header = ["学号", "姓名", "身份证号", "年级", "班级", "家庭住址"]
    lines = ["20260301,林一,110101201403050021,六年级,2,青松路 1 号"]

    roster_import = run_import(world.school, raw_csv(header, lines))

    assert roster_import.status == RosterImport.Status.DONE
    assert roster_import.report["ignored_columns"] == ["身份证号", "家庭住址"]
    row = RosterImport.objects.filter(pk=roster_import.pk).values().get()
    assert "110101201403050021" not in repr(row) and "青松路" not in repr(row)
    assert AuditEvent.objects.filter(data__icontains="110101201403050021").count() == 0


def test_a_kept_file_holds_only_the_known_columns(world, frozen):
    header = ["学号", "姓名", "身份证号", "年级", "班级"]
    content = raw_csv(header, ["20260301,林一,110101201403050021,六年级,2", '20260302,"=1+1",1101,六年级,2'])
    roster_import = roster_import_create(
        school=world.school, uploaded_by=None, file_name="a.csv", content=content, keep_file_days=7
    )
    roster_import_run(import_id=roster_import.pk)
    roster_import.refresh_from_db()

    kept = [list(row) for row in load_workbook(io.BytesIO(bytes(roster_import.content))).active.iter_rows(values_only=True)]
    assert roster_import.status == RosterImport.Status.REJECTED  # the formula name
    assert "110101201403050021" not in repr(kept) and "身份证号" not in repr(kept)
    assert kept[0][1:] == ["学号", "姓名", "年级", "班级"]  # after the original row number
    assert kept[1:] == [[2, "20260301", "林一", "六年级", "2"], [3, "20260302", "'=1+1", "六年级", "2"]]
    assert roster_import.file_purge_at == IMPORT_DAY + datetime.timedelta(days=7)


# --- accounts of another school ---------------------------------------------------


def test_a_guardian_mobile_of_another_schools_account_is_not_linked(world):
    superuser = f.UserFactory(username="root", mobile="13900000777", is_superuser=True, is_staff=True)
    rows = [
        student_row(1, mobile="13900000009"),  # school B's parent
        student_row(2, mobile=superuser.mobile),
        student_row(3, mobile="13900000001"),  # this school's parent: linked as before
    ]
    before = model_counts()

    roster_import = run_import(world.school, csv_bytes(rows))

    assert errors_of(roster_import) == [(2, "监护人1手机", "mobile_foreign"), (3, "监护人1手机", "mobile_foreign")]
    assert model_counts() == before
    assert not Guardian.objects.filter(school=world.school, mobile="13900000009").exists()
    with translation.override("en"):
        assert "another school or of an administrator" in problem_message(roster_import.report["errors"][0])


def _school_b_enrols_during(monkeypatch, world, mobile: str, check: str, role=Role.GUARDIAN) -> None:
    """School B makes an account named `mobile` (a guardian's, or with
    `role`) right after this import's "first" check (no lock held) or its
    "second" (under this school's lock, just before the write)."""
    from students.roster import services

    real_check = services._check

    def check_then_school_b_enrols(school, *args, **kwargs):
        outcome = real_check(school, *args, **kwargs)
        second = kwargs.get("table") is not None
        if second == (check == "second"):
            parent = f.UserFactory(username=mobile, mobile=mobile if role == Role.GUARDIAN else None)
            f.MembershipFactory(user=parent, school=world.b.school, role=role)
        return outcome

    monkeypatch.setattr(services, "_check", check_then_school_b_enrols)


def _only_school_bs_account_was_added(before) -> bool:
    return model_counts() == {**before, "User": before["User"] + 1, "Membership": before["Membership"] + 1}


def test_an_account_made_elsewhere_while_the_file_was_checked_is_not_linked(world, monkeypatch):
    """The rows are checked again under the school's lock before anything
    is written: an account another school made with a file's mobile
    number between the check and the write is refused like any other."""
    _school_b_enrols_during(monkeypatch, world, "13900000888", check="first")
    before = model_counts()

    roster_import = run_import(world.school, csv_bytes([student_row(77, mobile="13900000888")]))

    assert errors_of(roster_import) == [(2, "监护人1手机", "mobile_foreign")]
    assert roster_import.status == RosterImport.Status.REJECTED
    assert _only_school_bs_account_was_added(before)
    assert not Student.objects.filter(school=world.school, student_number="20260077").exists()


def test_an_account_made_elsewhere_after_the_second_check_is_not_linked(world, monkeypatch):
    """The second check holds this school's lock, not the other school's:
    an account another school commits between it and the write is found
    when the write looks the numbers up, and nothing is saved."""
    _school_b_enrols_during(monkeypatch, world, "13900000889", check="second")
    before = model_counts()

    roster_import = run_import(world.school, csv_bytes([student_row(78, mobile="13900000889")]))

    assert roster_import.status == RosterImport.Status.REJECTED
    assert errors_of(roster_import) == [(None, "", "accounts_changed")]
    assert _only_school_bs_account_was_added(before)
    with translation.override("en"):
        assert "another school" in problem_message(roster_import.report["errors"][0])


def test_a_teacher_account_made_elsewhere_after_the_second_check_is_not_taken_over(world, monkeypatch):
    """The teachers' side of the same race: school B's new teacher, named
    as in this file, is neither renamed nor given a role here."""
    _school_b_enrols_during(monkeypatch, world, "T9001", check="second", role=Role.SUBJECT_TEACHER)
    before = model_counts()

    roster_import = run_import(world.school, csv_bytes([["T9001", "新老师", "", "六(2)班", "数学", "否"]],
                                                       header=TEACHER_HEADER))

    assert errors_of(roster_import) == [(None, "", "accounts_changed")]
    assert _only_school_bs_account_was_added(before)
    assert User.objects.get(username="T9001").memberships.get().school == world.b.school


def test_a_guardian_the_school_already_has_stays_linked_when_the_account_is_shared_later(world, frozen):
    """Linked before (by a superuser): re-importing does not link anything new."""
    f.MembershipFactory(user=world.parent, school=world.b.school, role=Role.GUARDIAN)
    rows = [["20260001", "陈小雨", "女", "", "六年级", "1", "陈妈妈", "母亲", "13900000001", "", "", ""]]

    roster_import = run_import(world.school, csv_bytes(rows))

    assert roster_import.status == RosterImport.Status.DONE, roster_import.report


def test_a_teacher_account_shared_with_another_school_is_not_renamed(world):
    f.MembershipFactory(user=world.subject_teacher, school=world.b.school, role=Role.SUBJECT_TEACHER)
    rows = [["maths", "改名老师", "", "六(2)班", "数学", "否"]]

    roster_import = run_import(world.school, csv_bytes(rows, header=TEACHER_HEADER))

    assert errors_of(roster_import) == [(2, "工号/用户名", "username_shared")]
    world.subject_teacher.refresh_from_db()
    assert world.subject_teacher.full_name == "赵老师"


# --- what an import leaves behind --------------------------------------------------


def _failing_import(world, monkeypatch):
    from students.roster import writing

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(writing, "_guardianships_write", broken)
    roster_import = roster_import_create(school=world.school, uploaded_by=None, file_name="a.csv", content=csv_bytes(GOOD_ROWS))
    with pytest.raises(RuntimeError):
        roster_import_run(import_id=roster_import.pk)
    return roster_import


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda world, mp: run_import(world.school, csv_bytes(GOOD_ROWS)), id="done"),
        pytest.param(lambda world, mp: run_import(world.school, csv_bytes([student_row(1, mobile="1")])), id="rejected-rows"),
        pytest.param(lambda world, mp: run_import(world.school, b"PK\x03\x04" + bytes(100)), id="rejected-file"),
        pytest.param(_failing_import, id="failed"),
    ],
)
def test_the_uploaded_file_is_deleted_when_the_import_ends(world, frozen, monkeypatch, make):
    roster_import = make(world, monkeypatch)

    roster_import.refresh_from_db()
    assert roster_import.is_finished
    assert bytes(roster_import.content) == b""
    assert roster_import.file_deleted_at == IMPORT_DAY and roster_import.file_purge_at is None


def test_one_time_passwords_are_never_stored_in_clear(world, frozen):
    roster_import = run_import(world.school, csv_bytes(GOOD_ROWS), user=world.school_admin)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM students_rosterimport WHERE id = %s", [roster_import.pk])
        stored = [bytes(v) if isinstance(v, memoryview) else v for v in cursor.fetchone()]
    assert roster_import.credentials_count == 3

    credentials = roster_credentials_take(roster_import=roster_import, actor=world.school_admin)

    passwords = [c["password"] for c in credentials]
    assert len(passwords) == 3 and all(len(p) == 11 for p in passwords)
    for value in stored:
        for password in passwords:
            assert password.encode() not in (value if isinstance(value, bytes) else str(value).encode())
    roster_import.refresh_from_db()
    assert bytes(roster_import.sealed_credentials) == b"" and roster_import.credentials_count == 0
    assert roster_credentials_take(roster_import=roster_import, actor=world.school_admin) is None


def test_sealed_passwords_need_the_servers_secret_key(world, frozen, settings):
    roster_import = run_import(world.school, csv_bytes(GOOD_ROWS))
    sealed = bytes(roster_import.sealed_credentials)
    assert len(unseal(sealed)) == 3

    original = settings.SECRET_KEY
    settings.SECRET_KEY = "another-secret-key-" + "y" * 40
    with pytest.raises(Unreadable):
        unseal(sealed)
    settings.SECRET_KEY_FALLBACKS = [original]  # a rotated key still opens what it sealed
    assert len(unseal(sealed)) == 3



def test_passwords_sealed_under_a_lost_key_are_deleted_when_taken(world, frozen, settings):
    """Nobody can ever open them: the take says so and deletes the copy,
    so the progress page stops offering a download that cannot work."""
    roster_import = run_import(world.school, csv_bytes(GOOD_ROWS))
    settings.SECRET_KEY = "another-secret-key-" + "y" * 40

    with pytest.raises(Unreadable):
        roster_credentials_take(roster_import=roster_import, actor=world.school_admin)

    roster_import.refresh_from_db()
    assert (roster_import.credentials_count, bytes(roster_import.sealed_credentials)) == (0, b"")
    assert roster_credentials_take(roster_import=roster_import, actor=world.school_admin) is None


# --- the nightly purge ---------------------------------------------------------------


def _imports_to_purge(world):
    """At IMPORT_DAY: one import keeping its file 3 days with passwords
    nobody took, one keeping it 30 days, one a dead worker left queued."""
    kept = roster_import_create(
        school=world.school, uploaded_by=world.school_admin, file_name="a.csv", content=csv_bytes(GOOD_ROWS), keep_file_days=3
    )
    roster_import_run(import_id=kept.pk)
    longer = roster_import_create(
        school=world.school, uploaded_by=None, file_name="b.csv", content=csv_bytes(GOOD_ROWS[:1]), keep_file_days=30
    )
    roster_import_run(import_id=longer.pk)
    left = roster_import_create(school=world.school, uploaded_by=world.school_admin, file_name="c.csv", content=b"x")
    return kept, longer, left


def _assert_purged(world, kept, longer, left):
    for roster_import in (kept, longer, left):
        roster_import.refresh_from_db()
    assert bytes(kept.content) == b"" and kept.file_deleted_at is not None
    assert kept.credentials_count == 0 and bytes(kept.sealed_credentials) == b""
    assert bytes(longer.content) != b"" and longer.file_deleted_at is None
    assert left.status == RosterImport.Status.FAILED and bytes(left.content) == b""
    assert [e["code"] for e in left.report["errors"]] == ["abandoned"]
    assert AuditEvent.objects.filter(action="students.roster.failed", target_id=str(left.pk)).count() == 1


def test_the_nightly_purge_deletes_what_is_due_and_running_it_twice_changes_nothing(world):
    with time_machine.travel(IMPORT_DAY, tick=False):
        kept, longer, left = _imports_to_purge(world)
    assert bytes(RosterImport.objects.get(pk=kept.pk).content) != b""

    with time_machine.travel(IMPORT_DAY + datetime.timedelta(days=2), tick=False):
        assert roster_imports_purge() == {"files": 0, "passwords": 0, "abandoned": 1}
    with time_machine.travel(IMPORT_DAY + datetime.timedelta(days=8), tick=False):
        first = roster_imports_purge()
        second = roster_imports_purge()

    assert first == {"files": 1, "passwords": 1, "abandoned": 0}
    assert second == {"files": 0, "passwords": 0, "abandoned": 0}
    _assert_purged(world, kept, longer, left)


def test_the_purge_task_is_scheduled_nightly(db):
    import importlib

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    # What the data migration writes (a transactional test of the same worker may have flushed it).
    importlib.import_module("students.migrations.0004_purge_schedule").forwards(apps, None)
    task = PeriodicTask.objects.get(task="students.roster_imports_purge")
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("3", "40", "Asia/Shanghai")
    assert task.expire_seconds < 24 * 3600


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two concurrent connections need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_purging_at_once_purge_each_row_once(world):
    with time_machine.travel(IMPORT_DAY, tick=False):
        kept, longer, left = _imports_to_purge(world)
    moment = IMPORT_DAY + datetime.timedelta(days=8)

    outcomes = at_once(lambda: roster_imports_purge(now=moment), lambda: roster_imports_purge(now=moment))

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(o["files"] for o in outcomes) == 1
    assert sum(o["passwords"] for o in outcomes) == 1
    assert sum(o["abandoned"] for o in outcomes) == 1
    _assert_purged(world, kept, longer, left)
