from celery import shared_task
from django.db import OperationalError

from core import schedules

from . import services

# Every minute: urgent messages go out at once and quiet hours end on the
# minute (07:00), so deliveries are checked each minute. Expires in 50 s so
# a backlog of runs never piles up behind a slow one.
schedules.declare(
    name="notifications.deliveries_send_due every minute",
    task="notifications.deliveries_send_due",
    crontab=schedules.Crontab(),
    expires_seconds=50,
    description="每分钟发送到期的短信、微信和邮件通知 / Send the e-mail, SMS and WeChat deliveries that are due.",
)


@shared_task(name="notifications.deliveries_send_due", ignore_result=True)
def deliveries_send_due():
    """Every minute: send the e-mail, SMS and WeChat deliveries that are due."""
    services.deliveries_send_due()


# 18:00 every day: school is out and parents are home; the day's messages
# are in, and the digest arrives before the default quiet hours (21:30).
schedules.declare(
    name="notifications.digest_send_due daily 18:00",
    task="notifications.digest_send_due",
    crontab=schedules.Crontab(minute="0", hour="18"),
    expires_seconds=3600,
    description="每天 18:00 给选择每日汇总的家长发送当天通知汇总 / Daily digest for those who chose it.",
)


@shared_task(name="notifications.digest_send_due", ignore_result=True)
def digest_send_due():
    """Every evening: one summary message to each person who chose the daily digest."""
    services.digest_send_due()


@shared_task(name="notifications.fan_out", ignore_result=True)
def fan_out(school_id: int, recipient_ids: list[int], kind: str, title: str, body: str, link: str, dedupe_key: str, urgent: bool = False):
    """Split a large audience into batches of 50 (one broker message each)."""
    from classes.models import School

    services.notify_many(
        school=School(pk=school_id),
        recipient_ids=recipient_ids,
        kind=kind,
        title=title,
        body=body,
        link=link,
        dedupe_key=dedupe_key,
        urgent=urgent,
    )


@shared_task(
    name="notifications.fan_out_batch",
    ignore_result=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def fan_out_batch(school_id: int, recipient_ids: list[int], kind: str, title: str, body: str, link: str, dedupe_key: str, urgent: bool = False):
    """Notify one batch; a retry adds nothing (the de-duplication key holds)."""
    services.notify_batch(
        school_id=school_id,
        recipient_ids=recipient_ids,
        kind=kind,
        title=title,
        body=body,
        link=link,
        dedupe_key=dedupe_key,
        urgent=urgent,
    )
