"""The school's rules for one cell, the column table against the guide in
docs/, and the example files in docs/examples/ against a school."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from classes.models import default_class_name
from students.models import Guardian, RosterImport, Student
from students.roster import cells
from students.roster.columns import markdown_table
from students.roster.problems import MESSAGES, CellProblem, problem_message
from tests import factories as f

from .test_roster_import import run_import

DOCS = Path(settings.BASE_DIR) / "docs"


@pytest.mark.parametrize(
    ("raw", "level"),
    [("六年级", 6), ("6", 6), (6, 6), (6.0, 6), ("六", 6), ("6年级", 6), ("初一", 7), ("七年级", 7),
     ("初三", 9), ("高一", 10), ("高三", 12), ("一年级", 1), (" 六年级 ", 6), ("６", 6)],
)
def test_grade_names_a_school_writes(raw, level):
    assert cells.grade_level(raw) == level


@pytest.mark.parametrize("raw", ["十三年级", "13", "0", "大班", "高四"])
def test_grade_names_that_are_not_grades(raw):
    with pytest.raises(CellProblem) as problem:
        cells.grade_level(raw)
    assert problem.value.code == "grade_format"


@pytest.mark.parametrize(
    ("raw", "ref"),
    [("2", (None, 2)), (2, (None, 2)), ("2班", (None, 2)), ("六(2)班", (6, 2)), ("六（2）班", (6, 2)),
     ("6(2)", (6, 2)), ("高一(3)班", (10, 3)), ("初一(1)班", (7, 1)), ("六年级2班", (6, 2)), ("12", (None, 12))],
)
def test_class_names_a_school_writes(raw, ref):
    assert cells.class_ref(raw) == ref


@pytest.mark.parametrize("raw", ["二班级", "六(二)班", "0", "(2)", "A班"])
def test_class_names_that_are_not_classes(raw):
    with pytest.raises(CellProblem):
        cells.class_ref(raw)


@pytest.mark.parametrize(
    ("raw", "day"),
    [("2014-03-05", datetime.date(2014, 3, 5)), ("2014/3/5", datetime.date(2014, 3, 5)),
     ("2014.3.5", datetime.date(2014, 3, 5)), ("2014年3月5日", datetime.date(2014, 3, 5)),
     ("20140305", datetime.date(2014, 3, 5)), ("2014-03-05 00:00:00", datetime.date(2014, 3, 5)),
     (datetime.datetime(2014, 3, 5), datetime.date(2014, 3, 5)), (datetime.date(2014, 3, 5), datetime.date(2014, 3, 5)),
     (41703, datetime.date(2014, 3, 5))],
)
def test_dates_a_school_writes(raw, day):
    assert cells.birth_date(raw) == day


@pytest.mark.parametrize(("raw", "code"), [("2014-02-30", "date_format"), ("5/3/2014", "date_format"),
                                           ("1900-01-01", "date_range"), ("2999-01-01", "date_range")])
def test_dates_that_are_wrong(raw, code):
    with pytest.raises(CellProblem) as problem:
        cells.birth_date(raw)
    assert problem.value.code == code


@pytest.mark.parametrize(
    ("raw", "mobile"),
    [("13900000001", "13900000001"), (13900000001, "13900000001"), (13900000001.0, "13900000001"),
     ("139 0000 0001", "13900000001"), ("139-0000-0001", "13900000001"), ("+8613900000001", "13900000001")],
)
def test_mobile_numbers(raw, mobile):
    assert cells.mobile(raw) == mobile


@pytest.mark.parametrize("raw", ["1390000000", "23900000001", "139000000011", "1.39E+10", "手机"])
def test_mobile_numbers_that_are_wrong(raw):
    with pytest.raises(CellProblem) as problem:
        cells.mobile(raw)
    assert problem.value.code == "mobile_format"


@pytest.mark.parametrize(
    ("raw", "value"),
    [("父亲", "father"), ("妈妈", "mother"), ("爷爷", "grandfather"), ("奶奶", "grandmother"),
     ("外公", "maternal_grandfather"), ("姥姥", "maternal_grandmother"), ("其他", "other"), ("", "other")],
)
def test_relationships(raw, value):
    assert cells.relationship(raw) == value


def test_gender_student_number_and_names():
    assert cells.gender("男") == "M" and cells.gender("女") == "F"
    assert cells.student_number(20260001) == "20260001" and cells.student_number("２０２６") == "2026"
    assert cells.person_name("  陈\u200b小雨 ") == "陈小雨"
    with pytest.raises(CellProblem):
        cells.person_name("陈\x07小雨")
    assert cells.yes_no("是") is True and cells.yes_no("") is False


def test_every_problem_renders_in_english():
    """Each message takes the params its code is raised with."""
    params = {
        "size": 1, "limit": 2, "students": "学号", "teachers": "工号", "columns": "年级", "max": 50,
        "first": "1950-01-01", "value": "x", "grade": "六年级", "class_name": "六(2)班", "year": "2026-2027",
        "choices": "父亲", "other_name": "王", "other_row": 3,
    }
    with translation.override("en"):
        for code in MESSAGES:
            message = problem_message({"code": code, "row": 4, "column": "班级", "params": params})
            assert message.startswith("Row 4, column “班级”: ")
            assert "%(" not in message


def _documented_table(kind: str) -> str:
    text = (DOCS / "roster-import.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- columns:{kind} -->\n(.*?)<!-- /columns:{kind} -->", text, re.S)
    assert match, f"docs/roster-import.md has no columns:{kind} block"
    return match.group(1)


@pytest.mark.parametrize("kind", ["students", "teachers"])
def test_the_guide_shows_the_column_table_of_the_code(kind):
    with translation.override("en"):
        expected = markdown_table(kind)
    assert _documented_table(kind) == expected, f"paste this into docs/roster-import.md:\n{expected}"


@pytest.fixture
def example_school(db):
    school = f.SchoolFactory(code="X01", name="示例小学")
    year = f.SchoolYearFactory(school=school)
    f.TermFactory(school=school, school_year=year)
    six = f.GradeFactory(school=school, level=6, name="六年级")
    seven = f.GradeFactory(school=school, level=7, name="七年级")
    for grade, number in ((six, 1), (six, 2), (seven, 1)):
        f.SchoolClassFactory(school=school, school_year=year, grade=grade, number=number, name=default_class_name(grade.level, number))
    return school


def test_the_example_files_import(example_school):
    students = run_import(example_school, (DOCS / "examples" / "roster-students.csv").read_bytes())
    same_as_xlsx = run_import(example_school, (DOCS / "examples" / "roster-students.xlsx").read_bytes(), name="x.xlsx")
    teachers = run_import(example_school, (DOCS / "examples" / "roster-teachers.csv").read_bytes())

    assert students.status == RosterImport.Status.DONE, students.report
    assert students.report["counts"]["students_created"] == 11
    assert same_as_xlsx.report["counts"]["students_unchanged"] == 11, same_as_xlsx.report
    assert Student.objects.filter(school=example_school).count() == 11
    assert Guardian.objects.filter(school=example_school, mobile="13900001001").get().guardianships.count() == 2
    assert teachers.status == RosterImport.Status.DONE, teachers.report
    assert teachers.report["counts"]["teachers_created"] == 4
    assert teachers.report["counts"]["assignments_created"] == 6
