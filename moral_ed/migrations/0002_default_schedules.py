"""Beat schedules of the conduct ledger (Asia/Shanghai), editable in the admin."""

from django.db import migrations

from accounts.beat import schedules_install, schedules_remove

SCHEDULES = [
    # Every 10 minutes: staged negative events are due at a school's release
    # time (default 20:00, set per school), so a 10-minute grain is enough.
    {
        "name": "moral_ed.staged_release_due every 10 minutes",
        "task": "moral_ed.staged_release_due",
        "cron": {"minute": "*/10", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        "expires_seconds": 9 * 60,
        "description": "每 10 分钟把到了发布时间的待审记录展示给家长 / Release staged conduct events that are due.",
    },
    # Monday 07:00: last week (Monday–Sunday) is complete; head teachers read it before class.
    {
        "name": "moral_ed.weekly_summaries Monday 07:00",
        "task": "moral_ed.weekly_summaries",
        "cron": {"minute": "0", "hour": "7", "day_of_week": "1", "day_of_month": "*", "month_of_year": "*"},
        "expires_seconds": 6 * 3600,
        "description": "每周一 07:00 给班主任发送上周班级小结 / Weekly class summary for head teachers.",
    },
]


def forwards(apps, schema_editor):
    schedules_install(apps, SCHEDULES)


def backwards(apps, schema_editor):
    schedules_remove(apps, SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [
        ("moral_ed", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
