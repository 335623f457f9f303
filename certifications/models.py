"""Credential rules (as editable, versioned data), registrations and their required files."""

import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from courses.models import Category, Course
from review.models import ReviewedSubmission, ReviewStatus


def private_upload_path(prefix: str, filename: str) -> str:
    """A path nobody can guess; the original name is kept on the row for downloads."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"{prefix}/{uuid.uuid4().hex}{suffix}"


def external_file_path(instance: "ExternalFile", filename: str) -> str:
    return private_upload_path("external-files", filename)


def blank_form_path(instance: "DocumentType", filename: str) -> str:
    return private_upload_path("blank-forms", filename)


class DocumentType(models.Model):
    """A kind of file a credential requires, e.g. the part-time application form."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    blank_form = models.FileField(upload_to=blank_form_path, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CredentialType(models.Model):
    """One version of the rules of a credential. A rule change is a new version (same
    ``code``, higher ``version``, later ``effective_on``); registrations keep their version."""

    class Kind(models.TextChoices):
        INITIAL_APPLICATION = "INITIAL_APPLICATION", "Initial application"
        RENEWAL_APPLICATION = "RENEWAL_APPLICATION", "Renewal application"
        RENEWAL_CREDITS = "RENEWAL_CREDITS", "Renewal credits"

    class Level(models.TextChoices):
        PART_TIME = "PART_TIME", "Part-time"
        PARAPROFESSIONAL_I = "PARAPROFESSIONAL_I", "Paraprofessional I"
        PARAPROFESSIONAL_II = "PARAPROFESSIONAL_II", "Paraprofessional II"
        PROFESSIONAL = "PROFESSIONAL", "Professional"

    code = models.SlugField(
        max_length=100, help_text="Identifies the credential across versions of its rules."
    )
    version = models.PositiveSmallIntegerField(default=1)
    effective_on = models.DateField(default=timezone.localdate)
    name = models.CharField(max_length=200)
    cycle_label = models.CharField(
        max_length=200,
        blank=True,
        help_text='Name shown in the CREDENTIALS box, e.g. "Initial Part Time Certification".',
    )
    description = models.TextField(blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="credentials")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    level = models.CharField(max_length=30, choices=Level.choices)
    required_credits = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal("0"))
    cycle_length_years = models.PositiveSmallIntegerField(default=0)
    cycle_length_days = models.PositiveSmallIntegerField(
        default=0, help_text="Added to the years; applications use days (e.g. 60)."
    )
    upload_window_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Days from registration to upload required files."
    )
    prerequisite_courses = models.ManyToManyField(
        Course, blank=True, related_name="required_by_credentials"
    )
    required_document_types = models.ManyToManyField(
        DocumentType, blank=True, related_name="credential_types"
    )
    leads_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_from",
        help_text="The renewal-credits credential an approved application enrolls the person in.",
    )
    requires_completed = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="unlocks",
        help_text="A credential whose cycle must be completed before registering for this one.",
    )
    accepts_async_courses = models.BooleanField(
        default=False, help_text="Approved asynchronous courses may count toward this credential."
    )
    max_async_hours = models.DecimalField(
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Most asynchronous hours that may count; empty means no limit.",
    )
    renewal_window_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Renewal credits only: how many days before the cycle ends the renewal "
        "application opens (the hours must still be met). Empty: it opens as soon as the hours "
        "are met.",
    )
    grace_period_days = models.PositiveSmallIntegerField(
        default=0,
        help_text="Renewal credits only: days after the cycle ends before a cycle short of "
        "hours lapses. Hours must still be dated inside the cycle.",
    )
    active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["category__name", "name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="credential_code_version"),
            models.CheckConstraint(
                condition=Q(required_credits__gte=0), name="credential_required_credits_positive"
            ),
            models.CheckConstraint(
                condition=Q(cycle_length_years__gt=0) | Q(cycle_length_days__gt=0),
                name="credential_cycle_has_length",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_label(self) -> str:
        return self.cycle_label or self.name

    @property
    def is_application(self) -> bool:
        return self.kind in (self.Kind.INITIAL_APPLICATION, self.Kind.RENEWAL_APPLICATION)


class Registration(models.Model):
    """One cycle of one credential for one person."""

    class Status(models.TextChoices):
        ACTIVE = "ACTIVE", "ACTIVE"
        PENDING_REVIEW = "PENDING_REVIEW", "PENDING REVIEW"
        COMPLETED = "COMPLETED", "COMPLETED"
        LAPSED = "LAPSED", "LAPSED"

    class Compliance(models.TextChoices):
        COMPLIANT = "COMPLIANT", "COMPLIANT"
        NOT_COMPLIANT = "NOT_COMPLIANT", "NOT COMPLIANT"

    OPEN_STATUSES = (Status.ACTIVE, Status.PENDING_REVIEW)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registrations"
    )
    credential_type = models.ForeignKey(
        CredentialType, on_delete=models.PROTECT, related_name="registrations"
    )
    # Copied from the credential type so the database can enforce one open cycle per
    # person and credential across rule versions.
    credential_code = models.SlugField(max_length=100, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    compliance = models.CharField(
        max_length=20, choices=Compliance.choices, default=Compliance.NOT_COMPLIANT
    )
    registered_at = models.DateTimeField(default=timezone.now)
    cycle_start = models.DateField()
    cycle_end = models.DateField()
    upload_due_on = models.DateField(null=True, blank=True)
    earned_credits = models.DecimalField(max_digits=7, decimal_places=1, default=Decimal("0"))
    completed_at = models.DateTimeField(null=True, blank=True)
    lapsed_on = models.DateField(null=True, blank=True)
    source_registration = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolled_renewal",
        help_text="The approved application that enrolled this renewal-credits cycle.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-cycle_start", "-id"]
        indexes = [
            models.Index(fields=["user", "status"]),
            models.Index(
                fields=["upload_due_on"],
                name="registration_active_upload_due",
                condition=Q(status="ACTIVE", upload_due_on__isnull=False),
            ),
            models.Index(
                fields=["cycle_end"],
                name="registration_active_cycle_end",
                condition=Q(status="ACTIVE"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(cycle_end__gt=models.F("cycle_start")),
                name="registration_cycle_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["user", "credential_code"],
                condition=Q(status__in=["ACTIVE", "PENDING_REVIEW"]),
                name="registration_one_open_cycle",
            ),
            models.CheckConstraint(
                condition=Q(earned_credits__gte=0), name="registration_earned_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.credential_type.display_label} – {self.user.full_name}"


class ExternalFile(ReviewedSubmission):
    """A file a person uploaded for a registration, with its review."""

    Status = ReviewStatus
    decision_noun = "file"

    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="external_files"
    )
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT)
    description = models.CharField("short description", max_length=255)
    file = models.FileField(upload_to=external_file_path, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    submitted_at = models.DateTimeField(
        "uploaded at", default=timezone.now, db_column="uploaded_at"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(
                fields=["submitted_at"], name="externalfile_pending", condition=Q(status="PENDING")
            ),
        ]
        constraints = [
            *ReviewedSubmission.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(status="REJECTED") | ~Q(reviewer_note=""),
                name="externalfile_rejection_has_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_type} – {self.original_name}"

    @property
    def submitter_id(self) -> int:
        return self.registration.user_id


class NoticeKind(models.TextChoices):
    """The emails the scheduled jobs claim in the outbox (``notifications.OutboxMessage.kind``).

    Keys: ``<kind>:<registration id>:<days before the due date>`` (0 for a lapse notice) and
    ``REVIEWER_DIGEST:<reviewer id>:<day>``; the outbox's unique key makes each one once.
    """

    UPLOAD_REMINDER = "UPLOAD_REMINDER", "Upload reminder"
    UPLOAD_LAPSED = "UPLOAD_LAPSED", "Upload window closed"
    RENEWAL_REMINDER = "RENEWAL_REMINDER", "Renewal reminder"
    RENEWAL_LAPSED = "RENEWAL_LAPSED", "Renewal cycle ended"
    REVIEWER_DIGEST = "REVIEWER_DIGEST", "Reviewer digest"


class DailyJobRun(models.Model):
    """One row per day the daily jobs ran: how a worker or beat coming back after 05:30 knows
    whether today's run still has to happen."""

    day = models.DateField(unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"Daily jobs of {self.day:%m/%d/%Y}"


class DeadlineExtension(models.Model):
    """A reviewer moved one person's upload deadline or cycle end, with the reason. The new
    date is written on the registration itself (so reminders and the sweep follow it); this row
    keeps what it was, why, who and when."""

    class Deadline(models.TextChoices):
        UPLOAD_DUE = "UPLOAD_DUE", "Upload deadline"
        CYCLE_END = "CYCLE_END", "Cycle end"

    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="extensions"
    )
    deadline = models.CharField(max_length=20, choices=Deadline.choices)
    previous_date = models.DateField()
    new_date = models.DateField()
    reason = models.TextField(help_text="Shown to the person on their dashboard.")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_date__gt=models.F("previous_date")),
                name="extension_moves_the_date_later",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="extension_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.get_deadline_display()} extended to {self.new_date:%m/%d/%Y}"
