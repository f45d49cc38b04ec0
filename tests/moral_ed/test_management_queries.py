"""The management pages make the same number of queries whatever the
number of students, entries, groups, rewards and nominations."""

from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from moral_ed.models import StarCategory
from moral_ed.services import conduct as services
from tests.factories import EnrollmentFactory, SchoolClassFactory, StudentFactory

pytestmark = pytest.mark.usefixtures("items")


@pytest.fixture(autouse=True)
def school_day():
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        yield


def _count(client, url):
    # The first request of a session stamps it (idle timeout); count a steady one.
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _students(world, n, school_class=None):
    school_class = school_class or world.class1
    students = [StudentFactory(school=world.school) for _ in range(n)]
    for s in students:
        EnrollmentFactory(student=s, school_class=school_class)
    return students


def _record(world, items, students, item, school_class=None):
    return services.points_record(
        actor=world.head_teacher,
        school=world.school,
        term=world.term,
        school_class=school_class or world.class1,
        student_ids=[s.pk for s in students],
        item=items[item],
    )[0]


def test_review_queue_does_not_grow_with_students_or_entries(world, items, head_teacher_client):
    url = reverse("moral_ed:review_queue", args=[world.class1.pk])
    students = _students(world, 2)
    for item in ("迟到", "上课讲话"):
        _record(world, items, students, item)
    small = _count(head_teacher_client, url)
    students = _students(world, 6)
    for item in ("迟到", "上课讲话", "乱扔纸屑"):
        _record(world, items, students, item)
    assert _count(head_teacher_client, url) == small


def _groups(world, items, n, start):
    for i in range(n):
        members = _students(world, 2)
        group = services.group_save(
            actor=world.head_teacher, school_class=world.class1, kind="study", name=f"组{start + i}", student_ids=[s.pk for s in members]
        )
        _record(world, items, members, "上课积极发言")
        services.group_points_record(actor=world.head_teacher, term=world.term, group=group, item=items["值日认真"])


@pytest.mark.parametrize("person", ["head_teacher", "subject_teacher"])
def test_class_groups_does_not_grow_with_groups(world, items, client_for, person):
    client = client_for(getattr(world, person))
    url = reverse("moral_ed:class_groups", args=[world.class1.pk])
    _groups(world, items, 2, start=0)
    small = _count(client, url)
    _groups(world, items, 6, start=10)
    assert _count(client, url) == small


def test_group_form_does_not_grow_with_students(world, items, head_teacher_client):
    _groups(world, items, 1, start=0)
    group = world.class1.groups.get()
    url = reverse("moral_ed:group_edit", args=[group.pk])
    _students(world, 10)
    small = _count(head_teacher_client, url)
    _groups(world, items, 4, start=10)
    _students(world, 40)
    assert _count(head_teacher_client, url) == small


@pytest.mark.parametrize("period", ["week", "month", "term"])
def test_class_ranking_does_not_grow_with_students(world, items, head_teacher_client, period):
    url = reverse("moral_ed:class_ranking", args=[world.class1.pk]) + f"?period={period}"
    _record(world, items, _students(world, 10), "拾金不昧")
    small = _count(head_teacher_client, url)
    students = _students(world, 40)
    _record(world, items, students, "拾金不昧")
    _record(world, items, students, "迟到")
    assert _count(head_teacher_client, url) == small


def _bank(world, items, n_students, n_rewards, start):
    students = _students(world, n_students)
    _record(world, items, students, "拾金不昧")
    for i in range(n_rewards):
        reward = services.reward_save(actor=world.head_teacher, school_class=world.class1, name=f"奖品{start + i}", cost=Decimal("1"))
        services.reward_redeem(actor=world.head_teacher, student=students[i], reward=reward)


@pytest.mark.parametrize("person", ["head_teacher", "subject_teacher", "office"])
def test_class_bank_does_not_grow_with_students_rewards_or_redemptions(world, items, client_for, person):
    client = client_for(getattr(world, person))
    url = reverse("moral_ed:class_bank", args=[world.class1.pk])
    _bank(world, items, 10, 2, start=0)
    small = _count(client, url)
    _bank(world, items, 40, 8, start=10)
    assert _count(client, url) == small


def test_class_stars_does_not_grow_with_students_or_awards(world, items, head_teacher_client):
    url = reverse("moral_ed:class_stars", args=[world.class1.pk])
    weekly = StarCategory.objects.get(school=world.school, name="每周之星")
    polite = StarCategory.objects.get(school=world.school, name="文明礼貌之星")

    def fill(n):
        students = _students(world, n)
        _record(world, items, students, "拾金不昧")
        _record(world, items, students, "上课积极发言")
        for s in students[:3]:
            for star in (weekly, polite):
                services.star_nominate(actor=world.head_teacher, category=star, student=s, school_class=world.class1, reason="好")

    fill(10)
    small = _count(head_teacher_client, url)
    fill(40)
    assert _count(head_teacher_client, url) == small


def test_star_queue_does_not_grow_with_nominations(world, items, office_client):
    url = reverse("moral_ed:star_queue")
    stars = list(StarCategory.objects.filter(school=world.school, is_school_star=True))

    def nominate(n):
        school_class = SchoolClassFactory(school=world.school, school_year=world.year, grade=world.grade)
        for s in _students(world, n, school_class=school_class):
            for star in stars[:2]:
                services.star_nominate(actor=world.head_teacher, category=star, student=s, school_class=school_class, reason="好")

    nominate(1)
    small = _count(office_client, url)
    nominate(4)
    nominate(3)
    assert _count(office_client, url) == small


def test_class_entry_with_the_review_badge_does_not_grow(world, items, head_teacher_client):
    url = reverse("moral_ed:class_entry", args=[world.class1.pk])
    _record(world, items, _students(world, 5), "迟到")
    small = _count(head_teacher_client, url)
    _record(world, items, _students(world, 30), "迟到")
    assert _count(head_teacher_client, url) == small
