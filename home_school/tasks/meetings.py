"""Celery tasks of parent meetings: thin wrappers over
home_school.services.meetings. MEETING_SCHEDULES lists their beat
schedules; each is declared in core.schedules
and installed by home_school/migrations/0002."""

from celery import shared_task

from core import schedules

MEETING_SCHEDULES = [
    # Daily 18:00 (Asia/Shanghai): remind the guardians of tomorrow's parent
    # meetings, except families who said they cannot come. Evening, after
    # work and well before quiet hours, so a parent can still rearrange
    # tomorrow. The day is fixed when beat fires and passed to each school's
    # task, so a late worker still reminds for the right meeting; `expires`
    # (5 h) drops a run that could only arrive after 23:00. Idempotent (one
    # message per meeting and recipient), so a repeated run sends nothing.
    schedules.declare(
        name="home_school.meeting_reminders daily 18:00",
        task="home_school.meeting_reminders",
        crontab=schedules.Crontab(minute="0", hour="18"),
        expires_seconds=5 * 3600,
        description="每天 18:00 提醒明天家长会的家长（已请假的除外）/ Remind guardians of tomorrow's parent meetings.",
    ),
]


@shared_task(name="home_school.meeting_reminders", ignore_result=True)
def meeting_reminders(meeting_day: str | None = None):
    """Daily 18:00: one task per school for the meetings on `meeting_day`
    (ISO date; tomorrow when not given)."""
    import datetime

    from django.utils import timezone

    from classes.models import School

    if meeting_day is None:
        meeting_day = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    for school_id in School.objects.filter(is_active=True).values_list("pk", flat=True):
        meeting_reminders_for_school.delay(school_id, meeting_day)


@shared_task(name="home_school.meeting_reminders_for_school", ignore_result=True)
def meeting_reminders_for_school(school_id: int, meeting_day: str):
    import datetime

    from classes.models import School

    from ..services import meetings as meeting_services

    school = School.objects.get(pk=school_id)
    meeting_services.meeting_reminders_send(school=school, meeting_day=datetime.date.fromisoformat(meeting_day))
