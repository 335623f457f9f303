"""Add a new Ed25519 signing key to OPEN_BADGES_KEY_FILE (a rotation: the new key signs from
now on, older keys keep verifying what they signed). `make run` calls it with --if-missing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from certificates.open_badges import add_signing_key


class Command(BaseCommand):
    help = "Add an Open Badges signing key (Ed25519) to OPEN_BADGES_KEY_FILE."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-missing", action="store_true", help="Only when the file has no key yet."
        )

    def handle(self, *args: Any, if_missing: bool = False, **options: Any) -> None:
        path = Path(settings.OPEN_BADGES_KEY_FILE)
        if if_missing and path.exists():
            self.stdout.write(f"Open Badges key file {path} exists; left as it is.")
            return
        kid = add_signing_key(path)
        self.stdout.write(f"Added signing key {kid} to {path}.")
