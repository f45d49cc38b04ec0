"""Celery tasks of the participation ledger: thin wrappers over
home_school.services.participation. PARTICIPATION_SCHEDULES lists their
beat schedules; each is declared in core.schedules
and installed by home_school/migrations/0002."""

from celery import shared_task

from core import schedules

PARTICIPATION_SCHEDULES = [
    # Daily 02:30 (Asia/Shanghai): copy yesterday's and earlier deeds into
    # the participation ledger, from the first day of last month on, so
    # attendance or confirmations marked late still count in the month
    # they happened. Quiet time, after the evening's marks. Idempotent
    # (unique source_key), so a repeated or overlapping run adds nothing;
    # `expires` (3 h) drops a run still queued in the morning.
    schedules.declare(
        name="home_school.participation_collect daily 02:30",
        task="home_school.participation_collect",
        crontab=schedules.Crontab(minute="30", hour="2"),
        expires_seconds=3 * 3600,
        description="每天 02:30 汇总家长参与积分（上月初至今）/ Collect guardians' participation points.",
    ),
]


@shared_task(name="home_school.participation_collect", ignore_result=True)
def participation_collect(start: str | None = None, end: str | None = None):
    """Daily: one task per school for [start, end] (ISO dates; default:
    the first day of last month to today)."""
    from django.utils import timezone

    from classes import periods
    from classes.models import School

    today = timezone.localdate()
    start = start or periods.previous_month(today).start.isoformat()
    end = end or today.isoformat()
    for school_id in School.objects.filter(is_active=True).values_list("pk", flat=True):
        participation_collect_for_school.delay(school_id, start, end)


@shared_task(name="home_school.participation_collect_for_school", ignore_result=True)
def participation_collect_for_school(school_id: int, start: str, end: str):
    import datetime

    from classes.models import School

    from ..services import participation as participation_services

    school = School.objects.get(pk=school_id)
    participation_services.participation_collect(
        school=school, start=datetime.date.fromisoformat(start), end=datetime.date.fromisoformat(end)
    )
