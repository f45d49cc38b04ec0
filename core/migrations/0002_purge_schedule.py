"""The nightly purge of request keys (Asia/Shanghai), editable in the admin."""

from django.db import migrations

from accounts.beat import schedules_install, schedules_remove

SCHEDULES = [
    # Every night at 03:30, when nobody sends forms: request keys older than
    # two days have done their work (core.services.request_keys_purge).
    {
        "name": "core.request_keys_purge nightly 03:30",
        "task": "core.request_keys_purge",
        "cron": {"minute": "30", "hour": "3", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        "expires_seconds": 6 * 3600,
        "description": "每天 03:30 清理两天前的重复提交记录 / Purge request keys older than two days.",
    },
]


def forwards(apps, schema_editor):
    schedules_install(apps, SCHEDULES)


def backwards(apps, schema_editor):
    schedules_remove(apps, SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_request_key"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
