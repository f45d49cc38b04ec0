"""The class roster export (classes.views.class_roster_export): who may
take it, what it holds, and that nothing in it runs as a formula."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEvent
from core.exports import safe_cell, xlsx_bytes
from tests import factories as f

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_url(school_class):
    return reverse("classes:class_roster_export", args=[school_class.pk])


def sheet_rows(response):
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows())


@pytest.fixture
def father(world):
    guardian = f.GuardianFactory(school=world.school, name="陈爸爸", mobile="13900000011")
    f.GuardianshipFactory(school=world.school, student=world.child, guardian=guardian, relationship="father")
    return guardian


def test_head_teacher_downloads_the_roster_with_a_row_per_guardian(world, head_teacher_client, father):
    response = head_teacher_client.get(export_url(world.class1), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".xlsx" in response["Content-Disposition"]
    values = [[cell.value for cell in row] for row in sheet_rows(response)]
    assert values[0] == ["Student number", "Name", "Gender", "Date of birth", "Guardian", "Relationship", "Mobile"]
    assert values[1:] == [
        ["20260001", "陈小雨", "female", None, "陈妈妈", "mother", "13900000001"],
        ["20260001", "陈小雨", "female", None, "陈爸爸", "father", "13900000011"],
        ["20260002", "周子涵", "female", None, None, None, None],  # no guardian yet: one row, blank contacts
    ]
    # 六(2)'s students are not in 六(1)'s roster.
    assert "吴浩然" not in {v for row in values for v in row}


def test_export_writes_an_audit_row(world, head_teacher_client, father):
    head_teacher_client.get(export_url(world.class1))

    event = AuditEvent.objects.get(action="classes.roster.exported")
    assert (event.actor, event.school, event.target_id, event.data) == (
        world.head_teacher,
        world.school,
        str(world.class1.pk),
        {"rows": 3},
    )


@pytest.mark.parametrize("who", ["other_head_teacher", "b_head_teacher", "b_admin"])
def test_other_staff_get_404_and_no_audit_row(world, client_for, who):
    user = {"other_head_teacher": world.other_head_teacher, "b_head_teacher": world.b.head_teacher, "b_admin": world.b.admin}[who]

    response = client_for(user).get(export_url(world.class1))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="classes.roster.exported").exists()


@pytest.mark.parametrize("who", ["parent", "student_user"])
def test_guardians_and_students_are_refused_and_no_audit_row(world, client_for, who):
    """Staff pages refuse non-staff before looking the class up
    (classes.policies.require_staff), so they get 403, not 404."""
    response = client_for(getattr(world, who)).get(export_url(world.class1))

    assert response.status_code == 403
    assert b"PK" not in response.content[:2]
    assert not AuditEvent.objects.filter(action="classes.roster.exported").exists()


def test_subject_teacher_sees_the_class_but_may_not_export_it(world, client_for):
    assert client_for(world.subject_teacher).get(export_url(world.class1)).status_code == 403


def test_anonymous_is_sent_to_login(world, client):
    response = client.get(export_url(world.class1))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_office_may_export_any_class(world, office_client):
    assert office_client.get(export_url(world.class2)).status_code == 200


FORMULA_NAMES = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "\nx", "=1+1"]


def test_formula_like_names_come_out_as_text_never_as_formulas(world, head_teacher_client):
    for n, name in enumerate(FORMULA_NAMES):
        guardian = f.GuardianFactory(school=world.school, name=name, mobile=f"1370000{n:04d}")
        f.GuardianshipFactory(school=world.school, student=world.classmate, guardian=guardian, relationship="other")

    response = head_teacher_client.get(export_url(world.class1))

    guardian_cells = {row[4].value: row[4] for row in sheet_rows(response)[1:] if row[1].value == "周子涵"}
    assert set(guardian_cells) == {"'" + name for name in FORMULA_NAMES}
    for cell in guardian_cells.values():
        assert cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_a_class_name_excel_cannot_use_as_a_sheet_name_still_exports(world, head_teacher_client):
    world.class1.name = "六(1)班/实验班"
    world.class1.save(update_fields=["name"])

    response = head_teacher_client.get(export_url(world.class1))

    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).active.title == "六(1)班_实验班"


def test_control_characters_are_dropped_instead_of_breaking_the_file():
    assert safe_cell("陈\x0b妈妈") == "陈妈妈"
    assert safe_cell("\x01=1+1") == "'=1+1"
    assert safe_cell(5) == 5
    sheet = load_workbook(io.BytesIO(xlsx_bytes("t", ["h"], [["a\x0bb"]]))).active
    assert sheet["A2"].value == "ab"
