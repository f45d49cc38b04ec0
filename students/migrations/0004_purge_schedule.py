"""The nightly purge of roster files and unclaimed one-time passwords
(Asia/Shanghai), editable in the admin."""

from django.db import migrations

from core import schedules

# What this migration installs. Times, expiry and reasons are declared
# beside the tasks (students/tasks.py); a row already in the database is left
# as it is, so an administrator's changes stay.
SCHEDULES = schedules.named(
    "students.roster_imports_purge nightly 03:40",
)

forwards = schedules.migration_installer("students", SCHEDULES)
backwards = schedules.migration_remover("students", SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [
        ("students", "0003_roster_trust"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
