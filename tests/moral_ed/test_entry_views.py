"""The two-tap entry page and its POST: who may record, and the query budget."""

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from moral_ed.models import ConductEvent
from tests.factories import EnrollmentFactory, StudentFactory

pytestmark = pytest.mark.usefixtures("items")


@pytest.fixture(autouse=True)
def school_day():
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        yield

HTMX = {"HTTP_HX_REQUEST": "true"}


def _post(client, world, items, students, item="上课积极发言", school_class=None, **extra):
    url = reverse("moral_ed:points_record", args=[(school_class or world.class1).pk])
    return client.post(url, {"students": [s.pk for s in students], "item": items[item].pk, **extra}, **HTMX)


@pytest.mark.parametrize(
    "person, class_attr, expected",
    [
        ("head_teacher", "class1", 200),
        ("subject_teacher", "class1", 200),
        ("office", "class1", 200),
        ("office", "class2", 200),
        ("other_head_teacher", "class1", 404),
        ("subject_teacher", "class2", 404),
        ("principal", "class1", 403),
        ("counsellor", "class1", 403),
        ("parent", "class1", 403),
        ("student_user", "class1", 403),
        ("b.office", "class1", 404),
        ("b.head_teacher", "class1", 404),
    ],
)
def test_who_may_record_in_a_class(world, items, client_for, person, class_attr, expected):
    user = world
    for part in person.split("."):
        user = getattr(user, part)
    school_class = getattr(world, class_attr)
    student = world.child if class_attr == "class1" else world.other_child
    client = client_for(user)
    assert client.get(reverse("moral_ed:class_entry", args=[school_class.pk])).status_code == expected
    response = _post(client, world, items, [student], school_class=school_class)
    assert response.status_code == expected
    assert ConductEvent.objects.filter(student=student).exists() == (expected == 200)


def test_anonymous_is_sent_to_login(world, items):
    response = _post(Client(), world, items, [world.child])
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not ConductEvent.objects.exists()


def test_posted_fields_other_than_students_item_and_note_are_ignored(world, items, head_teacher_client):
    _post(head_teacher_client, world, items, [world.child], points="99", recorded_by=world.office.pk,
          school=world.b.school.pk, disclosure="released", item_points="50")
    event = ConductEvent.objects.get()
    assert event.points == 1 and event.recorded_by == world.head_teacher and event.school == world.school


def test_posting_a_student_of_another_class_records_nothing(world, items, head_teacher_client):
    response = _post(head_teacher_client, world, items, [world.child, world.other_child])
    assert response.status_code == 422
    assert "不在" in response.content.decode() or "not in this class" in response.content.decode()
    assert not ConductEvent.objects.exists()


def test_posting_another_schools_item_is_refused(world, items, head_teacher_client):
    from moral_ed.models import ConductItem

    other = ConductItem.objects.filter(school=world.b.school).first()
    url = reverse("moral_ed:points_record", args=[world.class1.pk])
    response = head_teacher_client.post(url, {"students": [world.child.pk], "item": other.pk}, **HTMX)
    assert response.status_code == 422 and not ConductEvent.objects.exists()


def test_entry_answers_with_new_totals_and_an_undo(world, items, head_teacher_client):
    response = _post(head_teacher_client, world, items, [world.child, world.classmate], item="拾金不昧")
    html = response.content.decode()
    assert f'id="today-{world.child.pk}"' in html and "+3" in html
    batch = ConductEvent.objects.first().batch
    assert str(batch) in html
    undo = head_teacher_client.post(reverse("moral_ed:batch_undo", args=[world.class1.pk]), {"batch": str(batch)}, **HTMX)
    assert undo.status_code == 200
    assert ConductEvent.objects.filter(voided_at__isnull=True).count() == 0
    assert f'id="today-{world.child.pk}"' in undo.content.decode()


def test_plain_post_without_htmx_redirects_back(world, items, head_teacher_client):
    url = reverse("moral_ed:points_record", args=[world.class1.pk])
    response = head_teacher_client.post(url, {"students": [world.child.pk], "item": items["上课积极发言"].pk})
    assert response.status_code == 302 and response["Location"] == reverse("moral_ed:class_entry", args=[world.class1.pk])
    assert ConductEvent.objects.count() == 1


def _fill(world, n):
    for _ in range(n):
        EnrollmentFactory(student=StudentFactory(school=world.school), school_class=world.class1)


def _queries(client, method, url, data=None, **extra):
    getattr(client, method)(url, data or {}, **extra)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {}, **extra)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries), ctx


def test_class_entry_page_queries_do_not_grow_with_students(world, items, head_teacher_client):
    url = reverse("moral_ed:class_entry", args=[world.class1.pk])
    _fill(world, 8)  # 10 students
    ten, _ = _queries(head_teacher_client, "get", url)
    _fill(world, 40)  # 50 students
    fifty, _ = _queries(head_teacher_client, "get", url)
    assert ten == fifty


@pytest.mark.django_db(transaction=True)
def test_conduct_entry_post_makes_at_most_eight_queries(world, items, head_teacher_client):
    """As in production: no test transaction around it (so no savepoints),
    the session read from the cache. Counted: statements that read or write
    data; the entry's own BEGIN/COMMIT pair is listed apart. Six for the
    entry, two for exactly once (core.idempotency): the request key's
    lookup before the transaction and its INSERT in it, with the entry's."""
    url = reverse("moral_ed:points_record", args=[world.class1.pk])
    data = {"students": [world.child.pk], "item": items["上课积极发言"].pk}
    _, ctx = _queries(head_teacher_client, "post", url, data, **HTMX)
    statements = [q["sql"] for q in ctx.captured_queries]
    is_control = lambda sql: sql.split()[0].upper() in ("BEGIN", "COMMIT")  # noqa: E731  (SQLite says BEGIN IMMEDIATE)
    control = [s.split()[0].upper() for s in statements if is_control(s)]
    data_statements = [s for s in statements if not is_control(s)]
    assert len(data_statements) <= 8, "\n".join(s[:160] for s in statements)
    assert control == ["BEGIN", "COMMIT"]
    assert [s.split('"')[1] for s in data_statements if s.startswith("INSERT")] == ["moral_ed_conductevent", "core_requestkey"]


def test_office_cannot_record_into_last_years_class(world, client_for):
    """Last year's enrolments stay open after the roll-over, so the class
    itself must be of the current school year (as the class list shows)."""
    import datetime

    from tests.factories import SchoolClassFactory, SchoolYearFactory

    last_year = SchoolYearFactory(
        school=world.school, name="2025-2026", start_date=datetime.date(2025, 9, 1), end_date=datetime.date(2026, 7, 31)
    )
    old_class = SchoolClassFactory(school=world.school, school_year=last_year, grade=world.grade, number=1, name="五(1)班")
    EnrollmentFactory(student=world.child, school=world.school, school_class=old_class, school_year=last_year)
    client = client_for(world.office)
    assert client.get(reverse("moral_ed:class_entry", args=[old_class.pk])).status_code == 404
    response = client.post(reverse("moral_ed:points_record", args=[old_class.pk]), {"students": [world.child.pk], "item": 1})
    assert response.status_code == 404
    assert not ConductEvent.objects.filter(school_class=old_class).exists()
    assert client.get(reverse("moral_ed:class_entry", args=[world.class1.pk])).status_code == 200
