from celery import shared_task

from . import schedules, services

# Every night at 03:30, when nobody sends forms: request keys older than
# two days have done their work (core.services.request_keys_purge).
schedules.declare(
    name="core.request_keys_purge nightly 03:30",
    task="core.request_keys_purge",
    crontab=schedules.Crontab(minute="30", hour="3"),
    expires_seconds=6 * 3600,
    description="每天 03:30 清理两天前的重复提交记录 / Purge request keys older than two days.",
)


@shared_task(name="core.request_keys_purge")
def request_keys_purge() -> int:
    return services.request_keys_purge()
