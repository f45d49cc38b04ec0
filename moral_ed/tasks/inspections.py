"""tasks: Class inspections (班级量化考核) and vetoes (一票否决).

The daily report (每天通报) runs on school days at 18:00 (declared below).
"""

import datetime

from celery import shared_task
from django.utils import timezone

from core import schedules

from ..services import inspections as services

# School days at 18:00: the day's inspection entries are complete; each
# head teacher hears their class's entries (seed 001: 每天通报).
schedules.declare(
    name="moral_ed.inspection_daily_reports school days 18:00",
    task="moral_ed.inspection_daily_reports",
    crontab=schedules.Crontab(minute="0", hour="18", day_of_week="1-5"),
    expires_seconds=4 * 3600,
    description="每个上课日 18:00 向班主任通报当天的班级量化考核 / Daily inspection report to head teachers.",
)


@shared_task(name="moral_ed.inspection_daily_reports", ignore_result=True)
def inspection_daily_reports(day: str | None = None):
    """Evening: one task per active school for the day's inspection report."""
    from classes.models import School

    day = day or timezone.localdate().isoformat()
    for school_id in School.objects.filter(is_active=True).values_list("pk", flat=True):
        inspection_daily_report_for_school.delay(school_id, day)


@shared_task(name="moral_ed.inspection_daily_report_for_school", ignore_result=True)
def inspection_daily_report_for_school(school_id: int, day: str):
    """Idempotent (the service's de-duplication key is class and day)."""
    from classes.models import School

    school = School.objects.get(pk=school_id)
    services.inspection_daily_report_send(school=school, day=datetime.date.fromisoformat(day))
