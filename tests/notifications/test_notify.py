"""notify() and the fan-out: once per (recipient, key), bulk writes, bounded broker messages."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import services, tasks
from notifications.models import Delivery, DeliveryStatus, Notification

pytestmark = pytest.mark.usefixtures("school_day")


@pytest.fixture
def school_day():
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        yield


def _users(n, prefix):
    User = get_user_model()
    User.objects.bulk_create(
        [User(username=f"{prefix}{i}", full_name=f"家长{i}", password="!") for i in range(n)]
    )
    return list(User.objects.filter(username__startswith=prefix).order_by("pk"))


def test_notify_twice_creates_one_notification_and_one_delivery_per_channel(world, send):
    assert send([world.parent, world.head_teacher]) == 2
    assert send([world.parent, world.head_teacher]) == 0
    assert Notification.objects.count() == 2
    assert Delivery.objects.count() == 2 * 3  # e-mail, SMS and WeChat per person
    assert sorted(Delivery.objects.filter(notification__recipient=world.parent).values_list("channel", "status")) == [
        ("email", DeliveryStatus.SKIPPED),  # no e-mail address
        ("sms", DeliveryStatus.QUEUED),
        ("wechat", DeliveryStatus.QUEUED),
    ]


def test_a_recipient_listed_twice_gets_one_notification(world, send):
    assert send([world.parent, world.parent]) == 1
    assert Notification.objects.filter(recipient=world.parent).count() == 1


def test_a_call_that_adds_a_recipient_notifies_only_the_new_one(world, send):
    send([world.parent])
    assert send([world.parent, world.other_parent]) == 1
    assert Notification.objects.count() == 2
    assert Delivery.objects.count() == 6


def test_moral_ed_call_without_urgent_still_works(world):
    """The keyword signature other apps use is unchanged."""
    made = services.notify(school=world.school, recipients=[world.head_teacher], kind="moral_ed.weekly_summary",
                           title="本周小结", body="", link="", dedupe_key="moral_ed.weekly_summary:class=1:week=2026-11-16")
    assert made == 1


def test_no_recipients_makes_no_query(world, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert services.notify(school=world.school, recipients=[], kind="x", title="x", dedupe_key="k") == 0


def test_no_channels_configured_makes_only_the_inbox_row(world, send, settings):
    settings.NOTIFICATION_CHANNELS = []
    assert send([world.parent]) == 1
    assert Delivery.objects.count() == 0


def test_opted_out_channel_is_recorded_as_skipped(world, send):
    services.preference_update(user=world.parent, quiet_start=datetime.time(22), quiet_end=datetime.time(6),
                               daily_digest=False, channels_off=["wechat"])
    send([world.parent])
    wechat = Delivery.objects.get(notification__recipient=world.parent, channel="wechat")
    assert wechat.status == DeliveryStatus.SKIPPED and "turned off" in wechat.error


def test_one_notify_call_makes_the_same_queries_for_10_or_500_recipients(world):
    """One chunk: read existing, insert inbox rows, read their ids, read
    preferences, insert deliveries, plus the savepoint pair."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite splits an INSERT at 999 parameters")
    counts = {}
    for n in (10, 500):
        users = _users(n, f"q{n}x")
        with CaptureQueriesContext(connection) as ctx:
            services.notify(school=world.school, recipients=users, kind="home_school.notice", title="t", dedupe_key=f"k{n}")
        counts[n] = len(ctx.captured_queries)
        assert Notification.objects.filter(dedupe_key=f"k{n}").count() == n
        assert Delivery.objects.filter(notification__dedupe_key=f"k{n}").count() == 3 * n
    assert counts[10] == counts[500] == 7, counts


def _fan_out(world, users, key, django_capture_on_commit_callbacks):
    with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=True):
        batches = services.notify_many(school=world.school, recipient_ids=[u.pk for u in users], kind="home_school.notice",
                                       title="全校通知", body="明天停课。", link="/portal/", dedupe_key=key)
    return batches, len(ctx.captured_queries)


def test_fan_out_queries_grow_only_with_the_number_of_batches(world, eager_celery, django_capture_on_commit_callbacks):
    small = _users(300, "fa")
    large = _users(3000, "fb")
    batches_300, queries_300 = _fan_out(world, small, "school:300", django_capture_on_commit_callbacks)
    batches_3000, queries_3000 = _fan_out(world, large, "school:3000", django_capture_on_commit_callbacks)
    assert (batches_300, batches_3000) == (6, 60)
    assert queries_300 / batches_300 == queries_3000 / batches_3000
    if connection.vendor == "postgresql":
        assert queries_3000 / batches_3000 == 8  # per batch: read users, 5 statements, the savepoint pair
    assert Notification.objects.filter(dedupe_key="school:3000").count() == 3000
    assert Delivery.objects.filter(notification__dedupe_key="school:3000").count() == 9000


def test_fan_out_to_3000_sends_at_most_one_broker_message_per_50_recipients(world, django_capture_on_commit_callbacks):
    users = _users(3000, "fc")
    with mock.patch.object(tasks.fan_out_batch, "delay") as delay, django_capture_on_commit_callbacks(execute=True):
        services.notify_many(school=world.school, recipient_ids=[u.pk for u in users], kind="home_school.notice",
                             title="全校通知", dedupe_key="school:all")
    assert delay.call_count == 60
    sizes = [len(call.args[1]) for call in delay.call_args_list]
    assert max(sizes) == 50 and sum(sizes) == 3000


def test_fan_out_is_sent_only_when_the_transaction_commits(world, django_capture_on_commit_callbacks):
    with mock.patch.object(tasks.fan_out_batch, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.notify_many(school=world.school, recipient_ids=[world.parent.pk], kind="k", title="t", dedupe_key="d")
        assert delay.call_count == 0 and len(callbacks) == 1


def test_fan_out_task_retried_adds_nothing(world, eager_celery, django_capture_on_commit_callbacks):
    ids = [world.parent.pk, world.other_parent.pk, world.head_teacher.pk]
    for _ in range(2):  # the broker delivered the whole fan-out twice
        with django_capture_on_commit_callbacks(execute=True):
            tasks.fan_out.delay(world.school.pk, ids, "home_school.notice", "全校通知", "", "/portal/", "school:retry")
    # and one batch once more, as a Celery retry would
    tasks.fan_out_batch.delay(world.school.pk, ids, "home_school.notice", "全校通知", "", "/portal/", "school:retry")
    assert Notification.objects.filter(dedupe_key="school:retry").count() == 3
    assert Delivery.objects.filter(notification__dedupe_key="school:retry").count() == 9


def test_fan_out_skips_inactive_accounts(world, eager_celery, django_capture_on_commit_callbacks):
    world.other_parent.is_active = False
    world.other_parent.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        services.notify_many(school=world.school, recipient_ids=[world.parent.pk, world.other_parent.pk], kind="k",
                             title="t", dedupe_key="d")
    assert list(Notification.objects.values_list("recipient", flat=True)) == [world.parent.pk]
