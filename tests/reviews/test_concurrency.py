"""Two reviewers deciding the same item at the same moment, on PostgreSQL's row locks."""

import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from certificates.models import Certificate
from certifications.models import ExternalFile, Registration
from certifications.services.reviews import external_file_approve
from credits.models import CreditRequest
from credits.services.reviews import credit_request_decide
from tests.reviews.builders import (
    application,
    pending_credit_request,
    pending_file,
    renewal_cycle,
    reviewer,
)


def run_at_once(*decisions):
    """Start every decision at the same moment, each in its own thread and connection;
    return what each raised (or None)."""
    barrier = threading.Barrier(len(decisions))
    outcomes = [None] * len(decisions)

    def run(index, decision):
        try:
            barrier.wait(timeout=10)
            decision()
        except ValidationError as refusal:
            outcomes[index] = refusal
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, decision))
        for index, decision in enumerate(decisions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_one_application_file_enroll_the_person_once():
    assert connection.vendor == "postgresql"
    first, second = reviewer(), reviewer()
    registration = application()
    external_file = pending_file(registration)
    copies = [ExternalFile.objects.get(pk=external_file.pk) for _ in range(2)]

    outcomes = run_at_once(
        lambda: external_file_approve(external_file=copies[0], reviewer=first),
        lambda: external_file_approve(external_file=copies[1], reviewer=second),
    )

    refusals = [outcome for outcome in outcomes if outcome is not None]
    assert len(refusals) == 1
    assert refusals[0].messages[0].startswith("This file was already approved by")
    assert Registration.objects.filter(source_registration=registration).count() == 1
    assert Registration.objects.filter(user=registration.user).count() == 2
    assert ExternalFile.history.filter(status="APPROVED").count() == 1
    assert Certificate.objects.filter(grant=registration).count() == 1
    # The approval and the certificate it grants, once each.
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_deciding_one_credit_request_apply_one_decision():
    cycle = renewal_cycle()
    credit_request = pending_credit_request(cycle, requested=Decimal("20"))
    copies = [CreditRequest.objects.get(pk=credit_request.pk) for _ in range(2)]
    first, second = reviewer(), reviewer()

    outcomes = run_at_once(
        lambda: credit_request_decide(
            credit_request=copies[0], approved_credits=Decimal("20"), note="", reviewer=first
        ),
        lambda: credit_request_decide(
            credit_request=copies[1], approved_credits=Decimal("5"), note="Some", reviewer=second
        ),
    )

    assert sum(outcome is not None for outcome in outcomes) == 1
    credit_request.refresh_from_db()
    cycle.refresh_from_db()
    assert cycle.earned_credits == credit_request.approved_credits
    assert CreditRequest.history.exclude(status="PENDING").count() == 1
    assert len(mail.outbox) == 1
