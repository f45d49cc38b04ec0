"""Celery tasks of home_school: thin wrappers over the services, one part
after the other. Each part declares its beat schedules (core.schedules,
Asia/Shanghai) in a module-level list (NOTICE_SCHEDULES, ...)."""

from celery import shared_task

from core import schedules

from .services import notices as notice_services

# --- notices ---------------------------------------------------------------------

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


# --- meetings -------------------------------------------------------------------

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

    from .services import meetings as meeting_services

    school = School.objects.get(pk=school_id)
    meeting_services.meeting_reminders_send(school=school, meeting_day=datetime.date.fromisoformat(meeting_day))


# --- committee: participation ledger ----------------------------------------------

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

    from .services import participation as participation_services

    school = School.objects.get(pk=school_id)
    participation_services.participation_collect(
        school=school, start=datetime.date.fromisoformat(start), end=datetime.date.fromisoformat(end)
    )
