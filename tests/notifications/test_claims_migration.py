"""Moving the old Notification claims into the outbox keeps each claim's once-only guarantee."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("certifications", "0002_daily_deadlines_schedule"), ("notifications", "0001_initial")]


def old_claims(old) -> tuple[int, int, datetime.datetime]:
    """A sent reminder claim and an unsent digest claim, as the old schema stored them."""
    person = old.get_model("accounts", "User").objects.create(email="pat@example.org")
    category = old.get_model("courses", "Category").objects.create(name="KDLA", slug="kdla")
    credential = old.get_model("certifications", "CredentialType").objects.create(
        code="app",
        name="Application",
        kind="INITIAL_APPLICATION",
        category=category,
        cycle_length_days=60,
    )
    registration = old.get_model("certifications", "Registration").objects.create(
        user=person,
        credential_type=credential,
        credential_code="app",
        cycle_start=datetime.date(2027, 2, 8),
        cycle_end=datetime.date(2027, 4, 9),
    )
    Notification = old.get_model("certifications", "Notification")
    sent_at = timezone.now()
    Notification.objects.create(
        kind="UPLOAD_REMINDER",
        recipient=person,
        registration=registration,
        offset_days=7,
        sent_for=datetime.date(2027, 3, 10),
        sent_at=sent_at,
    )
    Notification.objects.create(
        kind="REVIEWER_DIGEST", recipient=person, sent_for=datetime.date(2027, 3, 11)
    )
    return person.pk, registration.pk, sent_at


@pytest.mark.django_db(transaction=True)
def test_old_claims_become_outbox_rows_under_the_keys_their_constraints_stood_for():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        person, registration, sent_at = old_claims(executor.loader.project_state(BEFORE).apps)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    from notifications.models import OutboxMessage

    rows = {row.key: row for row in OutboxMessage.objects.all()}
    assert set(rows) == {
        f"UPLOAD_REMINDER:{registration}:7",
        f"REVIEWER_DIGEST:{person}:2027-03-11",
    }
    assert rows[f"UPLOAD_REMINDER:{registration}:7"].sent_at == sent_at
    digest = rows[f"REVIEWER_DIGEST:{person}:2027-03-11"]
    assert (digest.sent_at, digest.rendered_at, digest.recipient_id) == (None, None, person)
