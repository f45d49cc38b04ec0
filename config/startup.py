"""What every serving process checks when it starts (web, ASGI, Celery worker)."""

from django.core.exceptions import ImproperlyConfigured


def require_secret_key() -> None:
    """Refuse to start without a secret. Settings leave SECRET_KEY empty when
    the environment has none (so commands that sign nothing still run);
    sessions, CSRF tokens and password-reset links all need it."""
    from django.conf import settings

    # Django itself raises ImproperlyConfigured when an empty key is read.
    if not settings.SECRET_KEY:
        raise ImproperlyConfigured("Set the SECRET_KEY environment variable")
