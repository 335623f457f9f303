"""Requests for credit for activities outside the portal, and their review."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from certifications.models import Registration, private_upload_path
from review.models import ReviewedSubmission

MAX_REQUESTED_CREDITS = Decimal("100")


def documentation_path(instance: "CreditRequest", filename: str) -> str:
    return private_upload_path("credit-documentation", filename)


class CreditRequest(ReviewedSubmission):
    class Status(models.TextChoices):
        PENDING = "PENDING", "PENDING"
        APPROVED = "APPROVED", "APPROVED"
        PARTIALLY_APPROVED = "PARTIALLY_APPROVED", "PARTIALLY APPROVED"
        REJECTED = "REJECTED", "REJECTED"

    decision_noun = "request"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credit_requests"
    )
    registration = models.ForeignKey(
        Registration,
        on_delete=models.PROTECT,
        related_name="credit_requests",
        verbose_name="credential to count against",
    )
    activity_date = models.DateField()
    course = models.CharField(max_length=200)
    description = models.TextField()
    requested_credits = models.DecimalField(max_digits=5, decimal_places=1)
    approved_credits = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    reviewer_note = models.TextField(
        "notes", blank=True, help_text="The reviewer's note to the person.", db_column="notes"
    )
    documentation = models.FileField(upload_to=documentation_path, max_length=255)
    documentation_name = models.CharField(max_length=255)
    documentation_content_type = models.CharField(max_length=100)
    submitted_at = models.DateTimeField(
        "request date", default=timezone.now, db_column="requested_at"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            # Named as it was created, before the field took the shared name.
            models.Index(fields=["user", "submitted_at"], name="credits_cre_user_id_2866ac_idx"),
            models.Index(fields=["registration", "status"]),
            models.Index(
                fields=["submitted_at"], name="creditrequest_pending", condition=Q(status="PENDING")
            ),
        ]
        constraints = [
            *ReviewedSubmission.Meta.constraints,
            models.CheckConstraint(
                condition=Q(requested_credits__gt=0)
                & Q(requested_credits__lte=MAX_REQUESTED_CREDITS),
                name="creditrequest_requested_in_range",
            ),
            models.CheckConstraint(
                condition=Q(approved_credits__isnull=True)
                | (Q(approved_credits__gte=0) & Q(approved_credits__lte=F("requested_credits"))),
                name="creditrequest_approved_within_requested",
            ),
            models.CheckConstraint(
                condition=(Q(status="PENDING") & Q(approved_credits__isnull=True))
                | (~Q(status="PENDING") & Q(approved_credits__isnull=False)),
                name="creditrequest_decision_has_credits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.requested_credits} requested)"
