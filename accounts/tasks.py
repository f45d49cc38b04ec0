from celery import shared_task

from . import services


@shared_task(name="accounts.sessions_clear_expired", ignore_result=True)
def sessions_clear_expired():
    """Nightly: drop expired sessions and old login-failure records."""
    services.sessions_clear_expired()
