"""Celery tasks of the dormitories: thin wrappers over moral_ed.services.dorms."""

import datetime

from celery import shared_task
from django.utils import timezone

from core import schedules

# Every day 23:00, after lights-out checks: the escalation ladder opens
# cases at crossed thresholds and steps clean students back down.
schedules.declare(
    name="moral_ed.dorm_ladder daily 23:00",
    task="moral_ed.dorm_ladder",
    crontab=schedules.Crontab(minute="0", hour="23"),
    expires_seconds=6 * 3600,
    description="每天 23:00 按累计扣分检查宿舍处理阶梯 / Dorm escalation ladder.",
)


@shared_task(name="moral_ed.dorm_ladder", ignore_result=True)
def dorm_ladder(day: str | None = None):
    """Every day at 23:00 (after lights-out checks): one task per active
    school runs the escalation ladder for `day` (today by default)."""
    from classes.models import School

    day = day or timezone.localdate().isoformat()
    for school_id in School.objects.filter(is_active=True).values_list("pk", flat=True):
        dorm_ladder_for_school.delay(school_id, day)


@shared_task(name="moral_ed.dorm_ladder_for_school", ignore_result=True)
def dorm_ladder_for_school(school_id: int, day: str):
    """The ladder of one school: idempotent (moral_ed.services.dorms.ladder_check)."""
    from classes.models import School

    from ..services.dorms import ladder_check

    school = School.objects.filter(pk=school_id, is_active=True).first()
    if school is not None:
        ladder_check(school=school, today=datetime.date.fromisoformat(day))
