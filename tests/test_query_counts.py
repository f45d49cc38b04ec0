"""List pages make the same number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    EnrollmentFactory,
    GuardianshipFactory,
    SchoolClassFactory,
    StudentFactory,
    TeachingAssignmentFactory,
    UserFactory,
)


def _count(client, url):
    # The first request of a session stamps it (idle timeout); count a steady one.
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _fill_class(world, school_class, n):
    for _ in range(n):
        student = StudentFactory(school=world.school)
        EnrollmentFactory(student=student, school_class=school_class)
        GuardianshipFactory(student=student, school=world.school)


def _add_classes(world, n, start):
    for i in range(n):
        c = SchoolClassFactory(school=world.school, school_year=world.year, grade=world.grade, number=start + i)
        TeachingAssignmentFactory(school=world.school, term=world.term, school_class=c, teacher=UserFactory(), is_head_teacher=True)
        _fill_class(world, c, 2)


@pytest.mark.parametrize("url_name", ["class_detail", "class_roster_export"])
def test_class_roster_pages_do_not_grow_with_students(world, head_teacher_client, url_name):
    url = reverse(f"classes:{url_name}", args=[world.class1.pk])
    _fill_class(world, world.class1, 5)
    small = _count(head_teacher_client, url)
    _fill_class(world, world.class1, 40)
    assert _count(head_teacher_client, url) == small


def test_class_list_does_not_grow_with_classes(world, office_client):
    url = reverse("classes:class_list")
    _add_classes(world, 2, start=10)
    small = _count(office_client, url)
    _add_classes(world, 12, start=20)
    assert _count(office_client, url) == small


def test_student_list_does_not_grow_with_students(world, office_client):
    url = reverse("students:student_list")
    _fill_class(world, world.class2, 5)
    small = _count(office_client, url)
    _fill_class(world, world.class2, 45)
    assert _count(office_client, url) == small


def test_portal_child_page_does_not_grow_with_children(world, parent_client):
    url = reverse("home_school:portal_child", args=[world.child.pk])
    small = _count(parent_client, url)
    for _ in range(3):
        student = StudentFactory(school=world.school)
        EnrollmentFactory(student=student, school_class=world.class2)
        GuardianshipFactory(student=student, guardian=world.parent_guardian, school=world.school)
    assert _count(parent_client, url) == small
