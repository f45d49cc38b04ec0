import datetime

from celery import shared_task
from django.utils import timezone

from ..services import conduct as services


@shared_task(name="moral_ed.staged_release_due", ignore_result=True)
def staged_release_due():
    """Every 10 minutes: show guardians the staged events whose release time has come."""
    services.staged_release_due()


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
