import datetime

from celery import shared_task
from django.utils import timezone

from core import schedules

from ..services import conduct as services

# Every 10 minutes: staged negative events are due at a school's release
# time (default 20:00, set per school), so a 10-minute grain is enough.
schedules.declare(
    name="moral_ed.staged_release_due every 10 minutes",
    task="moral_ed.staged_release_due",
    crontab=schedules.Crontab(minute="*/10"),
    expires_seconds=9 * 60,
    description="每 10 分钟把到了发布时间的待审记录展示给家长 / Release staged conduct events that are due.",
)


@shared_task(name="moral_ed.staged_release_due", ignore_result=True)
def staged_release_due():
    """Every 10 minutes: show guardians the staged events whose release time has come."""
    services.staged_release_due()


# Monday 07:00: last week (Monday–Sunday) is complete; head teachers read it before class.
schedules.declare(
    name="moral_ed.weekly_summaries Monday 07:00",
    task="moral_ed.weekly_summaries",
    crontab=schedules.Crontab(minute="0", hour="7", day_of_week="1"),
    expires_seconds=6 * 3600,
    description="每周一 07:00 给班主任发送上周班级小结 / Weekly class summary for head teachers.",
)


@shared_task(name="moral_ed.weekly_summaries", ignore_result=True)
def weekly_summaries(week_start: str | None = None):
    """Monday morning: one task per school for last week's class summaries."""
    from classes.models import School

    if week_start is None:
        today = timezone.localdate()
        week_start = (today - datetime.timedelta(days=today.weekday() + 7)).isoformat()
    for school_id in School.objects.filter(is_active=True).values_list("pk", flat=True):
        weekly_summary_for_school.delay(school_id, week_start)


@shared_task(name="moral_ed.weekly_summary_for_school", ignore_result=True)
def weekly_summary_for_school(school_id: int, week_start: str):
    from classes.models import School

    school = School.objects.get(pk=school_id)
    services.weekly_summary_send(school=school, week_start=datetime.date.fromisoformat(week_start))
