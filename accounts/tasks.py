from celery import shared_task

from core import schedules

from . import services

# 03:30 every night: the quietest hour; sessions and login records expire
# by date, so once a day is enough. Expires before the next run.
schedules.declare(
    name="accounts.sessions_clear_expired nightly",
    task="accounts.sessions_clear_expired",
    crontab=schedules.Crontab(minute="30", hour="3"),
    expires_seconds=6 * 3600,
    description="每晚 03:30 清理过期会话和登录记录 / Nightly: clear expired sessions and old login records.",
)


@shared_task(name="accounts.sessions_clear_expired", ignore_result=True)
def sessions_clear_expired():
    """Nightly: drop expired sessions and old login-failure records."""
    services.sessions_clear_expired()
