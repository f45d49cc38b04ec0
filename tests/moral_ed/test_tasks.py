import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from moral_ed.tasks import conduct as tasks
from notifications.models import Notification

pytestmark = pytest.mark.usefixtures("items")


def _seed_from_migrations():
    """What the data migrations write (a transactional test elsewhere may
    have flushed the rows they wrote when the test database was built)."""
    import importlib

    from django.apps import apps

    for module in ("accounts.migrations.0004_default_schedules", "moral_ed.migrations.0002_default_schedules"):
        importlib.import_module(module).forwards(apps, None)


def test_default_schedules_are_in_the_database(db):
    _seed_from_migrations()
    _seed_from_migrations()  # idempotent
    assert PeriodicTask.objects.filter(task="moral_ed.weekly_summaries").count() == 1
    names = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"moral_ed.staged_release_due", "moral_ed.weekly_summaries", "accounts.sessions_clear_expired"} <= names
    weekly = PeriodicTask.objects.get(task="moral_ed.weekly_summaries")
    assert (weekly.crontab.hour, weekly.crontab.minute, weekly.crontab.day_of_week) == ("7", "0", "1")
    assert str(weekly.crontab.timezone) == "Asia/Shanghai"
    assert weekly.expire_seconds < 7 * 24 * 3600


def test_weekly_task_summarises_last_week_per_school(world, record, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from config.celery import app

    app.conf.task_always_eager = True
    try:
        with time_machine.travel("2026-11-18 10:00 +0800", tick=False):
            record(world.head_teacher, [world.child], "上课积极发言")
        with time_machine.travel("2026-11-23 07:00 +0800", tick=False):
            tasks.weekly_summaries()
            tasks.weekly_summaries()
    finally:
        app.conf.task_always_eager = False
    keys = set(Notification.objects.filter(kind="moral_ed.weekly_summary").values_list("dedupe_key", flat=True))
    assert all("week=2026-11-16" in k for k in keys)
    assert Notification.objects.filter(recipient=world.head_teacher, kind="moral_ed.weekly_summary").count() == 1
    assert Notification.objects.filter(recipient=world.b.head_teacher, kind="moral_ed.weekly_summary").count() == 1
