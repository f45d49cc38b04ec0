"""Quiet hours: the inbox row at once, the phone and e-mail after 07:00; urgent at once."""

import datetime
import logging
from zoneinfo import ZoneInfo

import pytest
import time_machine

from notifications import services
from notifications.models import Delivery, DeliveryStatus, Notification, NotificationPreference

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def test_non_urgent_at_22_00_is_delivered_at_07_00_next_day_not_before(world, send, caplog):
    caplog.set_level(logging.INFO, logger="notifications.channels")
    with time_machine.travel(_at("2026-11-20 22:00"), tick=False):
        send([world.parent])
        assert Notification.objects.filter(recipient=world.parent, read_at__isnull=True).count() == 1  # the inbox at once
        sms = Delivery.objects.get(channel="sms")
        assert sms.not_before == _at("2026-11-21 07:00")
        assert services.deliveries_send_due() == 0
    with time_machine.travel(_at("2026-11-21 06:59"), tick=False):
        assert services.deliveries_send_due() == 0
        assert "sms to" not in caplog.text
    with time_machine.travel(_at("2026-11-21 07:00"), tick=False):
        assert services.deliveries_send_due() == 2  # SMS and WeChat; no e-mail address
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.SENT and sms.sent_at == _at("2026-11-21 07:00")
    assert "sms to 139****0001: 开家长会" in caplog.text


def test_after_midnight_waits_until_07_00_the_same_day(world, send):
    with time_machine.travel(_at("2026-11-21 01:30"), tick=False):
        send([world.parent])
    assert Delivery.objects.get(channel="sms").not_before == _at("2026-11-21 07:00")


def test_outside_quiet_hours_goes_at_once(world, send):
    with time_machine.travel(_at("2026-11-20 21:29"), tick=False):
        send([world.parent])
        assert services.deliveries_send_due() == 2


@pytest.mark.parametrize("kwargs", [{"kind": "safety.notice"}, {"kind": "home_school.notice", "urgent": True}])
def test_urgent_at_22_00_is_sent_at_once(world, send, kwargs):
    with time_machine.travel(_at("2026-11-20 22:00"), tick=False):
        send([world.parent], **kwargs)
        assert Notification.objects.filter(recipient=world.parent).exists()
        assert services.deliveries_send_due() == 2
    assert set(Delivery.objects.filter(channel__in=["sms", "wechat"]).values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_persons_own_quiet_hours_count(world, send):
    services.preference_update(user=world.parent, quiet_start=datetime.time(12, 0), quiet_end=datetime.time(14, 0),
                               daily_digest=False, channels_off=[])
    with time_machine.travel(_at("2026-11-20 22:00"), tick=False):
        send([world.parent], key="evening")
        assert services.deliveries_send_due() == 2  # 22:00 is not quiet for this parent
    with time_machine.travel(_at("2026-11-21 12:30"), tick=False):
        send([world.parent], key="noon")
    assert Delivery.objects.filter(notification__dedupe_key="noon", channel="sms").get().not_before == _at("2026-11-21 14:00")


@pytest.mark.parametrize(
    "start,end,now,until",
    [
        ("21:30", "07:00", "2026-11-20 21:30", "2026-11-21 07:00"),
        ("21:30", "07:00", "2026-11-20 21:29", None),
        ("21:30", "07:00", "2026-11-21 06:59", "2026-11-21 07:00"),
        ("21:30", "07:00", "2026-11-21 07:00", None),
        ("12:00", "14:00", "2026-11-20 13:00", "2026-11-20 14:00"),
        ("12:00", "14:00", "2026-11-20 14:00", None),
        ("00:00", "06:00", "2026-11-20 23:59", None),
    ],
)
def test_quiet_until(start, end, now, until):
    pref = NotificationPreference(quiet_start=datetime.time.fromisoformat(start), quiet_end=datetime.time.fromisoformat(end))
    expected = _at(until) if until else None
    assert pref.quiet_until(_at(now)) == expected
    assert pref.quiet_until(_at(now).astimezone(datetime.UTC)) == expected  # stored in UTC, read in local time
