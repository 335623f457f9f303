"""KDLA's decision about a credit request: approve all, some or none of the credits.

A decision can be replaced only by a new decision through ``credit_request_decide``; both
are kept in the request's history. The caller passes the request as the reviewer saw it
(its ``decided_at``): if someone else decided it in the meantime, the decision is refused and
nothing changes.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import floatformat

from accounts.models import User
from certifications.models import Registration
from certifications.services.earned import registrations_refresh_earned
from credits.models import CreditRequest
from kdla_portal.mail import queue_email
from review.decisions import (
    lock_for_decision,
    record_decision,
    refuse_if_decided_since,
    refuse_own_submission,
)

CREDIT_STEP = Decimal("0.5")
PARTIAL_NOTE_REQUIRED = "Write a note telling the person why only some credits were approved."
NONE_NOTE_REQUIRED = "Write a note telling the person why no credits were approved."


def decision_status_for(*, approved_credits: Decimal, requested_credits: Decimal) -> str:
    if approved_credits == requested_credits:
        return CreditRequest.Status.APPROVED
    if approved_credits == 0:
        return CreditRequest.Status.REJECTED
    return CreditRequest.Status.PARTIALLY_APPROVED


def _checked_credits(approved_credits: Decimal, requested_credits: Decimal) -> Decimal:
    try:
        credits = Decimal(approved_credits)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError("Enter the approved credits as a number, e.g. 12 or 12.5.") from None
    if not credits.is_finite() or credits < 0 or credits > requested_credits:
        raise ValidationError(
            f"Approved credits must be between 0 and the {floatformat(requested_credits, -1)} "
            "requested."
        )
    if credits % CREDIT_STEP != 0:
        raise ValidationError("Approved credits must be a whole or half hour, e.g. 12 or 12.5.")
    return credits.quantize(Decimal("0.1"))


def _checked_note(*, status: str, note: str) -> str:
    note = (note or "").strip()
    if note:
        return note
    if status == CreditRequest.Status.PARTIALLY_APPROVED:
        raise ValidationError(PARTIAL_NOTE_REQUIRED)
    if status == CreditRequest.Status.REJECTED:
        raise ValidationError(NONE_NOTE_REQUIRED)
    return note


def _queue_decision_email(*, credit_request_id: int) -> None:
    credit_request = CreditRequest.objects.select_related(
        "user", "registration__credential_type"
    ).get(pk=credit_request_id)
    queue_email(
        key=f"credit_decided:{credit_request.pk}:{credit_request.decided_at.isoformat()}",
        template="credit_decided",
        to=[credit_request.user.email],
        context={"user": credit_request.user, "credit_request": credit_request},
    )


@transaction.atomic
def credit_request_decide(
    *, credit_request: CreditRequest, approved_credits: Decimal, note: str, reviewer: User
) -> CreditRequest:
    """Approve all (approved = requested), some (with a note) or none (0, with a note)."""
    # The registration first, then the request: the same order as every other service.
    list(
        Registration.objects.select_for_update(of=("self",))
        .filter(pk=credit_request.registration_id)
        .values_list("pk", flat=True)
    )
    locked = lock_for_decision(credit_request)
    # ``decided_at`` of the request passed in is the decision the reviewer saw.
    refuse_if_decided_since(locked, seen_decided_at=credit_request.decided_at)
    refuse_own_submission(reviewer=reviewer, owner_id=locked.submitter_id)
    credits = _checked_credits(approved_credits, locked.requested_credits)
    status = decision_status_for(
        approved_credits=credits, requested_credits=locked.requested_credits
    )
    note = _checked_note(status=status, note=note)
    locked.approved_credits = credits
    record_decision(
        locked, status=status, reviewer=reviewer, note=note, also_saved=["approved_credits"]
    )
    registrations_refresh_earned(registration_ids=[locked.registration_id])
    _queue_decision_email(credit_request_id=locked.pk)
    return locked
