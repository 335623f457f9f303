from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Library
from accounts.reviewers import add_to_reviewers
from accounts.trainers import add_to_trainers
from certifications.kdla_rules import load_kdla_rules
from portal.demo.history import load_demo_history
from portal.demo.live_sessions import load_demo_live_workshop
from portal.demo.people import (
    DEMO_PASSWORD,
    DEMO_REVIEWER_EMAIL,
    DEMO_STAFF_EMAIL,
    DEMO_TRAINER_EMAIL,
    ensure_demo_user,
    load_demo_libraries,
)
from portal.demo.review_queue import load_demo_review_queue


class Command(BaseCommand):
    help = "Load KDLA's rules and catalogue plus demo people. Safe to run again."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        load_kdla_rules()
        load_demo_libraries()
        library = Library.objects.get(name="Boyd County Public Library")
        ensure_demo_user(
            email=DEMO_STAFF_EMAIL,
            first_name="Pat",
            last_name="Example",
            library=library,
            position="Library Assistant",
            hours_per_month=80,
            phone="606-555-0100",
        )
        reviewer = ensure_demo_user(
            email=DEMO_REVIEWER_EMAIL,
            first_name="Robin",
            last_name="Reviewer",
            position="Certification Coordinator",
            is_staff=True,
        )
        add_to_reviewers(reviewer)
        trainer = ensure_demo_user(
            email=DEMO_TRAINER_EMAIL,
            first_name="Jordan",
            last_name="Trainer",
            position="Continuing Education Consultant",
        )
        add_to_trainers(trainer)
        load_demo_live_workshop(trainer=trainer)
        load_demo_history()
        load_demo_review_queue()
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
        self.stdout.write(f"  Staff member: {DEMO_STAFF_EMAIL} / {DEMO_PASSWORD}")
        self.stdout.write(f"  KDLA reviewer: {DEMO_REVIEWER_EMAIL} / {DEMO_PASSWORD}")
        self.stdout.write(f"  Trainer (review site): {DEMO_TRAINER_EMAIL} / {DEMO_PASSWORD}")
