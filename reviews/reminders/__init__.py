"""Reminders: the portal tells people what is due, exactly once (issue 6).

- windows.py: which reminder is due today for a due date (pure arithmetic);
- planner.py: every kind of reminder and who gets it;
- sending.py: recording reminders (unique, so re-runs add nothing) and sending digests by claim;
- gateway.py: email through Django's backend or GOV.UK Notify;
- models.py: Reminder, the per-partnership offsets and personal opt-outs.
The Celery tasks are in reviews/tasks.py; their schedule in csp_portal/celery.py.
"""
