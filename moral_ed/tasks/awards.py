"""Celery tasks of term awards and practice records: thin wrappers over
moral_ed.services.awards."""

import datetime

from celery import shared_task
from django.utils import timezone

from core import schedules

from ..services import awards as services

# 1 and 15 June, 08:00: before the school year closes, head teachers are
# reminded of students without a social practice or community service record.
schedules.declare(
    name="moral_ed.practice_reminders 1 and 15 June 08:00",
    task="moral_ed.practice_reminders",
    crontab=schedules.Crontab(minute="0", hour="8", day_of_month="1,15", month_of_year="6"),
    expires_seconds=12 * 3600,
    description="6 月 1 日、15 日提醒班主任补录社会实践和社区服务 / Remind head teachers of missing practice records.",
)


@shared_task(name="moral_ed.practice_reminders", ignore_result=True)
def practice_reminders(today: str | None = None):
    """1 and 15 June, 08:00 (the schedule above): one task per active
    school reminding head teachers of students without a social practice
    or community service record this school year."""
    from classes.models import School

    today = today or timezone.localdate().isoformat()
    for school_id in School.objects.filter(is_active=True).values_list("pk", flat=True):
        practice_reminders_for_school.delay(school_id, today)


@shared_task(name="moral_ed.practice_reminders_for_school", ignore_result=True)
def practice_reminders_for_school(school_id: int, today: str):
    from classes.models import School

    school = School.objects.get(pk=school_id)
    services.practice_reminders_send(school=school, today=datetime.date.fromisoformat(today))
