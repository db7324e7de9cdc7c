"""The Celery app. With REDIS_URL unset, settings make every task run in-process (eager)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp_portal.settings")

app = Celery("csp_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic task is declared here, once, with a plain-English comment; django-celery-beat's
# database scheduler shows them in the admin. (None yet: reminders arrive with their issue.)
app.conf.beat_schedule = {}
