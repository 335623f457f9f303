"""Emails of the scheduled jobs: claimed in the Notification table, then delivered.

Claiming inserts one row per email under the table's unique constraints (registration, kind,
offset; or recipient, kind, day for the reviewer digest) with ``ON CONFLICT DO NOTHING``, so a
second run or a retry claims nothing new. Delivery then takes unsent rows under a row lock
(``FOR UPDATE SKIP LOCKED``), sends them over one SMTP connection, and sets ``sent_at`` in the
same transaction: a row is sent by whichever run locks it first, and a run that crashed before
setting ``sent_at`` leaves the row for the next run. See docs/decisions/0003-idempotent-jobs.md.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import (
    BigIntegerField,
    CharField,
    DateField,
    DateTimeField,
    Field,
    IntegerField,
    QuerySet,
    Value,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from certifications.models import Notification, Registration
from certifications.services.insert_select import insert_from_select
from kdla_portal.mail import build_email

logger = logging.getLogger(__name__)

DELIVERY_BATCH_SIZE = 1000
TEMPLATE_BY_KIND = {
    Notification.Kind.UPLOAD_REMINDER: "upload_reminder",
    Notification.Kind.UPLOAD_LAPSED: "upload_lapsed",
    Notification.Kind.RENEWAL_REMINDER: "renewal_reminder",
    Notification.Kind.RENEWAL_LAPSED: "renewal_lapsed",
    Notification.Kind.REVIEWER_DIGEST: "reviewer_digest",
}


def claim_notifications(
    *,
    source: QuerySet,
    kind: str,
    recipient: Combinable,
    registration: Combinable | None,
    sent_for: Combinable | datetime.date,
    offset_days: Combinable | int = 0,
) -> int:
    """Claim one email of ``kind`` per row of ``source`` (expressions over its rows say to whom
    and about what); returns how many were new. One INSERT … SELECT whatever the number of
    rows; rows another run already claimed are skipped by the unique constraints."""
    return insert_from_select(
        model=Notification,
        source=source,
        columns={
            "kind": Value(kind, output_field=CharField()),
            "recipient_id": recipient,
            "registration_id": (
                Cast(Value(None), output_field=BigIntegerField())
                if registration is None
                else registration
            ),
            "offset_days": _expression(offset_days, IntegerField()),
            "sent_for": _expression(sent_for, DateField()),
            "created_at": Value(timezone.now(), output_field=DateTimeField()),
        },
        ignore_conflicts=True,
    )


def _expression(value: Combinable | object, output_field: Field) -> Combinable:
    if hasattr(value, "resolve_expression"):
        return value
    return Value(value, output_field=output_field)


def unsent_notifications() -> QuerySet[Notification]:
    return Notification.objects.filter(sent_at__isnull=True)


def deliver_notifications(*, batch_size: int = DELIVERY_BATCH_SIZE) -> int:
    """Send every claimed, unsent email; returns how many were sent by this call.

    Batches walk the unsent rows in id order, so a message the mail server refuses is tried
    again on the next run but never twice in this one.
    """
    sent = 0
    after_id = 0
    digest = ReviewerDigestContent()
    while True:
        batch_sent, last_id, batch_length = _deliver_batch(
            after_id=after_id, batch_size=batch_size, digest=digest
        )
        sent += batch_sent
        if batch_length < batch_size:
            return sent
        after_id = last_id


@transaction.atomic
def _deliver_batch(
    *, after_id: int, batch_size: int, digest: ReviewerDigestContent
) -> tuple[int, int, int]:
    batch = list(
        unsent_notifications()
        .filter(pk__gt=after_id)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("recipient", "registration__credential_type")
        .prefetch_related("registration__credential_type__required_document_types")
        .order_by("pk")[:batch_size]
    )
    if not batch:
        return 0, after_id, 0
    messages = [build_notification_email(notification, digest=digest) for notification in batch]
    sent_ids = _send_each(zip(batch, messages, strict=True))
    if sent_ids:
        Notification.objects.filter(pk__in=sent_ids).update(sent_at=timezone.now())
    return len(sent_ids), batch[-1].pk, len(batch)


def _send_each(pairs: Iterable[tuple[Notification, EmailMultiAlternatives | None]]) -> list[int]:
    """Send over one connection; a refused message does not stop the others."""
    sent_ids = []
    with get_connection() as mail_connection:
        for notification, message in pairs:
            if message is None:
                # Nothing left to say (e.g. the digest queue emptied): done without an email.
                sent_ids.append(notification.pk)
                continue
            try:
                if mail_connection.send_messages([message]):
                    sent_ids.append(notification.pk)
            except (smtplib.SMTPException, OSError):
                logger.exception("Email %s to %s was not sent", notification.kind, message.to)
    return sent_ids


def build_notification_email(
    notification: Notification, *, digest: ReviewerDigestContent
) -> EmailMultiAlternatives | None:
    template = TEMPLATE_BY_KIND[notification.kind]
    if notification.kind == Notification.Kind.REVIEWER_DIGEST:
        context = digest.context_for(day=notification.sent_for)
        if context is None:
            return None
    else:
        context = registration_email_context(notification)
    context["person"] = notification.recipient
    return build_email(template=template, to=[notification.recipient.email], context=context)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def registration_email_context(notification: Notification) -> dict[str, Any]:
    registration: Registration = notification.registration
    credential = registration.credential_type
    return {
        "registration": registration,
        "credential": credential,
        "documents": [document.name for document in credential.required_document_types.all()],
        "days_left": notification.offset_days,
        "due_on": notification.sent_for,
        "earned": registration.earned_credits,
        "required": credential.required_credits,
        "missing": max(credential.required_credits - registration.earned_credits, 0),
        "dashboard_url": absolute_url(reverse("dashboard")),
        "files_url": absolute_url(reverse("registration_files", kwargs={"pk": registration.pk})),
    }


@dataclass
class ReviewerDigestContent:
    """What the reviewers' digest lists; read once per delivery run, only if a digest is due."""

    by_day: dict[datetime.date, dict[str, Any] | None] = field(default_factory=dict)

    def context_for(self, *, day: datetime.date) -> dict[str, Any] | None:
        if day not in self.by_day:
            # Imported here: the reminders module claims through this one.
            from certifications.services.reminders import waiting_review_items

            items = waiting_review_items(today=day)
            self.by_day[day] = (
                {**items, "review_url": absolute_url(reverse("admin:index"))}
                if items["file_count"] or items["credit_request_count"]
                else None
            )
        return self.by_day[day]
