"""The two periodic jobs: reminders (only non-responders, once, never in
quiet hours) and scheduled sending, each run twice and on two workers."""


import pytest
import time_machine
from django.db import connection

from home_school.models.notices import Notice, NoticeReceipt, ReceiptType
from home_school.services import notices as services
from home_school.tasks import notices as tasks
from notifications.models import Notification
from tests.concurrency import at_once, failures

from .notices_support import NOV20, add_student, at, make_notice, second_guardian

REMINDER = "home_school.notice_reminder"


def _reminded_users():
    return list(Notification.objects.filter(kind=REMINDER).values_list("recipient_id", flat=True))


@pytest.fixture
def confirm_notice(world):
    """A confirmation notice to 六(1) sent 2026-11-20 10:00 (reminder after 24 h):
    陈小雨's mother confirms, 周子涵's guardian only reads it."""
    world.classmate_guardian = second_guardian(world, world.classmate, name="周妈妈", mobile="13900000021")
    with time_machine.travel(NOV20, tick=False):
        notice = make_notice(world, receipt_type=ReceiptType.CONFIRM)
        services.notice_confirm(notice=notice, user=world.parent, student=world.child)
        services.notice_mark_read(notice=notice, user=world.classmate_guardian.user, student_ids=[world.classmate.pk])
    return notice


def test_reminder_goes_only_to_guardians_who_have_not_confirmed(world, confirm_notice):
    with time_machine.travel("2026-11-21 10:15 +0800", tick=False):
        assert services.notice_reminders_due() == 1
    assert _reminded_users() == [world.classmate_guardian.user_id]
    reminded = NoticeReceipt.objects.get(notice=confirm_notice, student=world.classmate)
    assert reminded.reminded_at == at("2026-11-21 10:15")
    assert NoticeReceipt.objects.get(notice=confirm_notice, student=world.child).reminded_at is None
    row = Notification.objects.get(kind=REMINDER)
    assert row.dedupe_key == f"home_school.notice_reminder:{confirm_notice.pk}"
    assert row.link == f"/portal/notices/{confirm_notice.pk}/"


def test_reminder_waits_for_the_notice_delay(world, confirm_notice):
    with time_machine.travel("2026-11-21 09:15 +0800", tick=False):
        assert services.notice_reminders_due() == 0
    assert not _reminded_users()


def test_reminder_delay_is_per_notice(world):
    with time_machine.travel(NOV20, tick=False):
        make_notice(world, receipt_type=ReceiptType.READ, remind_after_hours=2)
        make_notice(world, receipt_type=ReceiptType.READ, remind_after_hours=None, title="不提醒")
    with time_machine.travel("2026-11-20 12:15 +0800", tick=False):
        assert services.notice_reminders_due() == 2  # both students of 六(1), the first notice only
    assert Notification.objects.filter(kind=REMINDER).count() == 1  # the one guardian of 陈小雨; 周子涵 has none


@pytest.mark.parametrize(
    "receipt_type, answer, reminded",
    [
        (ReceiptType.READ, "read", False),
        (ReceiptType.CONFIRM, "read", True),
        (ReceiptType.CONFIRM, "confirm", False),
        (ReceiptType.REPLY, "read", True),
        (ReceiptType.REPLY, "reply", False),
        (ReceiptType.NONE, None, False),
    ],
)
def test_what_counts_as_an_answer_depends_on_the_receipt_type(world, receipt_type, answer, reminded):
    with time_machine.travel(NOV20, tick=False):
        notice = make_notice(world, receipt_type=receipt_type)
        if answer == "read":
            services.notice_mark_read(notice=notice, user=world.parent, student_ids=[world.child.pk])
        elif answer == "confirm":
            services.notice_confirm(notice=notice, user=world.parent, student=world.child)
        elif answer == "reply":
            services.notice_reply(notice=notice, user=world.parent, student=world.child, choice=1)
    with time_machine.travel("2026-11-21 12:15 +0800", tick=False):
        services.notice_reminders_due()
    assert (world.parent.pk in _reminded_users()) is reminded


def test_no_reminder_in_quiet_hours_then_one_in_the_morning(world, confirm_notice):
    for moment in ("2026-11-21 21:30 +0800", "2026-11-21 23:59 +0800", "2026-11-22 03:00 +0800", "2026-11-22 06:59 +0800"):
        with time_machine.travel(moment, tick=False):
            assert services.notice_reminders_due() == 0
    assert not _reminded_users()
    with time_machine.travel("2026-11-22 07:15 +0800", tick=False):
        tasks.notice_reminders_due()
    assert _reminded_users() == [world.classmate_guardian.user_id]


def test_reminder_run_twice_reminds_once(world, confirm_notice):
    with time_machine.travel("2026-11-21 12:15 +0800", tick=False):
        assert services.notice_reminders_due() == 1
        assert services.notice_reminders_due() == 0
    with time_machine.travel("2026-11-22 12:15 +0800", tick=False):
        tasks.notice_reminders_due()
    assert _reminded_users() == [world.classmate_guardian.user_id]
    assert Notice.objects.get(pk=confirm_notice.pk).reminders_sent_at == at("2026-11-21 12:15")


def test_no_reminder_after_the_deadline(world):
    with time_machine.travel(NOV20, tick=False):
        make_notice(world, receipt_type=ReceiptType.REPLY, reply_deadline=at("2026-11-20 20:00"))
    with time_machine.travel("2026-11-21 12:15 +0800", tick=False):
        assert services.notice_reminders_due() == 0
    assert not _reminded_users()


def test_guardian_of_two_children_gets_one_reminder(world):
    add_student(world, world.class1, guardian=world.parent_guardian, name="陈小雷")
    with time_machine.travel(NOV20, tick=False):
        make_notice(world, receipt_type=ReceiptType.CONFIRM)
    with time_machine.travel("2026-11-21 12:15 +0800", tick=False):
        assert services.notice_reminders_due() == 3
    assert _reminded_users() == [world.parent.pk]


def _two_workers(job):
    errors = failures(at_once(job, job))
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_two_reminder_workers_at_once_remind_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("two concurrent connections need PostgreSQL")
    for _ in range(30):
        add_student(world, world.class1)
    with time_machine.travel(NOV20, tick=False):
        notice = make_notice(world, receipt_type=ReceiptType.CONFIRM)
    now = at("2026-11-21 12:15")
    _two_workers(lambda: services.notice_reminders_due(now=now))
    # 陈小雨's mother and the 30 new guardians (周子涵 has no guardian).
    assert Notification.objects.filter(kind=REMINDER).count() == 31
    assert len(set(_reminded_users())) == 31
    assert NoticeReceipt.objects.filter(notice=notice, reminded_at=now).count() == 32


@pytest.mark.django_db(transaction=True)
def test_two_sending_workers_at_once_send_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("two concurrent connections need PostgreSQL")
    for _ in range(30):
        add_student(world, world.class1)
    with time_machine.travel(NOV20, tick=False):
        notice = make_notice(world, send_now=False, scheduled_for=at("2026-11-20 18:00"))
    sent = []
    _two_workers(lambda: sent.append(services.notices_send_due(now=at("2026-11-20 18:00"))))
    assert sorted(sent) == [0, 1]
    assert NoticeReceipt.objects.filter(notice=notice).count() == 32
    assert Notification.objects.filter(kind="home_school.notice").count() == 31


def test_schedules_for_the_lead_are_well_formed():
    """NOTICE_SCHEDULES is seeded by a data migration the lead writes; each
    entry names a registered task, a valid crontab and a short expiry."""
    from celery import current_app
    from django_celery_beat.models import CrontabSchedule

    import config.celery  # noqa: F401 - registers the tasks

    registered = set(current_app.tasks)
    names = {s["task"] for s in tasks.NOTICE_SCHEDULES}
    assert names == {"home_school.notices_send_due", "home_school.notice_reminders_due"}
    assert names <= registered
    for item in tasks.NOTICE_SCHEDULES:
        CrontabSchedule(timezone="Asia/Shanghai", **item["cron"]).schedule  # noqa: B018 - parses the fields
        assert item["description"] and item["name"]
    every_minute = next(s for s in tasks.NOTICE_SCHEDULES if s["task"] == "home_school.notices_send_due")
    assert every_minute["expires_seconds"] < 60
    reminders = next(s for s in tasks.NOTICE_SCHEDULES if s["task"] == "home_school.notice_reminders_due")
    assert reminders["expires_seconds"] < 3600
    # The reminder runs never fall in quiet hours (21:30–07:00).
    hours = reminders["cron"]["hour"].split("-")
    assert int(hours[0]) >= 7 and int(hours[1]) <= 21 and int(reminders["cron"]["minute"]) < 30
