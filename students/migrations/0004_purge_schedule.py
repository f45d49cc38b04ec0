"""The nightly purge of roster files and unclaimed one-time passwords
(Asia/Shanghai), editable in the admin."""

from django.db import migrations

from accounts.beat import schedules_install, schedules_remove

SCHEDULES = [
    # Every night at 03:40, after core's purge and when nobody imports: files
    # kept past the import's keep_file_days, one-time passwords not downloaded
    # within 7 days, and imports a dead worker left unfinished for a day
    # (students.roster.services.roster_imports_purge).
    {
        "name": "students.roster_imports_purge nightly 03:40",
        "task": "students.roster_imports_purge",
        "cron": {"minute": "40", "hour": "3", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        "expires_seconds": 6 * 3600,
        "description": "每天 03:40 删除到期的花名册文件和未下载的初始密码 / Purge roster files and one-time passwords that are due.",
    },
]


def forwards(apps, schema_editor):
    schedules_install(apps, SCHEDULES)


def backwards(apps, schema_editor):
    schedules_remove(apps, SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [
        ("students", "0003_roster_trust"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
