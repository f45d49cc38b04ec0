"""A school administrator runs their own school in the Django admin and
sees nothing of another school's rows, by list or by id."""

import pytest
from django.urls import reverse

from accounts.models import Membership, Role
from tests.factories import UserFactory

ADMIN_MODELS = [
    ("classes", "school"),
    ("classes", "schoolyear"),
    ("classes", "term"),
    ("classes", "grade"),
    ("classes", "schoolclass"),
    ("classes", "teachingassignment"),
    ("students", "student"),
    ("students", "guardian"),
    ("students", "guardianship"),
    ("students", "enrollment"),
    ("accounts", "membership"),
    ("accounts", "user"),
    ("accounts", "auditevent"),
]


@pytest.mark.parametrize("app, model", ADMIN_MODELS)
def test_school_admin_changelist_opens(world, client_for, app, model):
    response = client_for(world.school_admin).get(reverse(f"admin:{app}_{model}_changelist"))
    assert response.status_code == 200


def test_school_admin_sees_only_own_school_rows(world, client_for):
    client = client_for(world.school_admin)
    page = client.get(reverse("admin:students_student_changelist")).content.decode()
    assert "陈小雨" in page and "B校学生" not in page
    page = client.get(reverse("admin:classes_school_changelist")).content.decode()
    assert "青松路小学" in page and "翠湖中学" not in page
    page = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "王老师" in page and "B校班主任" not in page


@pytest.mark.parametrize(
    "url_name, target",
    [
        ("admin:students_student_change", "b.child"),
        ("admin:classes_schoolclass_change", "b.class1"),
        ("admin:classes_school_change", "b.school"),
        ("admin:accounts_user_change", "b.head_teacher"),
    ],
)
def test_school_admin_cannot_open_other_school_rows_by_id(world, client_for, url_name, target):
    obj = world
    for part in target.split("."):
        obj = getattr(obj, part)
    response = client_for(world.school_admin).get(reverse(url_name, args=[obj.pk]))
    # The admin answers a row outside the queryset with a redirect to the index.
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"] == reverse("admin:index")


def test_school_admin_cannot_edit_other_school_student(world, client_for):
    url = reverse("admin:students_student_change", args=[world.b.child.pk])
    client_for(world.school_admin).post(url, {"name": "改掉", "student_number": "X1", "school": world.b.school.pk})
    world.b.child.refresh_from_db()
    assert world.b.child.name == "B校学生"


def test_school_admin_foreign_key_choices_are_own_school(world, client_for):
    page = client_for(world.school_admin).get(reverse("admin:students_student_add")).content.decode()
    assert "青松路小学" in page and "翠湖中学" not in page


def test_staff_flag_without_school_admin_role_gets_no_admin_models(world, client_for):
    user = UserFactory(username="stafflike", is_staff=True)
    Membership.objects.create(user=user, school=world.school, role=Role.OFFICE)
    client = client_for(user)
    assert client.get(reverse("admin:students_student_changelist")).status_code == 403


def test_audit_events_are_read_only_in_admin(world, client_for):
    from accounts.services import audit_record

    event = audit_record(actor=world.office, school=world.school, action="tests.thing.done")
    client = client_for(world.school_admin)
    assert client.get(reverse("admin:accounts_auditevent_change", args=[event.pk])).status_code == 200
    assert client.post(reverse("admin:accounts_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
