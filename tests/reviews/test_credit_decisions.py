import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from certifications.models import Registration
from credits.models import CreditRequest
from credits.services.reviews import credit_request_decide
from tests.reviews.builders import pending_credit_request, renewal_cycle, reviewer

pytestmark = pytest.mark.django_db
EASTERN = datetime.timezone(datetime.timedelta(hours=-5))


def decide(credit_request, credits, note="", by=None):
    return credit_request_decide(
        credit_request=credit_request,
        approved_credits=Decimal(credits),
        note=note,
        reviewer=by or reviewer(),
    )


def test_it_approves_all_credits_and_completes_the_cycle(django_capture_on_commit_callbacks):
    robin = reviewer()
    cycle = renewal_cycle()
    credit_request = pending_credit_request(cycle, requested=Decimal("20"))
    with django_capture_on_commit_callbacks(execute=True):
        decided = decide(credit_request, "20", by=robin)

    assert decided.status == CreditRequest.Status.APPROVED
    assert decided.approved_credits == Decimal("20")
    assert (decided.decided_by, decided.reviewer_note) == (robin, "")
    cycle.refresh_from_db()
    assert cycle.earned_credits == Decimal("20")
    assert (cycle.status, cycle.compliance) == (
        Registration.Status.COMPLETED,
        Registration.Compliance.COMPLIANT,
    )
    assert decided.history.latest().history_user == robin
    [email] = mail.outbox
    assert email.to == [cycle.user.email]
    assert email.subject.startswith("KDLA approved your credit request")
    assert "http://portal.test/dashboard/" in email.body
    assert "http://portal.test/dashboard/" in email.alternatives[0][0]


def test_it_approves_some_credits_with_a_note(django_capture_on_commit_callbacks):
    cycle = renewal_cycle()
    credit_request = pending_credit_request(cycle, requested=Decimal("20"))
    with django_capture_on_commit_callbacks(execute=True):
        decided = decide(credit_request, "12", note="good")

    assert decided.status == CreditRequest.Status.PARTIALLY_APPROVED
    assert (decided.approved_credits, decided.reviewer_note) == (Decimal("12"), "good")
    cycle.refresh_from_db()
    assert cycle.earned_credits == Decimal("12")
    assert cycle.status == Registration.Status.ACTIVE
    [email] = mail.outbox
    assert "some of your requested credits" in email.subject
    assert "Approved Credits: 12" in email.body
    assert "Notes: good" in email.body


def test_it_approves_none_with_a_note(django_capture_on_commit_callbacks):
    cycle = renewal_cycle()
    credit_request = pending_credit_request(cycle)
    with django_capture_on_commit_callbacks(execute=True):
        decided = decide(credit_request, "0", note="Not library related.")

    assert decided.status == CreditRequest.Status.REJECTED
    assert decided.approved_credits == Decimal("0")
    cycle.refresh_from_db()
    assert cycle.earned_credits == Decimal("0")
    [email] = mail.outbox
    assert "did not approve" in email.subject
    assert "Not library related." in email.body


def test_it_accepts_half_hours():
    decided = decide(pending_credit_request(renewal_cycle()), "12.5", note="Half a session.")
    assert decided.approved_credits == Decimal("12.5")


@pytest.mark.parametrize(
    ("credits", "note", "message"),
    [
        ("12", "", "Write a note telling the person why only some credits were approved."),
        ("0", " ", "Write a note telling the person why no credits were approved."),
        ("-1", "x", "Approved credits must be between 0 and the 20 requested."),
        ("20.5", "x", "Approved credits must be between 0 and the 20 requested."),
        ("12.3", "x", "Approved credits must be a whole or half hour, e.g. 12 or 12.5."),
        ("NaN", "x", "Approved credits must be between 0 and the 20 requested."),
    ],
)
def test_it_refuses_a_bad_decision_and_changes_nothing(
    credits, note, message, django_capture_on_commit_callbacks
):
    cycle = renewal_cycle()
    credit_request = pending_credit_request(cycle, requested=Decimal("20"))
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refusal,
    ):
        decide(credit_request, credits, note=note)

    assert refusal.value.messages == [message]
    credit_request.refresh_from_db()
    assert (credit_request.status, credit_request.approved_credits) == (
        CreditRequest.Status.PENDING,
        None,
    )
    assert credit_request.history.count() == 1
    cycle.refresh_from_db()
    assert cycle.earned_credits == 0
    assert mail.outbox == []


def test_it_refuses_a_request_another_reviewer_decided_meanwhile(
    django_capture_on_commit_callbacks,
):
    cycle = renewal_cycle()
    credit_request = pending_credit_request(cycle)
    seen_pending = CreditRequest.objects.get(pk=credit_request.pk)
    first = reviewer(first_name="Robin", last_name="Reviewer")
    with time_machine.travel(datetime.datetime(2026, 5, 4, 9, tzinfo=EASTERN), tick=False):
        decide(credit_request, "20", by=first)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refusal,
    ):
        decide(seen_pending, "0", note="No.")

    assert refusal.value.messages == [
        "This request was already approved by Robin Reviewer on 05/04/2026."
    ]
    credit_request.refresh_from_db()
    assert (credit_request.status, credit_request.decided_by) == (
        CreditRequest.Status.APPROVED,
        first,
    )
    assert mail.outbox == []


def test_a_new_decision_replaces_the_old_one_and_history_keeps_both(
    django_capture_on_commit_callbacks,
):
    cycle = renewal_cycle()
    credit_request = pending_credit_request(cycle, requested=Decimal("20"))
    first, second = reviewer(), reviewer()
    decided = decide(credit_request, "20", by=first)
    cycle.refresh_from_db()
    assert cycle.status == Registration.Status.COMPLETED

    with django_capture_on_commit_callbacks(execute=True):
        redecided = decide(decided, "10", note="Only half counts.", by=second)

    assert redecided.status == CreditRequest.Status.PARTIALLY_APPROVED
    statuses = list(
        credit_request.history.order_by("history_date").values_list("status", "history_user")
    )
    assert statuses == [
        ("PENDING", None),
        ("APPROVED", first.pk),
        ("PARTIALLY_APPROVED", second.pk),
    ]
    cycle.refresh_from_db()
    assert cycle.earned_credits == Decimal("10")
    assert cycle.status == Registration.Status.ACTIVE
    # One email per decision (the first waited in the outbox until delivery ran).
    assert len(mail.outbox) == 2
