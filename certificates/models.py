"""Certificates KDLA issues when it grants or renews a certification, and what a board or an
employer checks on the public verification page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from certifications.models import CredentialType, Registration, private_upload_path
from review.models import ReviewedSubmission, ReviewStatus


class Certificate(models.Model):
    """One certificate per grant: the approved application (initial or renewal) it proves.

    ``status`` is what happened to the certificate (revoked, replaced by a renewal); whether
    a valid one is expiring or expired follows from ``valid_until`` and today's date.
    """

    class Status(models.TextChoices):
        VALID = "VALID", "Valid"
        SUPERSEDED = "SUPERSEDED", "Superseded"
        REVOKED = "REVOKED", "Revoked"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    grant = models.OneToOneField(
        Registration,
        on_delete=models.PROTECT,
        related_name="certificate",
        help_text="The approved application this certificate was issued for.",
    )
    cycle = models.OneToOneField(
        Registration,
        on_delete=models.PROTECT,
        related_name="opened_by_certificate",
        help_text="The renewal-credits cycle the grant opened; it ends when the certificate does.",
    )
    # Copied from the cycle so a renewal finds the certificate it replaces across rule versions.
    credential_code = models.SlugField(max_length=100)
    holder_name = models.CharField(max_length=300)
    level = models.CharField(max_length=30, choices=CredentialType.Level.choices)
    credential_name = models.CharField(max_length=200)
    issued_on = models.DateField()
    valid_until = models.DateField()
    code = models.CharField(max_length=32, unique=True, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.VALID)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    superseded_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revocation_reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["user", "credential_code", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("issued_on")),
                name="certificate_valid_until_after_issue",
            ),
            models.CheckConstraint(
                condition=~Q(status="REVOKED")
                | (Q(revoked_at__isnull=False) & ~Q(revocation_reason="")),
                name="certificate_revocation_has_time_and_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="SUPERSEDED")
                | Q(superseded_by__isnull=False, superseded_at__isnull=False),
                name="certificate_superseded_names_newer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} certificate – {self.holder_name} ({self.code})"


def name_change_proof_path(instance: NameChangeRequest, filename: str) -> str:
    return private_upload_path("name-change-proofs", filename)


class NameChangeRequest(ReviewedSubmission):
    """A person asks KDLA to print another name on their certificates, with proof (a marriage
    certificate, a court order…). Once approved, certificates issued afterwards carry the new
    name; those issued before keep theirs and stay valid."""

    Status = ReviewStatus
    decision_noun = "name change"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="name_change_requests"
    )
    current_name = models.CharField(max_length=300)
    new_first_name = models.CharField(max_length=150)
    new_last_name = models.CharField(max_length=150)
    proof = models.FileField(upload_to=name_change_proof_path, max_length=255)
    proof_name = models.CharField(max_length=255)
    proof_content_type = models.CharField(max_length=100)
    proof_size = models.PositiveIntegerField()
    submitted_at = models.DateTimeField(
        "requested at", default=timezone.now, db_column="requested_at"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            *ReviewedSubmission.Meta.constraints,
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="PENDING"),
                name="name_change_one_pending_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(status="REJECTED") | ~Q(reviewer_note=""),
                name="name_change_rejection_has_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.current_name} → {self.new_name}"

    @property
    def new_name(self) -> str:
        return f"{self.new_first_name} {self.new_last_name}".strip()
