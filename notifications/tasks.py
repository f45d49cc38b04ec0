from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(name="notifications.deliveries_send_due", ignore_result=True)
def deliveries_send_due():
    """Every minute: send the e-mail, SMS and WeChat deliveries that are due."""
    services.deliveries_send_due()


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
