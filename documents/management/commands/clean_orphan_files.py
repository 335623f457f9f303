from django.core.management.base import BaseCommand

from documents.orphans import ORPHAN_GRACE, remove_orphan_files


class Command(BaseCommand):
    help = (
        "Remove stored files that no record names and that are older than "
        f"{ORPHAN_GRACE.days} day. Runs every night on its own; use --dry-run to see the count."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what would be removed and remove nothing.",
        )

    def handle(self, *args, dry_run: bool = False, verbosity: int = 1, **options):
        report = remove_orphan_files(dry_run=dry_run)
        if verbosity > 1 or dry_run:
            for name in report.orphans:
                self.stdout.write(f"  {name}")
        self.stdout.write(report.summary())
