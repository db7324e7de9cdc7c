from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from actionplans.demo import load_actionplans_demo
from partnerships.demo import load_demo
from priorities.demo import load_plans_demo
from priorities.demo_assessments import load_assessments_demo
from reviews.demo import demo_second_factors, load_reviews_demo


class Command(BaseCommand):
    help = "Load the Safer Essex demo partnerships, organisations and people (idempotent); print the logins."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            logins = load_demo()
            load_plans_demo()
            load_assessments_demo()
            load_actionplans_demo()
            logins = [*logins, *load_reviews_demo()]
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        width = max(len(email) for email, _ in logins)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {settings.DEMO_PASSWORD})"))
        for email, description in logins:
            self.stdout.write(f"  {email.ljust(width)}  {description}")
        second_factors = demo_second_factors()
        if second_factors:
            # Review pages ask for a code from an authenticator app: these demo keys are public.
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS("Second factor for review pages (add to an authenticator app)"))
            for item in second_factors:
                self.stdout.write(f"  {item.email.ljust(width)}  {item.secret}")
                self.stdout.write(f"  {''.ljust(width)}  {item.uri}")
        self.stdout.write("")
