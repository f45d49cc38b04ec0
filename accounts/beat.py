"""Seeding django-celery-beat's schedules from data migrations.

Each app's data migration lists its default schedules (name, task,
crontab fields in Asia/Shanghai, expiry, description) and calls these, so
an administrator can change the times in the admin afterwards. Kept small
and stable: migrations import it."""

TIMEZONE = "Asia/Shanghai"


def schedules_install(apps, schedules) -> None:
    """Create each schedule that does not exist yet (by name); an edited one is left as it is."""
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for item in schedules:
        crontab, _ = CrontabSchedule.objects.get_or_create(timezone=TIMEZONE, **item["cron"])
        PeriodicTask.objects.get_or_create(
            name=item["name"],
            defaults={
                "task": item["task"],
                "crontab": crontab,
                "expire_seconds": item["expires_seconds"],
                "description": item["description"],
            },
        )


def schedules_remove(apps, schedules) -> None:
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[s["name"] for s in schedules]).delete()
