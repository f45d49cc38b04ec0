"""python manage.py import_roster FILE --school CODE [--dry-run] [--credentials-out PATH]"""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from accounts.models import AuditEvent
from students.models import RosterImport, Student

from .test_roster_import import GOOD_ROWS, csv_bytes, model_counts, xlsx_bytes


@pytest.fixture
def roster_file(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS))
    return path


def call(*args, stderr=None):
    out, err = io.StringIO(), stderr or io.StringIO()
    with translation.override("en"):
        call_command("import_roster", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_and_keeps_the_passwords_for_the_admin(world, roster_file):
    out, _ = call(roster_file, "--school", "A01")

    assert Student.objects.filter(student_number__startswith="202602").count() == 3
    roster_import = RosterImport.objects.get()
    assert roster_import.status == RosterImport.Status.DONE and roster_import.uploaded_by is None
    assert "3 created, 0 updated, 0 unchanged" in out
    assert f"3 new account(s) have one-time passwords. They are kept encrypted with roster import #{roster_import.pk}" in out
    assert "--credentials-out" in out
    assert roster_import.credentials_count == 3


def test_command_dry_run_writes_nothing(world, roster_file):
    before = model_counts()
    audits = AuditEvent.objects.count()

    out, _ = call(roster_file, "--school", "A01", "--dry-run")

    assert model_counts() == before
    assert AuditEvent.objects.count() == audits
    assert not RosterImport.objects.exists()
    assert "3 created, 0 updated, 0 unchanged" in out
    assert "Dry run: nothing was saved." in out


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_command_writes_the_passwords_to_a_file_once(world, roster_file, tmp_path, suffix):
    out_path = tmp_path / f"passwords.{suffix}"

    call(roster_file, "--school", "A01", "--credentials-out", out_path)

    if suffix == "xlsx":
        rows = list(load_workbook(out_path).active.iter_rows(values_only=True))
    else:
        rows = list(csv.reader(io.StringIO(out_path.read_bytes().decode("utf-8-sig"))))
    assert {row[0] for row in rows[1:]} == {"13900000201", "13900000202", "13900000203"}
    assert all(len(row[6]) == 11 for row in rows[1:])
    assert RosterImport.objects.get().credentials_count == 0  # handed out, not kept
    assert AuditEvent.objects.filter(action="students.roster.credentials_taken").count() == 1


def test_command_reports_every_problem_and_saves_nothing(world, tmp_path):
    path = tmp_path / "bad.xlsx"
    bad = [GOOD_ROWS[0][:8] + ["123"] + GOOD_ROWS[0][9:], GOOD_ROWS[1][:5] + ["9"] + GOOD_ROWS[1][6:]]
    path.write_bytes(xlsx_bytes(bad))
    before = model_counts()

    err = io.StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call(path, "--school", "A01", stderr=err)

    assert err.getvalue().splitlines() == [
        "Row 2, column “监护人1手机”: a mobile number has 11 digits, e.g. 13800138000",
        "Row 3, column “班级”: there is no class 六(9)班 in the 2026-2027 school year; create it in the admin first",
    ]
    assert model_counts() == before
    assert RosterImport.objects.get().status == RosterImport.Status.REJECTED


def test_command_dry_run_reports_problems(world, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([GOOD_ROWS[0][:8] + ["123"] + GOOD_ROWS[0][9:]]))
    err = io.StringIO()

    with pytest.raises(CommandError):
        call(path, "--school", "A01", "--dry-run", stderr=err)

    assert "Row 2, column “监护人1手机”" in err.getvalue()
    assert not RosterImport.objects.exists()


def test_command_refuses_an_unknown_school(world, roster_file):
    with pytest.raises(CommandError):
        call(roster_file, "--school", "NOPE")
