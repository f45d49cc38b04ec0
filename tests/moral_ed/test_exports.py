"""The office's XLSX exports: class rankings of a published evaluation,
a class's student term totals and a term's award list. Each is opened
with openpyxl; text that a spreadsheet would run as a formula comes out
as text."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from moral_ed.models import AwardKind, ClassResult, Evaluation, EvaluationRevision
from moral_ed.services import awards as services
from moral_ed.services import conduct as conduct_services
from tests.factories import EnrollmentFactory, StudentFactory

pytestmark = pytest.mark.usefixtures("items")
NOV20 = "2026-11-20 10:00 +0800"
TRICKY = ["+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1"]


@pytest.fixture(autouse=True)
def school_day():
    with time_machine.travel(NOV20, tick=False):
        yield


def sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    return load_workbook(io.BytesIO(response.content)).active


def values(ws):
    return [list(row) for row in ws.iter_rows(values_only=True)]


def assert_text(ws, raw: str):
    """`raw` is in the sheet only neutralised: a string cell starting with an apostrophe, never a formula."""
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and raw.lstrip("\t") in c.value]
    assert cells, raw
    for cell in cells:
        assert cell.data_type == "s"
        assert cell.value.startswith("'"), cell.value


def published_revision(world, school=None, status="published", kind="monthly"):
    school = school or world.school
    evaluation = Evaluation.objects.create(
        school=school, kind=kind, period_start=datetime.date(2026, 10, 1), period_end=datetime.date(2026, 10, 31)
    )
    return EvaluationRevision.objects.create(
        school=school, evaluation=evaluation, number=1, status=status, digest="x" * 64,
        published_at=timezone.now() if status != "draft" else None,
    )


def test_class_rankings_of_a_published_revision(world, client_for):
    revision = published_revision(world)
    ClassResult.objects.create(
        school=world.school, revision=revision, school_class=world.class2, grade=world.grade, inspection_points=Decimal("-1"),
        score=Decimal("99"), rank_in_grade=1, rank_in_school=1, civilized=True,
    )
    ClassResult.objects.create(
        school=world.school, revision=revision, school_class=world.class1, grade=world.grade, inspection_points=Decimal("5"),
        score=Decimal("105"), rank_in_grade=2, rank_in_school=2, vetoed=True, veto_reason="=HYPERLINK(\"http://evil\",\"x\")",
    )
    url = reverse("moral_ed:award_export_rankings", args=[revision.pk])
    ws = sheet(client_for(world.office).get(url))
    rows = values(ws)
    assert len(rows) == 3 and len(rows[0]) == 8
    assert rows[1][:5] == ["六年级", "六(2)班", 99, 1, 1]
    assert rows[2][:5] == ["六年级", "六(1)班", 105, 2, 2]
    assert rows[1][7] != rows[2][7] and rows[1][5] != rows[2][5]  # civilized / vetoed columns differ
    assert_text(ws, "=HYPERLINK(")
    assert client_for(world.principal).get(url).status_code == 200
    for person in (world.head_teacher, world.subject_teacher, world.counsellor, world.parent):
        assert client_for(person).get(url).status_code == 403
    assert client_for(world.b.office).get(url).status_code == 404
    draft = published_revision(world, status="draft", kind="weekly")
    assert client_for(world.office).get(reverse("moral_ed:award_export_rankings", args=[draft.pk])).status_code == 404


def test_student_term_totals_of_a_class(world, record, client_for):
    attacker = StudentFactory(school=world.school, name='=HYPERLINK("http://evil","点我")', student_number="20260003")
    EnrollmentFactory(student=attacker, school_class=world.class1)
    record(world.head_teacher, [world.child], "拾金不昧")  # +3 morality
    record(world.head_teacher, [world.child], "迟到")  # -1 discipline
    record(world.head_teacher, [attacker], "作业优秀")  # +1 study
    url = reverse("moral_ed:award_export_class_totals", args=[world.class1.pk])
    ws = sheet(client_for(world.head_teacher).get(url))
    rows = values(ws)
    assert len(rows[0]) == 9  # number, name, five dimensions, total, stars
    by_number = {r[0]: r for r in rows[1:]}
    assert set(by_number) == {"20260001", "20260002", "20260003"}
    assert by_number["20260001"][1:] == ["陈小雨", 3, 0, -1, 0, 0, 2, 0]
    assert by_number["20260002"][7] == 0
    assert_text(ws, "=HYPERLINK(")
    for person, status in (("office", 200), ("principal", 200), ("subject_teacher", 403), ("counsellor", 403),
                           ("other_head_teacher", 404), ("parent", 403)):
        assert client_for(getattr(world, person)).get(url).status_code == status, person
    assert client_for(world.b.office).get(url).status_code == 404


def test_award_list_of_a_term_neutralises_formula_starts(world, client_for):
    students = [world.child, world.classmate]
    for i, reason in enumerate(TRICKY):
        student = students[i] if i < 2 else StudentFactory(school=world.school)
        if i >= 2:
            EnrollmentFactory(student=student, school_class=world.class1)
        services.award_propose(
            actor=world.head_teacher, term=world.term, kind=AwardKind.MERIT_STUDENT, school_class=world.class1, student=student,
            reason=reason,
        )
    cadre = services.award_propose(
        actor=world.head_teacher, term=world.term, kind=AwardKind.OUTSTANDING_CADRE, school_class=world.class1,
        student=world.child, reason="班长尽职",
    )
    services.award_decide(actor=world.office, award=cadre, approve=True)
    services.award_propose(
        actor=world.office, term=world.term, kind=AwardKind.OUTSTANDING_HEAD_TEACHER, school_class=world.class2, reason="带班有方",
    )
    url = reverse("moral_ed:award_export")
    ws = sheet(client_for(world.office).get(url, {"term": world.term.pk}))
    rows = values(ws)
    assert len(rows) == 1 + len(TRICKY) + 2
    names = [r[2] for r in rows[1:]]
    assert "陈小雨" in names and "李老师" in names
    for raw in TRICKY:
        assert_text(ws, raw)
    assert client_for(world.principal).get(url).status_code == 200
    for person in (world.head_teacher, world.subject_teacher, world.parent):
        assert client_for(person).get(url).status_code == 403


def test_totals_export_counts_stars(world, client_for):
    from moral_ed.models import StarCategory

    star = StarCategory.objects.get(school=world.school, name="每周之星")
    conduct_services.star_nominate(actor=world.head_teacher, category=star, student=world.child, school_class=world.class1, reason="好")
    ws = sheet(client_for(world.head_teacher).get(reverse("moral_ed:award_export_class_totals", args=[world.class1.pk])))
    child = next(r for r in values(ws)[1:] if r[0] == "20260001")
    assert child[-1] == 1
