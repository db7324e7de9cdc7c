"""The Celery app. With REDIS_URL unset, settings make every task run in-process (eager)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp_portal.settings")

app = Celery("csp_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic task is declared here, once, with a plain-English comment; django-celery-beat's
# database scheduler shows them in the admin.
app.conf.beat_schedule = {
    # Every morning at 7: record what is due today and email each person one digest of it.
    "plan-reminders": {"task": "reviews.plan_reminders", "schedule": crontab(hour=7, minute=0)},
    # Every 10 minutes: resend what a stopped worker or a mail failure left unsent.
    "sweep-reminders": {"task": "reviews.sweep_reminders", "schedule": crontab(minute="*/10")},
}
