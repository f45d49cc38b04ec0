"""What a guardian sees, and when; the release job and the weekly summary
run twice or on two workers at once without doing anything twice."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from moral_ed.models import ConductEvent, ConductSettings, Disclosure
from moral_ed.services import conduct as services
from notifications.models import Notification
from tests.concurrency import at_once, failures

pytestmark = pytest.mark.usefixtures("items")


def _portal(world):
    client = Client()
    client.force_login(world.parent)
    return client.get(reverse("home_school:portal_child", args=[world.child.pk])).content.decode()


def test_guardian_sees_praise_at_once_and_a_deduction_only_at_release_time(world, record):
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        record(world.head_teacher, [world.child], "上课积极发言")
        record(world.head_teacher, [world.child], "迟到")
        page = _portal(world)
        assert "上课积极发言" in page and "迟到" not in page
    with time_machine.travel("2026-11-20 19:59 +0800", tick=False):
        assert services.staged_release_due() == 0
        assert "迟到" not in _portal(world)
    with time_machine.travel("2026-11-20 20:00 +0800", tick=False):
        assert services.staged_release_due() == 1
        assert "迟到" in _portal(world)
        note = Notification.objects.get(recipient=world.parent)
        assert note.kind == "moral_ed.conduct_released" and "陈小雨" in note.title


def test_event_written_after_release_time_waits_for_the_next_evening(world, record):
    with time_machine.travel("2026-11-20 21:15 +0800", tick=False):
        events, *_ = record(world.head_teacher, [world.child], "迟到")
    with time_machine.travel("2026-11-21 08:00 +0800", tick=False):
        assert services.staged_release_due() == 0
    with time_machine.travel("2026-11-21 20:00 +0800", tick=False):
        assert services.staged_release_due() == 1


def test_release_time_is_configurable_per_school(world, record):
    ConductSettings.objects.filter(school=world.school).update(release_time=datetime.time(17, 30))
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        events, *_ = record(world.head_teacher, [world.child], "迟到")
    with time_machine.travel("2026-11-20 17:30 +0800", tick=False):
        assert services.staged_release_due() == 1


def test_head_teacher_can_release_merge_or_void_before_the_release(world, record):
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        late, *_ = record(world.head_teacher, [world.child], "迟到")
        talk, *_ = record(world.head_teacher, [world.child], "上课讲话")
        mess, *_ = record(world.head_teacher, [world.child], "乱扔纸屑")
        homework, *_ = record(world.head_teacher, [world.classmate], "作业未完成")
        note = services.staged_merge(
            actor=world.head_teacher, school=world.school, student=world.child,
            event_ids=[late[0].pk, talk[0].pk], text="今天有些分心，我们已经谈过，明天会更好。",
        )
        services.points_void(actor=world.head_teacher, event=mess[0], reason="误记")
        assert services.staged_release(actor=world.head_teacher, school=world.school, event_ids=[homework[0].pk]) == 1
        page = _portal(world)
        assert "今天有些分心" in page
        assert "迟到" not in page and "上课讲话" not in page and "乱扔纸屑" not in page
    with time_machine.travel("2026-11-20 20:00 +0800", tick=False):
        # Nothing of the child's is left to release: merged and voided events stay hidden.
        assert services.staged_release_due() == 0
        page = _portal(world)
        assert "迟到" not in page and "乱扔纸屑" not in page
    assert ConductEvent.objects.get(pk=late[0].pk).disclosure == Disclosure.MERGED
    assert note.events.count() == 2


def test_guardian_never_sees_another_childs_entries(world, record):
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        record(world.head_teacher, [world.classmate], "拾金不昧", note="周子涵的好事")
        page = _portal(world)
    assert "拾金不昧" not in page and "周子涵" not in page
    client = Client()
    client.force_login(world.parent)
    assert client.get(reverse("home_school:portal_child", args=[world.classmate.pk])).status_code == 404
    assert client.get(reverse("moral_ed:student_points", args=[world.classmate.pk])).status_code == 403
    assert client.get(reverse("moral_ed:student_points", args=[world.child.pk])).status_code == 403


def test_release_job_twice_changes_nothing_more(world, record):
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        record(world.head_teacher, [world.child, world.classmate], "迟到")
    with time_machine.travel("2026-11-20 20:05 +0800", tick=False):
        assert services.staged_release_due() == 2
        first = list(ConductEvent.objects.values_list("pk", "disclosure", "released_at"))
        notes = Notification.objects.count()
        assert services.staged_release_due() == 0
        assert list(ConductEvent.objects.values_list("pk", "disclosure", "released_at")) == first
        assert Notification.objects.count() == notes == 1  # only 陈小雨 has a guardian account


@pytest.mark.django_db(transaction=True)
def test_release_job_on_two_workers_at_once_releases_each_event_once(world, items):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        for _ in range(30):
            services.points_record(actor=world.head_teacher, school=world.school, term=world.term, school_class=world.class1,
                                   student_ids=[world.child.pk, world.classmate.pk], item=items["迟到"])
    def worker():
        with time_machine.travel("2026-11-20 20:05 +0800", tick=False):
            return services.staged_release_due()

    results = at_once(worker, worker)
    assert not failures(results)
    assert sum(results) == 60
    assert ConductEvent.objects.filter(disclosure=Disclosure.STAGED).count() == 0
    assert Notification.objects.filter(recipient=world.parent, kind="moral_ed.conduct_released").count() == 1


def test_weekly_summary_reaches_each_head_teacher_once(world, record):
    with time_machine.travel("2026-11-18 10:00 +0800", tick=False):
        record(world.head_teacher, [world.child, world.classmate], "上课积极发言")
        record(world.head_teacher, [world.child], "迟到")
    with time_machine.travel("2026-11-23 07:00 +0800", tick=False):
        sent = services.weekly_summary_send(school=world.school, week_start=datetime.date(2026, 11, 16))
        assert sent == 2  # the two head teachers of school A
        assert services.weekly_summary_send(school=world.school, week_start=datetime.date(2026, 11, 16)) == 0
    mine = Notification.objects.get(recipient=world.head_teacher, kind="moral_ed.weekly_summary")
    assert "六(1)班" in mine.title
    assert "3" in mine.body and "2" in mine.body and "1" in mine.body
    assert Notification.objects.filter(kind="moral_ed.weekly_summary").count() == 2


@pytest.mark.django_db(transaction=True)
def test_weekly_summary_on_two_workers_at_once_sends_once(world, items):
    if connection.vendor != "postgresql":
        pytest.skip("needs two PostgreSQL connections")
    def worker():
        return services.weekly_summary_send(school=world.school, week_start=datetime.date(2026, 11, 16))

    results = at_once(worker, worker)
    assert not failures(results)
    assert Notification.objects.filter(kind="moral_ed.weekly_summary").count() == 2
