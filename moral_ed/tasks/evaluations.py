"""The weekly and monthly evaluation jobs (thin: ids and ISO dates; one
task per school, so one school's failure or slowness does not hold the
others). Their schedules are declared beside them."""

import datetime

from celery import shared_task
from django.utils import timezone

from classes import periods
from core import schedules

from ..models import EvaluationKind


def _schools():
    from classes.models import School

    return School.objects.filter(is_active=True).values_list("pk", flat=True)


# Monday 01:00: last week (Monday–Sunday) is complete; the class ranking
# is computed and published before the school day (班级量化考核公示).
schedules.declare(
    name="moral_ed.weekly_evaluations Monday 01:00",
    task="moral_ed.weekly_evaluations",
    crontab=schedules.Crontab(minute="0", hour="1", day_of_week="1"),
    expires_seconds=6 * 3600,
    description="每周一 01:00 汇总上周班级量化考核并公示 / Sum and publish last week's class ranking.",
)


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


# The 1st of each month, 02:00: the previous month is evaluated (一月一评比)
# as a preview for the office, which publishes it.
schedules.declare(
    name="moral_ed.monthly_evaluations 1st 02:00",
    task="moral_ed.monthly_evaluations",
    crontab=schedules.Crontab(minute="0", hour="2", day_of_month="1"),
    expires_seconds=12 * 3600,
    description="每月 1 日 02:00 评比上月(预览,待政教处发布)/ Evaluate the previous month.",
)


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
