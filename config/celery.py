"""The Celery app: settings under the CELERY_ namespace, tasks autodiscovered
from each app's tasks.py, schedules kept by django-celery-beat in the
database so an administrator can change times in the admin."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("banwu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
