"""The steps every decision on a reviewed submission takes, whatever its kind.

A decision service (files, credit requests, asynchronous course approvals and completions,
name changes) runs them inside its own transaction, after locking whatever it locks first
(a registration, so two services never deadlock):

1. :func:`lock_for_decision` locks the submission's row (``SELECT … FOR UPDATE``), so a
   second reviewer deciding the same item waits for the first;
2. :func:`refuse_if_decided` refuses an item someone else decided meanwhile, naming who and
   when (credit requests, which can be decided again, use :func:`refuse_if_decided_since`);
3. :func:`refuse_own_submission` refuses a reviewer deciding their own submission;
4. :func:`record_decision` writes status, note, reviewer and time in one save, with the
   reviewer on the History row.

:func:`lock_pending_for_decision` is steps 1–3 for a submission that is decided once.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone

from review.models import ReviewedSubmission

Submission = TypeVar("Submission", bound=ReviewedSubmission)

OWN_SUBMISSION_REFUSED = (
    "You cannot decide your own submission. Another reviewer has to decide it, so that "
    "every decision is checked by someone other than the person it is about."
)

# How "This … was already …" names a decision (the statuses' labels are written for lists).
OUTCOMES = {
    "APPROVED": "approved",
    "PARTIALLY_APPROVED": "partially approved",
    "REJECTED": "rejected",
}


def refuse_own_submission(*, reviewer: Model, owner_id: int) -> None:
    """Nobody decides their own submission (reviewers are library staff too, and superusers
    are no exception)."""
    if reviewer.pk == owner_id:
        raise ValidationError(OWN_SUBMISSION_REFUSED)


def lock_for_decision(submission: Submission, *, select_related: Sequence[str] = ()) -> Submission:
    """The submission's row as it is now, locked until the transaction ends."""
    return (
        type(submission)
        ._default_manager.select_for_update(of=("self",))
        .select_related("decided_by", *select_related)
        .get(pk=submission.pk)
    )


def already_decided_message(submission: ReviewedSubmission) -> str:
    """E.g. "This file was already approved by Robin Reviewer on 04/01/2026."."""
    outcome = OUTCOMES.get(submission.status) or submission.get_status_display().lower()
    decided_by = submission.decided_by.get_full_name() if submission.decided_by else ""
    decided_on = timezone.localtime(submission.decided_at).strftime("%m/%d/%Y")
    return (
        f"This {submission.decision_noun} was already {outcome} by "
        f"{decided_by or 'a reviewer'} on {decided_on}."
    )


def refuse_if_decided(locked: ReviewedSubmission) -> None:
    if not locked.is_pending:
        raise ValidationError(already_decided_message(locked))


def refuse_if_decided_since(
    locked: ReviewedSubmission, *, seen_decided_at: datetime.datetime | None
) -> None:
    """For a submission that may be decided again: refuse when the stored decision is not
    the one the reviewer saw (``seen_decided_at``; None: they saw it pending), so a stale page
    never replaces a newer decision."""
    if locked.decided_at != seen_decided_at:
        raise ValidationError(already_decided_message(locked))


def lock_pending_for_decision(
    submission: Submission, *, reviewer: Model, select_related: Sequence[str] = ()
) -> Submission:
    """Lock the submission, and refuse it when already decided or the reviewer's own."""
    locked = lock_for_decision(submission, select_related=select_related)
    refuse_if_decided(locked)
    refuse_own_submission(reviewer=reviewer, owner_id=locked.submitter_id)
    return locked


def record_decision(
    locked: ReviewedSubmission,
    *,
    status: str,
    reviewer: Model,
    note: str,
    also_saved: Sequence[str] = (),
) -> None:
    """Save the decision on the locked row; ``also_saved`` names the other fields the
    service set for it (e.g. the approved credits)."""
    locked.status = status
    locked.reviewer_note = note
    locked.decided_by = reviewer
    locked.decided_at = timezone.now()
    locked._history_user = reviewer
    locked.save(update_fields=["status", "reviewer_note", "decided_by", "decided_at", *also_saved])
