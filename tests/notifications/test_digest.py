"""The daily digest: one message per person and day instead of one per notification."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection

from notifications import services
from notifications.models import Delivery, DeliveryStatus, Notification
from tests.concurrency import at_once, failures

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def digest_parent(world):
    world.parent.email = "chen@example.cn"
    world.parent.save(update_fields=["email"])
    services.preference_update(user=world.parent, quiet_start=datetime.time(21, 30), quiet_end=datetime.time(7),
                               daily_digest=True, channels_off=["wechat"])
    return world.parent


def _day_of_messages(send, parent):
    with time_machine.travel(_at("2026-11-20 09:00"), tick=False):
        send([parent], key="a", title="明天带水彩笔")
    with time_machine.travel(_at("2026-11-20 15:00"), tick=False):
        send([parent], key="b", title="家长会改到周五")
        send([parent], key="c", title="放学提前", kind="safety.notice")


def test_digest_holds_non_urgent_messages_and_sends_one_summary_at_18_00(world, send, digest_parent):
    _day_of_messages(send, digest_parent)
    with time_machine.travel(_at("2026-11-20 15:01"), tick=False):
        services.deliveries_send_due()
    assert [m.subject for m in mail.outbox] == ["放学提前"]  # urgent: at once, not held
    held = Delivery.objects.filter(status=DeliveryStatus.DIGEST)
    assert sorted(held.values_list("notification__dedupe_key", "channel")) == [("a", "email"), ("a", "sms"), ("b", "email"), ("b", "sms")]

    with time_machine.travel(_at("2026-11-20 18:00"), tick=False):
        assert services.digest_send_due() == 1
        assert services.deliveries_send_due() == 2  # the digest by e-mail and SMS
    digest = Notification.objects.get(recipient=digest_parent, kind=services.DIGEST_KIND)
    assert digest.dedupe_key == "notifications.daily_digest:day=2026-11-20"
    assert digest.read_at is not None  # its items are in the inbox already
    assert "明天带水彩笔" in digest.body and "家长会改到周五" in digest.body and "放学提前" not in digest.body
    assert len(mail.outbox) == 2 and "明天带水彩笔" in mail.outbox[1].body
    assert not Delivery.objects.filter(status=DeliveryStatus.DIGEST).exists()
    assert Delivery.objects.filter(status=DeliveryStatus.DIGESTED).count() == 4


def test_digest_job_twice_sends_one_digest(world, send, digest_parent):
    _day_of_messages(send, digest_parent)
    with time_machine.travel(_at("2026-11-20 18:00"), tick=False):
        assert services.digest_send_due() == 1
        assert services.digest_send_due() == 0
    assert Notification.objects.filter(kind=services.DIGEST_KIND).count() == 1


def test_messages_after_the_digest_wait_for_tomorrows(world, send, digest_parent):
    _day_of_messages(send, digest_parent)
    with time_machine.travel(_at("2026-11-20 18:00"), tick=False):
        services.digest_send_due()
    with time_machine.travel(_at("2026-11-20 19:00"), tick=False):
        send([digest_parent], key="d", title="晚间提醒")
        assert services.digest_send_due() == 0  # today's digest went out already
    assert Delivery.objects.filter(status=DeliveryStatus.DIGEST, notification__dedupe_key="d").count() == 2
    with time_machine.travel(_at("2026-11-21 18:00"), tick=False):
        assert services.digest_send_due() == 1
    tomorrow = Notification.objects.get(dedupe_key="notifications.daily_digest:day=2026-11-21")
    assert "晚间提醒" in tomorrow.body and "明天带水彩笔" not in tomorrow.body


def test_digest_respects_quiet_hours(world, send, digest_parent):
    services.preference_update(user=digest_parent, quiet_start=datetime.time(17), quiet_end=datetime.time(20),
                               daily_digest=True, channels_off=[])
    with time_machine.travel(_at("2026-11-20 09:00"), tick=False):
        send([digest_parent], key="a")
    with time_machine.travel(_at("2026-11-20 18:00"), tick=False):
        services.digest_send_due()
        assert services.deliveries_send_due() == 0
    digest = Notification.objects.get(kind=services.DIGEST_KIND)
    assert set(digest.deliveries.filter(status=DeliveryStatus.QUEUED).values_list("not_before", flat=True)) == {_at("2026-11-20 20:00")}


def test_people_without_digest_get_nothing_from_the_digest_job(world, send):
    with time_machine.travel(_at("2026-11-20 09:00"), tick=False):
        send([world.parent])
    with time_machine.travel(_at("2026-11-20 18:00"), tick=False):
        assert services.digest_send_due() == 0
    assert not Notification.objects.filter(kind=services.DIGEST_KIND).exists()


def test_a_long_digest_lists_ten_titles_and_counts_the_rest(world, send, digest_parent, settings):
    settings.LANGUAGE_CODE = "en"
    with time_machine.travel(_at("2026-11-20 09:00"), tick=False):
        for i in range(13):
            send([digest_parent], key=f"n{i}", title=f"通知{i}")
    with time_machine.travel(_at("2026-11-20 18:00"), tick=False):
        services.digest_send_due()
    digest = Notification.objects.get(kind=services.DIGEST_KIND)
    assert digest.title == "Today at school: 13 new notifications"
    assert digest.body.count("· ") == 10 and digest.body.endswith("…and 3 more.")


@pytest.mark.django_db(transaction=True)
def test_digest_job_on_two_workers_at_once_sends_one_digest(world, send, digest_parent):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    _day_of_messages(send, digest_parent)
    def worker():
        return services.digest_send_due(now=_at("2026-11-20 18:00"))

    results = at_once(worker, worker)
    assert not failures(results)
    assert sum(results) == 1
    assert Notification.objects.filter(kind=services.DIGEST_KIND).count() == 1
    assert Delivery.objects.filter(status=DeliveryStatus.DIGESTED).count() == 4
