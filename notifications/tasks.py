"""Delivery of the outbox. Safe to repeat (each row is leased before it is sent), hence
``acks_late`` and ``reject_on_worker_lost``: a worker killed mid-delivery leaves the task for
another worker. Database errors are retried with exponential backoff; mail-server errors are
recorded per message (``next_attempt_at``) and picked up by the sweep."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from notifications import services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=12,
)
def deliver_outbox() -> dict[str, int]:
    """Send what is due; the beat sweep runs this every few minutes as well."""
    counts = services.deliver_outbox(max_seconds=settings.OUTBOX_DELIVERY_SECONDS)
    if counts.more:
        services.request_delivery()
    return counts.as_dict()
