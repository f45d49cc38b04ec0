"""Default beat schedules, stored in django-celery-beat's tables so an
administrator can change the times in the admin. Times are Asia/Shanghai."""

from django.db import migrations

from core import schedules

# What this migration installs. Times, expiry and reasons are declared
# beside the tasks (accounts/tasks.py); a row already in the database is left
# as it is, so an administrator's changes stay.
SCHEDULES = schedules.named(
    "accounts.sessions_clear_expired nightly",
)

forwards = schedules.migration_installer("accounts", SCHEDULES)
backwards = schedules.migration_remover("accounts", SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_audit_append_only_trigger"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
