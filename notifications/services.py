"""Writing to the outbox and delivering from it.

- ``outbox_add`` writes one rendered email in the caller's transaction under its unique key
  (``kdla_portal.mail.queue_email`` is the helper the rest of the portal calls) and, once that
  transaction commits, asks a worker to deliver. Asking never fails the caller: with the broker
  down the message waits for the sweep.
- ``deliver_outbox`` takes due, unsent rows in small batches (``FOR UPDATE SKIP LOCKED``, then a
  lease: ``next_attempt_at`` moves past the time the batch may take, and the lock is released),
  sends each over one SMTP connection per batch and marks it sent in its own statement right
  after the server accepted it. A refused or failed message gets ``last_error`` and a retry time
  that doubles with every attempt. A worker killed mid-batch leaves its leased rows to be taken
  again once the lease ends: only the message in flight at the crash can go out twice.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from notifications.models import OutboxAttachment, OutboxMessage
from notifications.rendering import render_claimed

logger = logging.getLogger(__name__)

# Errors that mean the connection to the mail server is gone (the rest of the batch waits).
CONNECTION_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError)
MAIL_ERRORS = (smtplib.SMTPException, OSError)


@dataclass(frozen=True)
class Attachment:
    filename: str
    mimetype: str
    content: bytes


@dataclass
class DeliveryCounts:
    sent: int = 0
    failed: int = 0
    mail_server_down: bool = False
    more: bool = False

    def as_dict(self) -> dict[str, int]:
        return {key: int(value) for key, value in asdict(self).items()}


def outbox_add(
    *,
    key: str,
    kind: str,
    to: Iterable[str],
    subject: str,
    text: str,
    html: str,
    attachments: Iterable[Attachment] = (),
) -> bool:
    """Write one email under ``key``; False (and nothing written) when the key exists."""
    message, created = OutboxMessage.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "to": "\n".join(to),
            "subject": subject,
            "text_body": text,
            "html_body": html,
            "rendered_at": timezone.now(),
        },
    )
    if not created:
        return False
    OutboxAttachment.objects.bulk_create(
        OutboxAttachment(
            message=message,
            filename=attachment.filename,
            mimetype=attachment.mimetype,
            content=attachment.content,
        )
        for attachment in attachments
    )
    transaction.on_commit(request_delivery)
    return True


def request_delivery() -> None:
    """Ask a worker to deliver now. Runs after commit, often inside a web request: a broker
    that is down must not turn a saved decision into an error page, so any failure is logged
    and the message is left to the sweep (every few minutes, and when a worker starts)."""
    from notifications.tasks import deliver_outbox

    try:
        deliver_outbox.delay()
    except Exception:
        logger.warning("Email delivery not queued; the outbox sweep will send it", exc_info=True)


def unsent_messages() -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(sent_at__isnull=True)


def retry_delay(*, attempts: int) -> datetime.timedelta:
    """Wait before the next attempt: the base, doubled after every failed attempt, capped."""
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def deliver_outbox(
    *, batch_size: int | None = None, max_seconds: float | None = None
) -> DeliveryCounts:
    """Send every due, unsent message (``more`` when ``max_seconds`` ran out first).

    Only rows due when the call began are taken, so a message that fails and is retried
    seconds later is not tried again by this call.
    """
    batch_size = batch_size or settings.OUTBOX_BATCH_SIZE
    due_before = timezone.now()
    started = time.monotonic()
    counts = DeliveryCounts()
    while batch := _lease_batch(due_before=due_before, batch_size=batch_size):
        _send_batch(batch, counts=counts)
        if counts.mail_server_down:
            return counts
        if max_seconds is not None and time.monotonic() - started > max_seconds:
            counts.more = True
            return counts
    return counts


def _lease_batch(*, due_before: datetime.datetime, batch_size: int) -> list[OutboxMessage]:
    with transaction.atomic():
        ids = list(
            unsent_messages()
            .filter(next_attempt_at__lte=due_before)
            .order_by("next_attempt_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return []
        lease_ends = timezone.now() + datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
        OutboxMessage.objects.filter(pk__in=ids).update(
            attempts=F("attempts") + 1, next_attempt_at=lease_ends
        )
    batch = list(
        OutboxMessage.objects.filter(pk__in=ids).prefetch_related("attachments").order_by("pk")
    )
    render_claimed(batch)
    return batch


def _send_batch(batch: list[OutboxMessage], *, counts: DeliveryCounts) -> None:
    mail_connection = get_connection()
    try:
        mail_connection.open()
    except MAIL_ERRORS as error:
        _give_back(batch, error=error, counts=counts)
        return
    try:
        for index, message in enumerate(batch):
            if not message.subject:
                _mark_sent(message)  # rendered to nothing: no email is needed any more
                continue
            try:
                accepted = mail_connection.send_messages([email_of(message)])
            except MAIL_ERRORS as error:
                _mark_failed(message, error=error)
                counts.failed += 1
                if isinstance(error, CONNECTION_ERRORS) and not _reopen(mail_connection):
                    _give_back(batch[index + 1 :], error=error, counts=counts)
                    return
                continue
            if accepted:
                _mark_sent(message)
                counts.sent += 1
            else:
                _mark_failed(message, error="The mail server did not accept the message.")
                counts.failed += 1
    finally:
        mail_connection.close()


def _reopen(mail_connection) -> bool:
    mail_connection.close()
    try:
        mail_connection.open()
    except MAIL_ERRORS:
        return False
    return True


def _give_back(
    messages: list[OutboxMessage], *, error: BaseException, counts: DeliveryCounts
) -> None:
    """The mail server cannot be reached: these wait for their retry time."""
    logger.warning("Mail server unavailable, %d emails wait for a retry: %s", len(messages), error)
    for message in messages:
        _mark_failed(message, error=error)
    counts.failed += len(messages)
    counts.mail_server_down = True


def email_of(message: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text_body,
        to=message.recipients,
        # One id per outbox row: a copy re-sent after a crash carries the same Message-ID,
        # which lets mail systems (and people) recognise it.
        headers={"Message-ID": f"<outbox.{message.pk}@{settings.OUTBOX_MESSAGE_ID_DOMAIN}>"},
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    for attachment in message.attachments.all():
        email.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return email


def _mark_sent(message: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now(), last_error="")


def _mark_failed(message: OutboxMessage, *, error: BaseException | str) -> None:
    logger.warning("Email %s not sent (attempt %d): %s", message.key, message.attempts, error)
    OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(
        next_attempt_at=timezone.now() + retry_delay(attempts=message.attempts),
        last_error=str(error)[:2000] or error.__class__.__name__,
    )
