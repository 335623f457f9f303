"""The one helper every email goes through: rendered from templates into the outbox.

``queue_email`` renders ``templates/emails/<template>_{subject.txt,body.txt,body.html}`` and
writes the message to the outbox (notifications/) in the caller's transaction, under ``key``:
the event the email is about, so the same event never emails twice. A worker delivers it once
the transaction has committed; nothing here talks to a mail server or waits for the broker.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from notifications.rendering import RenderedEmail
from notifications.services import Attachment, outbox_add

__all__ = ["Attachment", "RenderedEmail", "queue_email", "render_email"]


def render_email(*, template: str, to: Iterable[str], context: Mapping[str, Any]) -> RenderedEmail:
    """Subject (one line), text and HTML of ``template`` for ``context``."""
    full_context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", full_context).split())
    full_context["subject"] = subject
    return RenderedEmail(
        to=list(to),
        subject=subject,
        text=render_to_string(f"emails/{template}_body.txt", full_context),
        html=render_to_string(f"emails/{template}_body.html", full_context),
    )


def queue_email(
    *,
    key: str,
    template: str,
    to: Iterable[str],
    context: Mapping[str, Any],
    attachments: Iterable[Attachment] = (),
) -> bool:
    """Put one email in the outbox; False when an email under ``key`` already exists."""
    rendered = render_email(template=template, to=to, context=context)
    return outbox_add(
        key=key,
        kind=template,
        to=rendered.to,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        attachments=attachments,
    )
