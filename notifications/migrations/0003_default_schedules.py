"""Beat schedules of the notifications (Asia/Shanghai), editable in the admin."""

from django.db import migrations

from core import schedules

# What this migration installs. Times, expiry and reasons are declared
# beside the tasks (notifications/tasks.py); a row already in the database is left
# as it is, so an administrator's changes stay.
SCHEDULES = schedules.named(
    "notifications.deliveries_send_due every minute",
    "notifications.digest_send_due daily 18:00",
)

forwards = schedules.migration_installer("notifications", SCHEDULES)
backwards = schedules.migration_remover("notifications", SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_delivery_preference"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
