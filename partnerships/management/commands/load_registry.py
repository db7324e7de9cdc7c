from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from partnerships import services

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "ons_lad24_csp24_pfa24_lookup_ew.csv"


class Command(BaseCommand):
    help = "Load or refresh the ONS register of community safety partnerships (idempotent, all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH, help="ONS LAD→CSP→PFA lookup CSV")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = services.registry_import(path=options["path"])
        except (ValidationError, OSError) as error:
            raise CommandError(getattr(error, "messages", [str(error)])[0]) from error
        self.stdout.write(
            f"Registry: {summary.rows} districts read; {summary.police_force_areas} police force areas, "
            f"{summary.partnerships_created} partnerships created, {summary.partnerships_updated} updated."
        )
