"""Beat schedules of the moral-education office (Asia/Shanghai), editable in the admin."""

from django.db import migrations

from core import schedules

# What this migration installs. Times, expiry and reasons are declared
# beside the tasks (moral_ed/tasks/); a row already in the database is left
# as it is, so an administrator's changes stay.
SCHEDULES = schedules.named(
    "moral_ed.weekly_evaluations Monday 01:00",
    "moral_ed.inspection_daily_reports school days 18:00",
    "moral_ed.monthly_evaluations 1st 02:00",
    "moral_ed.dorm_ladder daily 23:00",
    "moral_ed.practice_reminders 1 and 15 June 08:00",
)

forwards = schedules.migration_installer("moral_ed", SCHEDULES)
backwards = schedules.migration_remover("moral_ed", SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [
        ("moral_ed", "0004_office"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
