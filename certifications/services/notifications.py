"""Emails of the scheduled jobs: claimed in the outbox set-based, rendered when delivered.

Claiming inserts one outbox row per email with one ``INSERT … SELECT … ON CONFLICT DO NOTHING``
under the outbox's unique key (``<kind>:<registration>:<days before>`` or
``REVIEWER_DIGEST:<reviewer>:<day>``), in the transaction of the change it reports (a lapse) or
on its own (a reminder), so a second run or a retry claims nothing new. The row holds only what
the email is about; the renderers below turn it into subject and bodies when delivery first
takes it (notifications/rendering.py), and delivery sends and marks each one.
See docs/decisions/0003-idempotent-jobs.md and 0005-durable-outbox.md.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import (
    BigIntegerField,
    CharField,
    DateField,
    DateTimeField,
    Field,
    IntegerField,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from certifications.models import NoticeKind, Registration
from certifications.services.insert_select import insert_from_select
from kdla_portal.mail import RenderedEmail, render_email
from notifications.models import OutboxMessage
from notifications.rendering import register_renderer

TEMPLATE_BY_KIND = {
    NoticeKind.UPLOAD_REMINDER: "upload_reminder",
    NoticeKind.UPLOAD_LAPSED: "upload_lapsed",
    NoticeKind.RENEWAL_REMINDER: "renewal_reminder",
    NoticeKind.RENEWAL_LAPSED: "renewal_lapsed",
    NoticeKind.REVIEWER_DIGEST: "reviewer_digest",
}
REMINDER_KINDS = (NoticeKind.UPLOAD_REMINDER, NoticeKind.RENEWAL_REMINDER)


def notice_key(*, kind: str, about: Combinable, offset_days: Combinable | int = 0) -> Concat:
    """The outbox key of a registration's email as an SQL expression over the source rows."""
    return Concat(
        Value(f"{kind}:"),
        Cast(about, output_field=CharField()),
        Value(":"),
        Cast(_expression(offset_days, IntegerField()), output_field=CharField()),
        output_field=CharField(),
    )


def digest_key(*, recipient: Combinable, day: datetime.date) -> Concat:
    return Concat(
        Value(f"{NoticeKind.REVIEWER_DIGEST}:"),
        Cast(recipient, output_field=CharField()),
        Value(f":{day.isoformat()}"),
        output_field=CharField(),
    )


def claim_notifications(
    *,
    source: QuerySet,
    kind: str,
    key: Combinable,
    recipient: Combinable,
    registration: Combinable | None,
    sent_for: Combinable | datetime.date,
    offset_days: Combinable | int = 0,
) -> int:
    """Claim one email of ``kind`` per row of ``source`` (expressions over its rows say to whom
    and about what); returns how many were new. One INSERT … SELECT whatever the number of
    rows; keys already in the outbox are skipped."""
    now = Value(timezone.now(), output_field=DateTimeField())
    empty = Value("", output_field=TextField())
    return insert_from_select(
        model=OutboxMessage,
        source=source,
        columns={
            "key": key,
            "kind": Value(kind, output_field=CharField()),
            "recipient_id": recipient,
            "about_id": (
                Cast(Value(None), output_field=BigIntegerField())
                if registration is None
                else registration
            ),
            "offset_days": _expression(offset_days, IntegerField()),
            "sent_for": _expression(sent_for, DateField()),
            "to": empty,
            "subject": empty,
            "text_body": empty,
            "html_body": empty,
            "last_error": empty,
            "attempts": Value(0, output_field=IntegerField()),
            "created_at": now,
            "next_attempt_at": now,
        },
        ignore_conflicts=True,
    )


def _expression(value: Combinable | object, output_field: Field) -> Combinable:
    if hasattr(value, "resolve_expression"):
        return value
    return Value(value, output_field=output_field)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def render_registration_notices(messages: list[OutboxMessage]) -> dict[int, RenderedEmail | None]:
    """Reminders and lapse notices, from the registrations as they are now (a registration
    deleted since the claim needs no email)."""
    registrations = (
        Registration.objects.select_related("credential_type")
        .prefetch_related("credential_type__required_document_types")
        .in_bulk([message.about_id for message in messages])
    )
    people = User.objects.in_bulk([message.recipient_id for message in messages])
    rendered: dict[int, RenderedEmail | None] = {}
    for message in messages:
        registration = registrations.get(message.about_id)
        person = people.get(message.recipient_id)
        if registration is None or person is None:
            rendered[message.pk] = None
            continue
        context = registration_email_context(registration, message=message)
        context["person"] = person
        rendered[message.pk] = render_email(
            template=TEMPLATE_BY_KIND[message.kind], to=[person.email], context=context
        )
    return rendered


def registration_email_context(
    registration: Registration, *, message: OutboxMessage
) -> dict[str, Any]:
    credential = registration.credential_type
    days_left = message.offset_days
    if message.kind in REMINDER_KINDS:
        # A reminder sent late (a day without a run) says how many days are really left.
        # Never more than when it was claimed, whatever the clock of the machine sending it.
        days_left = min(days_left, max((message.sent_for - timezone.localdate()).days, 0))
    return {
        "registration": registration,
        "credential": credential,
        "documents": [document.name for document in credential.required_document_types.all()],
        "days_left": days_left,
        "due_on": message.sent_for,
        "earned": registration.earned_credits,
        "required": credential.required_credits,
        "missing": max(credential.required_credits - registration.earned_credits, 0),
        "dashboard_url": absolute_url(reverse("dashboard")),
        "files_url": absolute_url(reverse("registration_files", kwargs={"pk": registration.pk})),
    }


def render_reviewer_digests(messages: list[OutboxMessage]) -> dict[int, RenderedEmail | None]:
    digest = ReviewerDigestContent()
    people = User.objects.in_bulk([message.recipient_id for message in messages])
    rendered: dict[int, RenderedEmail | None] = {}
    for message in messages:
        context = digest.context_for(day=message.sent_for)
        person = people.get(message.recipient_id)
        if context is None or person is None:
            rendered[message.pk] = None
            continue
        rendered[message.pk] = render_email(
            template="reviewer_digest", to=[person.email], context={**context, "person": person}
        )
    return rendered


@dataclass
class ReviewerDigestContent:
    """What the reviewers' digest lists; read once per batch, only if a digest is due."""

    by_day: dict[datetime.date, dict[str, Any] | None] = field(default_factory=dict)

    def context_for(self, *, day: datetime.date) -> dict[str, Any] | None:
        if day not in self.by_day:
            # Imported here: the reminders module claims through this one.
            from certifications.services.reminders import waiting_review_items

            items = waiting_review_items(today=day)
            self.by_day[day] = (
                {**items, "review_url": absolute_url(reverse("admin:index"))}
                if items["queues"]
                else None
            )
        return self.by_day[day]


def register_renderers() -> None:
    for kind in TEMPLATE_BY_KIND:
        if kind != NoticeKind.REVIEWER_DIGEST:
            register_renderer(kind, render_registration_notices)
    register_renderer(NoticeKind.REVIEWER_DIGEST, render_reviewer_digests)
