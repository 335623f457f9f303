"""The outbox: one row per email the portal sends, written in the event's own transaction.

The unique ``key`` says which event the email is about (``welcome:42``,
``UPLOAD_REMINDER:1234:7``), so a retry, a second worker or a second daily run can never add
the same email twice. Delivery (notifications/services.py) marks each row sent right after the
mail server accepted it. See docs/decisions/0005-durable-outbox.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxMessage(models.Model):
    key = models.CharField(max_length=200, unique=True, help_text="Which event the email is for.")
    kind = models.CharField(max_length=60, help_text="The email template or scheduled kind.")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbox_messages",
    )
    # What a scheduled email is about (a registration's id, the offset in days, the due date or
    # digest day): read when the email is rendered. Ids only, so this app depends on no other.
    about_id = models.BigIntegerField(null=True, blank=True)
    offset_days = models.IntegerField(default=0)
    sent_for = models.DateField(null=True, blank=True)

    to = models.TextField(blank=True, help_text="Addresses, one per line.")
    subject = models.TextField(blank=True)
    text_body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                name="outbox_unsent_due",
                condition=Q(sent_at=None),
            ),
            models.Index(fields=["about_id", "kind"], name="outbox_about"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rendered_at__isnull=False) | Q(recipient__isnull=False),
                name="outbox_claim_has_recipient",
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def recipients(self) -> list[str]:
        return [address for address in self.to.splitlines() if address]


class OutboxAttachment(models.Model):
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    mimetype = models.CharField(max_length=100)
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.filename
