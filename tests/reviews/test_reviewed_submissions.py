"""What every kind of reviewed submission shares (review.models, review.decisions): the
database refuses a decision that does not say when and by whom, and every decision service
refuses an item already decided and a reviewer's own submission, changing nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from certificates.name_changes import name_change_approve, name_change_request
from certifications.services.reviews import external_file_approve
from credits.services.reviews import credit_request_decide
from notifications.models import OutboxMessage
from review.decisions import OWN_SUBMISSION_REFUSED
from review.models import ReviewedSubmission
from tests.asynchronous.factories import AsyncCompletionFactory, CourseApprovalRequestFactory
from tests.factories import UserFactory
from tests.fixtures.documents import PDF_BYTES
from tests.reviews.builders import (
    application,
    pending_credit_request,
    pending_file,
    renewal_cycle,
    reviewer,
)
from training.services import async_completion_decide, course_approval_decide

pytestmark = pytest.mark.django_db
EASTERN = datetime.timezone(datetime.timedelta(hours=-5))


@dataclass(frozen=True)
class Kind:
    """One kind of submission: how a test makes one for a person and approves it."""

    name: str
    noun: str
    submit: Callable[[User], ReviewedSubmission]
    approve: Callable[[ReviewedSubmission, User], object]
    rejected: tuple[tuple[str, object], ...] = ()  # what else a rejected row holds

    def __str__(self) -> str:
        return self.name


def _name_change(person: User) -> ReviewedSubmission:
    proof = SimpleUploadedFile("marriage-certificate.pdf", PDF_BYTES)
    return name_change_request(user=person, first_name="Ada", last_name="Lovelace", proof=proof)


KINDS = [
    Kind(
        "file",
        "file",
        lambda person: pending_file(application(user=person)),
        lambda item, by: external_file_approve(external_file=item, reviewer=by),
    ),
    Kind(
        "credit request",
        "request",
        lambda person: pending_credit_request(renewal_cycle(user=person)),
        lambda item, by: credit_request_decide(
            credit_request=item, approved_credits=item.requested_credits, note="", reviewer=by
        ),
        rejected=(("approved_credits", 0),),
    ),
    Kind(
        "course approval request",
        "course approval request",
        lambda person: CourseApprovalRequestFactory(user=person),
        lambda item, by: course_approval_decide(
            approval_request=item, approve=True, note="", reviewer=by
        ),
    ),
    Kind(
        "asynchronous completion",
        "completion",
        lambda person: AsyncCompletionFactory(user=person),
        lambda item, by: async_completion_decide(
            completion=item, approve=True, note="", reviewer=by
        ),
    ),
    Kind(
        "name change",
        "name change",
        _name_change,
        lambda item, by: name_change_approve(name_change=item, reviewer=by),
    ),
]


NOTE = "Please send the signed page."


def rejection(kind: Kind) -> dict:
    """The rest of a rejection, as the other constraints of each kind want it."""
    return {"reviewer_note": NOTE, **dict(kind.rejected)}


def stored(item: ReviewedSubmission) -> tuple:
    row = type(item).objects.get(pk=item.pk)
    return row.status, row.reviewer_note, row.decided_by_id, row.decided_at


@pytest.mark.parametrize("kind", KINDS, ids=str)
@pytest.mark.parametrize(
    "decision",
    [
        pytest.param({"status": "REJECTED", "decided_at": "now"}, id="decided-without-reviewer"),
        pytest.param({"status": "REJECTED", "decided_by": "reviewer"}, id="decided-without-time"),
        pytest.param({"decided_by": "reviewer", "decided_at": "now"}, id="pending-but-decided"),
    ],
)
def test_the_database_refuses_a_decision_that_does_not_say_when_and_by_whom(kind, decision):
    item = kind.submit(UserFactory())
    values = {
        **(rejection(kind) if decision.get("status") else {}),
        **decision,
        **({"decided_at": timezone.now()} if "decided_at" in decision else {}),
        **({"decided_by": reviewer()} if "decided_by" in decision else {}),
    }
    before = stored(item)

    with pytest.raises(IntegrityError, match="decision_recorded"), transaction.atomic():
        type(item).objects.filter(pk=item.pk).update(**values)

    assert stored(item) == before


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_the_database_keeps_a_decision_with_its_time_and_reviewer(kind):
    item = kind.submit(UserFactory())
    robin = reviewer()

    type(item).objects.filter(pk=item.pk).update(
        **rejection(kind), status="REJECTED", decided_by=robin, decided_at=timezone.now()
    )

    assert stored(item)[:3] == ("REJECTED", NOTE, robin.pk)


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_it_refuses_an_item_another_reviewer_already_decided(kind):
    item = kind.submit(UserFactory())
    stale_copy = type(item).objects.get(pk=item.pk)
    first = reviewer(first_name="Robin", last_name="Reviewer")
    with time_machine.travel(datetime.datetime(2026, 4, 1, 9, tzinfo=EASTERN), tick=False):
        kind.approve(item, first)
    decided = stored(item)
    emails = OutboxMessage.objects.count()

    with pytest.raises(ValidationError) as refusal:
        kind.approve(stale_copy, reviewer())

    assert refusal.value.messages == [
        f"This {kind.noun} was already approved by Robin Reviewer on 04/01/2026."
    ]
    assert stored(item) == decided
    assert type(item).history.filter(id=item.pk).count() == 2  # submitted, decided once
    assert OutboxMessage.objects.count() == emails


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_it_refuses_a_reviewer_deciding_their_own_submission(kind):
    robin = reviewer(first_name="Robin", last_name="Reviewer")
    item = kind.submit(robin)
    before = stored(item)
    emails = OutboxMessage.objects.count()

    with pytest.raises(ValidationError) as refusal:
        kind.approve(item, robin)

    assert refusal.value.messages == [OWN_SUBMISSION_REFUSED]
    assert stored(item) == before
    assert OutboxMessage.objects.count() == emails
