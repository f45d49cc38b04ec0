from celery import shared_task

from . import services


@shared_task(name="core.request_keys_purge")
def request_keys_purge() -> int:
    return services.request_keys_purge()
