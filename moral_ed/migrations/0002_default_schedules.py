"""Beat schedules of the conduct ledger (Asia/Shanghai), editable in the admin."""

from django.db import migrations

from core import schedules

# What this migration installs. Times, expiry and reasons are declared
# beside the tasks (moral_ed/tasks/conduct.py); a row already in the database is left
# as it is, so an administrator's changes stay.
SCHEDULES = schedules.named(
    "moral_ed.staged_release_due every 10 minutes",
    "moral_ed.weekly_summaries Monday 07:00",
)

forwards = schedules.migration_installer("moral_ed", SCHEDULES)
backwards = schedules.migration_remover("moral_ed", SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [
        ("moral_ed", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
