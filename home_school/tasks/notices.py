"""Celery tasks of notices: thin wrappers over home_school.services.notices.
NOTICE_SCHEDULES lists their beat schedules; a data migration seeds them
into django-celery-beat (Asia/Shanghai), as moral_ed/migrations/0002 does."""

from celery import shared_task

from core import schedules

from ..services import notices as notice_services

NOTICE_SCHEDULES = [
    # Every minute: a scheduled notice goes out within a minute of its time.
    # Idempotent (notice_send claims each notice with a conditional UPDATE),
    # so an overlapping or repeated run sends nothing twice.
    schedules.declare(
        name="home_school.notices_send_due every minute",
        task="home_school.notices_send_due",
        crontab=schedules.Crontab(),
        expires_seconds=50,
        description="每分钟发送到点的定时通知 / Send scheduled notices that are due.",
    ),
    # Every hour at :15 from 07:00 to 21:00: remind, once, the guardians who
    # have not answered a notice whose reminder delay has passed. Never in
    # quiet hours (21:30–07:00): the service also refuses then, so changing
    # these hours in the admin cannot wake anybody.
    schedules.declare(
        name="home_school.notice_reminders_due hourly 07:15-21:15",
        task="home_school.notice_reminders_due",
        crontab=schedules.Crontab(minute="15", hour="7-21"),
        expires_seconds=50 * 60,
        description="白天每小时提醒未回执的家长（每份通知一次）/ Remind guardians who have not answered a notice, once.",
    ),
]


@shared_task(name="home_school.notices_send_due", ignore_result=True)
def notices_send_due():
    """Every minute: send the scheduled notices whose time has come."""
    notice_services.notices_send_due()


@shared_task(name="home_school.notice_reminders_due", ignore_result=True)
def notice_reminders_due():
    """Hourly in the day: one reminder per notice to guardians who have not answered."""
    notice_services.notice_reminders_due()
