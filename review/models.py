"""What every kind of submission a KDLA reviewer decides has in common: its status, the
reviewer's note, when it came in, and who decided it when.

``ReviewedSubmission`` is abstract: each domain app's submission model inherits it (files,
credit requests, asynchronous course approvals and completions, name changes), so the
decision steps (``review.decisions``) and the queue pages (``review.admin_queue``) work on
the same field names everywhere. A model whose table had another column name for a shared
field keeps its column (``db_column``); a model with more outcomes (credit requests: partly
approved) declares its own ``status`` choices.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ReviewStatus(models.TextChoices):
    PENDING = "PENDING", "Awaiting review"
    APPROVED = "APPROVED", "Approved"
    REJECTED = "REJECTED", "Not approved"


PENDING = ReviewStatus.PENDING.value


def decision_recorded() -> Q:
    """A pending submission has no decision yet; a decided one says when and by whom."""
    undecided = Q(status=PENDING, decided_at__isnull=True, decided_by__isnull=True)
    decided = ~Q(status=PENDING) & Q(decided_at__isnull=False, decided_by__isnull=False)
    return undecided | decided


class ReviewedSubmission(models.Model):
    """A submission that waits for a reviewer's decision.

    Subclasses say who the submission is about (``submitter_id``, for "nobody decides their
    own submission") and how a decision message names it (``decision_noun``). A subclass
    with its own ``Meta`` keeps the shared constraints with
    ``constraints = [*ReviewedSubmission.Meta.constraints, ...]``.
    """

    decision_noun: ClassVar[str] = "submission"

    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    reviewer_note = models.TextField(blank=True, help_text="The reviewer's note to the person.")
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=decision_recorded(), name="%(class)s_decision_recorded"
            ),
        ]

    @property
    def submitter_id(self) -> int:
        """The person the submission is about."""
        return self.user_id

    @property
    def is_pending(self) -> bool:
        return self.status == PENDING
