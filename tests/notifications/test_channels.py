"""The channel adapters and the delivery job: sent once, failures retried three times."""

import datetime
import logging
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from notifications import channels, services
from notifications.models import Delivery, DeliveryStatus
from tests.concurrency import at_once, failures

from . import adapters

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOON = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def noon():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def recording(settings):
    settings.NOTIFICATION_CHANNELS = ["rec:tests.notifications.adapters.RecordingAdapter"]
    adapters.SENT.clear()
    yield adapters.SENT
    adapters.SENT.clear()


def test_email_goes_to_the_persons_address_with_a_full_link(world, send):
    world.parent.email = "chen@example.cn"
    world.parent.save(update_fields=["email"])
    send([world.parent], link="/portal/child/1/")
    assert services.deliveries_send_due() == 3
    [message] = mail.outbox
    assert message.to == ["chen@example.cn"] and message.subject == "开家长会"
    assert "周五 15:00" in message.body and "https://banwu.example.cn/portal/child/1/" in message.body


def test_no_email_address_is_skipped_not_retried(world, send):
    send([world.head_teacher])
    email = Delivery.objects.get(channel="email")
    assert email.status == DeliveryStatus.SKIPPED and email.attempts == 0
    assert not mail.outbox


def test_log_adapters_write_to_the_log_and_mask_the_mobile(world, send, caplog):
    caplog.set_level(logging.INFO, logger="notifications.channels")
    send([world.parent])
    services.deliveries_send_due()
    assert "sms to 139****0001: 开家长会" in caplog.text
    assert f"wechat to user {world.parent.pk}: 开家长会" in caplog.text
    assert "13900000001" not in caplog.text


def test_a_failing_adapter_is_tried_three_times_then_marked_failed(world, send, settings):
    settings.NOTIFICATION_CHANNELS = ["sms:tests.notifications.adapters.BrokenAdapter"]
    send([world.parent])
    delivery = Delivery.objects.get()
    for minutes, attempts in ((0, 1), (2, 2), (12, 3)):
        with time_machine.travel(NOON + datetime.timedelta(minutes=minutes), tick=False):
            assert services.deliveries_send_due() == 0
        delivery.refresh_from_db()
        assert delivery.attempts == attempts
        assert "provider unreachable" in delivery.error
    assert delivery.status == DeliveryStatus.FAILED
    with time_machine.travel(NOON + datetime.timedelta(days=1), tick=False):
        services.deliveries_send_due()
    delivery.refresh_from_db()
    assert delivery.attempts == 3 and delivery.status == DeliveryStatus.FAILED


def test_a_failed_attempt_waits_before_the_next(world, send, settings):
    settings.NOTIFICATION_CHANNELS = ["sms:tests.notifications.adapters.BrokenAdapter"]
    send([world.parent])
    services.deliveries_send_due()
    with time_machine.travel(NOON + datetime.timedelta(minutes=1), tick=False):
        services.deliveries_send_due()
    assert Delivery.objects.get().attempts == 1


def test_requeue_gives_a_failed_delivery_three_new_attempts(world, send, settings):
    settings.NOTIFICATION_CHANNELS = ["sms:tests.notifications.adapters.BrokenAdapter"]
    send([world.parent])
    Delivery.objects.update(status=DeliveryStatus.FAILED, attempts=3)
    assert services.deliveries_requeue(delivery_ids=list(Delivery.objects.values_list("pk", flat=True))) == 1
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.QUEUED, 0)


def test_a_channel_removed_from_settings_is_skipped(world, send, settings):
    send([world.parent])
    settings.NOTIFICATION_CHANNELS = ["email"]
    services.deliveries_send_due()
    assert set(Delivery.objects.filter(channel__in=["sms", "wechat"]).values_list("status", "error")) == {
        (DeliveryStatus.SKIPPED, "channel not configured")
    }


def test_a_channel_turned_off_after_queueing_is_not_sent(world, send, recording):
    send([world.parent])
    services.preference_update(user=world.parent, quiet_start=datetime.time(22), quiet_end=datetime.time(6),
                               daily_digest=False, channels_off=["rec"])
    assert services.deliveries_send_due() == 0 and recording == []
    assert Delivery.objects.get().status == DeliveryStatus.SKIPPED


@pytest.mark.parametrize("entry", ["sms:", ":x.Y", "sms:no.such.Adapter", "fax"])
def test_unreadable_channel_settings_fail_loudly(settings, entry):
    settings.NOTIFICATION_CHANNELS = [entry]
    with pytest.raises(ImproperlyConfigured):
        channels.configured()


def test_default_channels(settings):
    found = channels.configured()
    assert list(found) == ["email", "sms", "wechat"]
    assert [type(a).__name__ for a in found.values()] == ["EmailAdapter", "LogSmsAdapter", "LogWeChatAdapter"]


def test_delivery_job_twice_sends_each_delivery_once(world, send, recording):
    send([world.parent, world.other_parent, world.head_teacher])
    assert services.deliveries_send_due() == 3
    assert services.deliveries_send_due() == 0
    with time_machine.travel(NOON + datetime.timedelta(hours=1), tick=False):
        assert services.deliveries_send_due() == 0
    assert sorted(recording) == sorted(Delivery.objects.values_list("pk", flat=True))
    assert set(Delivery.objects.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 1)}


@pytest.mark.django_db(transaction=True)
def test_delivery_job_on_two_connections_at_once_sends_each_delivery_once(world, recording, django_user_model):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    users = [django_user_model.objects.create(username=f"p{i}") for i in range(120)]
    services.notify(school=world.school, recipients=users, kind="home_school.notice", title="t", dedupe_key="k")
    def worker():
        return services.deliveries_send_due(now=NOON)

    results = at_once(worker, worker)
    assert not failures(results)
    assert sum(results) == 120 and all(results), results  # both workers took part
    assert len(recording) == len(set(recording)) == 120
    assert Delivery.objects.filter(status=DeliveryStatus.SENT, attempts=1).count() == 120
