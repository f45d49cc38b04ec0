"""The weekly and monthly evaluation jobs (thin: ids and ISO dates; one
task per school, so one school's failure or slowness does not hold the
others). Schedules: moral_ed/migrations/0005_office_schedules.py."""

import datetime

from celery import shared_task
from django.utils import timezone

from classes import periods

from ..models import EvaluationKind


def _schools():
    from classes.models import School

    return School.objects.filter(is_active=True).values_list("pk", flat=True)


@shared_task(name="moral_ed.weekly_evaluations", ignore_result=True)
def weekly_evaluations(week_start: str | None = None):
    """Monday 01:00: last week's class ranking for each active school,
    computed and published at once (班级量化考核公示)."""
    if week_start is None:
        today = timezone.localdate()
        week_start = (periods.week_of(today).start - datetime.timedelta(days=7)).isoformat()
    for school_id in _schools():
        weekly_evaluation_for_school.delay(school_id, week_start)


@shared_task(name="moral_ed.weekly_evaluation_for_school", ignore_result=True)
def weekly_evaluation_for_school(school_id: int, week_start: str):
    from classes.models import School

    from ..selectors.evaluations import term_for_period
    from ..services import evaluations as services

    school = School.objects.get(pk=school_id)
    period = services.evaluation_period(EvaluationKind.WEEKLY, datetime.date.fromisoformat(week_start))
    if term_for_period(school, period.start, period.end) is None:
        return  # holidays: no term, nothing to rank
    revision = services.evaluation_run(school=school, kind=EvaluationKind.WEEKLY, period_start=period.start)
    services.evaluation_publish(revision=revision)


@shared_task(name="moral_ed.monthly_evaluations", ignore_result=True)
def monthly_evaluations(month_start: str | None = None):
    """The 1st, 02:00: last month's evaluation for each active school, left
    as a preview for the office (一月一评比), which publishes it."""
    if month_start is None:
        month_start = periods.previous_month(timezone.localdate()).start.isoformat()
    for school_id in _schools():
        monthly_evaluation_for_school.delay(school_id, month_start)


@shared_task(name="moral_ed.monthly_evaluation_for_school", ignore_result=True)
def monthly_evaluation_for_school(school_id: int, month_start: str):
    from classes.models import School

    from ..selectors.evaluations import term_for_period
    from ..services import evaluations as services

    school = School.objects.get(pk=school_id)
    period = services.evaluation_period(EvaluationKind.MONTHLY, datetime.date.fromisoformat(month_start))
    if term_for_period(school, period.start, period.end) is None:
        return
    revision = services.evaluation_run(school=school, kind=EvaluationKind.MONTHLY, period_start=period.start)
    services.evaluation_preview_announce(revision=revision)
