"""The Celery app: settings under the CELERY_ namespace, tasks autodiscovered
from each app's tasks.py, schedules kept by django-celery-beat in the
database so an administrator can change times in the admin."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("banwu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _secret_before_work(**kwargs):
    """A worker signs password-reset links and notification tokens: refuse
    to start without a secret (settings leave it empty when it is not set)."""
    from config.startup import require_secret_key

    require_secret_key()
