import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from certifications.services.daily_jobs import preview_daily_jobs, run_daily_jobs

LABELS = {
    "upload_lapsed": "Upload deadlines passed (registrations lapsed)",
    "upload_reminders": "Upload reminders",
    "renewal_lapsed": "Renewal cycles ended short of hours (lapsed)",
    "renewal_reminders": "Renewal reminders",
    "reviewer_digests": "Reviewer digests",
    "emails_sent": "Emails sent",
}


class Command(BaseCommand):
    help = (
        "Run the daily deadline jobs now (what Celery beat runs every morning): lapse missed "
        "upload deadlines and ended renewal cycles, send reminders and the reviewer digest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would happen; change nothing and send nothing.",
        )
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="Run as if it were this day (default: today in America/New_York).",
        )

    def handle(self, *args: object, **options: object) -> None:
        today = self._today(options["today"])
        if options["dry_run"]:
            counts = preview_daily_jobs(today=today)
            self.stdout.write(f"Dry run for {today:%m/%d/%Y}: nothing was changed or sent.")
            labels = {**LABELS, "emails_sent": "Emails that would be sent"}
        else:
            counts = run_daily_jobs(today=today)
            self.stdout.write(f"Daily deadline jobs for {today:%m/%d/%Y}:")
            labels = LABELS
        for key, label in labels.items():
            self.stdout.write(f"  {label}: {counts[key]}")

    def _today(self, value: object) -> datetime.date:
        if not value:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError as error:
            raise CommandError(
                f"--today must be a date written YYYY-MM-DD, not {value!r}."
            ) from error
