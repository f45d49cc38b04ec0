"""The nightly purge of request keys (Asia/Shanghai), editable in the admin."""

from django.db import migrations

from core import schedules

# What this migration installs. Times, expiry and reasons are declared
# beside the tasks (core/tasks.py); a row already in the database is left
# as it is, so an administrator's changes stay.
SCHEDULES = schedules.named(
    "core.request_keys_purge nightly 03:30",
)

forwards = schedules.migration_installer("core", SCHEDULES)
backwards = schedules.migration_remover("core", SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_request_key"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
