"""`manage.py send_reminders [--dry-run] [--date YYYY-MM-DD]`: the daily planner, for cron instead of beat."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from partnerships.models import User
from reviews.reminders import planner, sending


class Command(BaseCommand):
    help = "Record the reminders due on a day and send each person one digest; --dry-run only lists them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The day to plan, YYYY-MM-DD (default: today)")
        parser.add_argument("--dry-run", action="store_true", help="List what is due; record and send nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date must be a date in the form YYYY-MM-DD, e.g. 2026-12-01: {error}") from error
        if options["dry_run"]:
            dues = list(planner.plan(day))
            emails = dict(User.objects.filter(pk__in={d.recipient_id for d in dues}).values_list("pk", "email"))
            for due in sorted(dues, key=lambda d: (emails[d.recipient_id], d.due_on, d.title)):
                self.stdout.write(f"{emails[due.recipient_id]}\t{due.kind}\t{due.title}")
            self.stdout.write(f"{len(dues)} reminder(s) for {len(emails)} person(s) on {day:%-d %B %Y} (dry run)")
            return
        recorded = sending.record(planner.plan(day), day)
        sent = failed = 0
        for recipient_id in sending.recipients_waiting():
            try:
                sent += sending.send_digest(recipient_id)
            except sending.SendFailed as error:
                failed += 1
                self.stderr.write(f"Sending to person {recipient_id} failed: {error}")
        self.stdout.write(f"{recorded} new reminder(s) for {day:%-d %B %Y}; {sent} sent; {failed} person(s) failed")
        if failed:
            raise CommandError(f"{failed} digests could not be sent; they stay pending for the next run")
