"""Admin pages scoped to the administrator's school; the beat schedules."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from notifications import services
from notifications.models import Delivery, DeliveryStatus, NotificationPreference


@pytest.fixture
def deliveries(world, send):
    send([world.parent], key="a", title="A校通知")
    services.notify(school=world.b.school, recipients=[world.b.parent], kind="home_school.notice", title="B校通知", dedupe_key="b")
    for user in (world.parent, world.b.parent):
        services.preference_update(user=user, quiet_start=datetime.time(22), quiet_end=datetime.time(6),
                                   daily_digest=False, channels_off=[])
    return {
        "a": Delivery.objects.filter(notification__school=world.school, channel="sms").get(),
        "b": Delivery.objects.filter(notification__school=world.b.school, channel="sms").get(),
    }


def test_school_admin_sees_only_own_schools_deliveries(world, deliveries, client_for):
    client = client_for(world.school_admin)
    page = client.get(reverse("admin:notifications_delivery_changelist")).content.decode()
    assert str(world.parent) in page and str(world.b.parent) not in page
    assert client.get(reverse("admin:notifications_delivery_change", args=[deliveries["a"].pk])).status_code == 200
    assert client.get(reverse("admin:notifications_delivery_change", args=[deliveries["b"].pk])).status_code == 302  # "does not exist", as for any other school's row
    assert client.get(reverse("admin:notifications_delivery_changelist"), {"status__exact": "queued", "channel": "sms"}).status_code == 200


def test_delivery_admin_is_read_only(world, deliveries, client_for):
    client = client_for(world.school_admin)
    url = reverse("admin:notifications_delivery_change", args=[deliveries["a"].pk])
    client.post(url, {"status": "sent"})
    deliveries["a"].refresh_from_db()
    assert deliveries["a"].status == DeliveryStatus.QUEUED
    assert client.get(reverse("admin:notifications_delivery_add")).status_code == 403


def test_requeue_action_moves_only_own_schools_failed_deliveries(world, deliveries, client_for):
    Delivery.objects.update(status=DeliveryStatus.FAILED, attempts=3)
    client = client_for(world.school_admin)
    client.post(reverse("admin:notifications_delivery_changelist"),
                {"action": "requeue", "_selected_action": [deliveries["a"].pk, deliveries["b"].pk]})
    assert Delivery.objects.get(pk=deliveries["a"].pk).status == DeliveryStatus.QUEUED
    assert Delivery.objects.get(pk=deliveries["b"].pk).status == DeliveryStatus.FAILED


def test_school_admin_sees_only_own_schools_preferences(world, deliveries, client_for):
    client = client_for(world.school_admin)
    page = client.get(reverse("admin:notifications_notificationpreference_changelist")).content.decode()
    assert str(world.parent) in page and str(world.b.parent) not in page
    mine = NotificationPreference.objects.get(user=world.parent)
    theirs = NotificationPreference.objects.get(user=world.b.parent)
    assert client.get(reverse("admin:notifications_notificationpreference_change", args=[mine.pk])).status_code == 200
    assert client.get(reverse("admin:notifications_notificationpreference_change", args=[theirs.pk])).status_code == 302  # "does not exist", as for any other school's row


def test_a_person_in_two_schools_is_listed_once(world, deliveries, client_for):
    from tests.factories import MembershipFactory

    MembershipFactory(user=world.parent, school=world.school, role="student")
    client = client_for(world.school_admin)
    response = client.get(reverse("admin:notifications_notificationpreference_changelist"))
    assert response.context["cl"].result_count == 1


def test_beat_schedules_are_seeded_with_expiry_shorter_than_the_interval(db):
    migration = importlib.import_module("notifications.migrations.0003_default_schedules")
    migration.forwards(apps, None)
    migration.forwards(apps, None)  # idempotent
    every_minute = PeriodicTask.objects.get(task="notifications.deliveries_send_due")
    digest = PeriodicTask.objects.get(task="notifications.digest_send_due")
    assert (every_minute.crontab.minute, every_minute.expire_seconds) == ("*", 50)
    assert (digest.crontab.hour, digest.crontab.minute, digest.expire_seconds) == ("18", "0", 3600)
    assert str(digest.crontab.timezone) == "Asia/Shanghai"
    assert PeriodicTask.objects.filter(task__startswith="notifications.").count() == 2


def test_scheduled_task_names_exist():
    from config.celery import app

    app.loader.import_default_modules()
    assert {"notifications.deliveries_send_due", "notifications.digest_send_due", "notifications.fan_out",
            "notifications.fan_out_batch"} <= set(app.tasks)
