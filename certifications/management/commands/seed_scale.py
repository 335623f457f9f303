import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from bench.scale_data import scale_data_exists, seed_scale


class Command(BaseCommand):
    help = (
        "Fill a PostgreSQL database with national-scale benchmark data (people, registrations "
        "over their careers, files awaiting review). See docs/performance.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=150_000)
        parser.add_argument("--registrations", type=int, default=1_000_000)
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="The day the data is shaped around (default: today in America/New_York).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")

    def handle(self, *args: object, **options: object) -> None:
        if scale_data_exists():
            raise CommandError("This database already holds scale data; use a fresh database.")
        today = (
            datetime.date.fromisoformat(options["today"])
            if options["today"]
            else timezone.localdate()
        )
        try:
            size = seed_scale(
                people=options["people"],
                registrations=options["registrations"],
                today=today,
                seed=options["seed"],
                progress=options["verbosity"] > 0,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Created {size.people:,} people and {size.registrations:,} registrations "
            f"around {today:%m/%d/%Y}."
        )
