from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from partnerships.models import Partnership, PartnershipKind
from partnerships.permissions import partnership_lookup
from priorities import services


class Command(BaseCommand):
    help = (
        "Import police.uk street-level crime CSV files for a partnership (slug or ONS code), or force-wide "
        "files for a county group (every CSP in its force area gets its share). All or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help="…-street.csv files from data.police.uk")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--partnership", metavar="SLUG-OR-ONS-CODE")
        target.add_argument("--county", metavar="SLUG", help="a county group, for force-wide files")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["county"]:
            scope = Partnership.objects.filter(slug=options["county"], kind=PartnershipKind.COUNTY_GROUP).first()
            if scope is None:
                raise CommandError(f"No county group with the slug {options['county']!r}")
        else:
            scope = Partnership.objects.filter(
                partnership_lookup(options["partnership"]) & Q(kind=PartnershipKind.CSP)
            ).first()
            if scope is None:
                raise CommandError(f"No community safety partnership {options['partnership']!r} (slug or ONS code)")
        try:
            with ExitStack() as stack:
                streams = [
                    (path.name, services.text_stream(stack.enter_context(path.open("rb")))) for path in options["files"]
                ]
                summary = services.crime_import(actor=None, scope=scope, files=streams)
        except OSError as error:
            raise CommandError(f"{error.filename}: {error.strerror}") from error
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error

        out = self.stdout
        out.write(f"Imported {', '.join(summary.files)} for {scope.name}")
        out.write(f"  rows read:                {summary.rows_read:>10,}")
        out.write(f"  rows in the partnerships: {summary.rows_imported:>10,}")
        out.write(f"  outside the area:         {summary.rows_outside:>10,}")
        out.write(f"  with no location:         {summary.rows_no_location:>10,}")
        out.write(f"  months: {', '.join(f'{m:%Y-%m}' for m in summary.months)}")
        for name, categories in summary.per_partnership.items():
            out.write(f"  {name}:")
            for category, rows in categories.items():
                out.write(f"    {category:<32} {rows:>8,}")
