"""Default beat schedules, stored in django-celery-beat's tables so an
administrator can change the times in the admin. Times are Asia/Shanghai."""

from django.db import migrations

from accounts.beat import schedules_install, schedules_remove

SCHEDULES = [
    # 03:30 every night: the quietest hour; sessions and login records
    # expire by date, so once a day is enough. Expires before the next run.
    {
        "name": "accounts.sessions_clear_expired nightly",
        "task": "accounts.sessions_clear_expired",
        "cron": {"minute": "30", "hour": "3", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        "expires_seconds": 6 * 3600,
        "description": "每晚 03:30 清理过期会话和登录记录 / Nightly: clear expired sessions and old login records.",
    },
]


def forwards(apps, schema_editor):
    schedules_install(apps, SCHEDULES)


def backwards(apps, schema_editor):
    schedules_remove(apps, SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_audit_append_only_trigger"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
