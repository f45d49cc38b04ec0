"""Beat schedules of home_school (Asia/Shanghai), editable in the admin."""

from django.db import migrations

from core import schedules

# What this migration installs. Times, expiry and reasons are declared
# beside the tasks (home_school/tasks.py); a row already in the database is left
# as it is, so an administrator's changes stay.
SCHEDULES = schedules.named(
    "home_school.notices_send_due every minute",
    "home_school.notice_reminders_due hourly 07:15-21:15",
    "home_school.meeting_reminders daily 18:00",
    "home_school.participation_collect daily 02:30",
)

forwards = schedules.migration_installer("home_school", SCHEDULES)
backwards = schedules.migration_remover("home_school", SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [
        ("home_school", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
