"""Rendering of scheduled emails that were claimed set-based (one INSERT … SELECT per job).

A claimed row holds only what it is about (recipient, ``about_id``, offset, day); the app that
claimed it registers a renderer for its ``kind`` (in its ``AppConfig.ready``). Delivery renders
such rows once, stores subject and bodies, and from then on sends the stored content, so a retry
sends the very same email. Rows written through ``kdla_portal.mail.queue_email`` are rendered
when they are written and never come here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from notifications.models import OutboxMessage


@dataclass(frozen=True)
class RenderedEmail:
    to: list[str]
    subject: str
    text: str
    html: str


# Renders a batch of rows of one kind; returns the email per row id, or None for a row that no
# longer needs an email (e.g. the digest's queue emptied): it is marked sent without one.
Renderer = Callable[[list[OutboxMessage]], dict[int, RenderedEmail | None]]
_renderers: dict[str, Renderer] = {}


def register_renderer(kind: str, renderer: Renderer) -> None:
    _renderers[kind] = renderer


def render_claimed(messages: list[OutboxMessage]) -> None:
    """Render and store the rows of ``messages`` that were claimed without content."""
    by_kind: dict[str, list[OutboxMessage]] = defaultdict(list)
    for message in messages:
        if message.rendered_at is None:
            by_kind[message.kind].append(message)
    if not by_kind:
        return
    now = timezone.now()
    rendered_rows = []
    for kind, rows in by_kind.items():
        emails = _renderers[kind](rows)
        for row in rows:
            email = emails.get(row.pk)
            row.to = "\n".join(email.to) if email else ""
            row.subject = email.subject if email else ""
            row.text_body = email.text if email else ""
            row.html_body = email.html if email else ""
            row.rendered_at = now
            rendered_rows.append(row)
    OutboxMessage.objects.bulk_update(
        rendered_rows, ["to", "subject", "text_body", "html_body", "rendered_at"]
    )
