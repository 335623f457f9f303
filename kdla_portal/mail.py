"""The one helper every email goes through: subject, text and HTML from templates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string


def build_email(
    *, template: str, to: Iterable[str], context: Mapping[str, Any]
) -> EmailMultiAlternatives:
    """Render ``templates/emails/<template>_{subject.txt,body.txt,body.html}``."""
    full_context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", full_context).split())
    full_context["subject"] = subject
    text = render_to_string(f"emails/{template}_body.txt", full_context)
    html = render_to_string(f"emails/{template}_body.html", full_context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=list(to))
    message.attach_alternative(html, "text/html")
    return message


def send_emails(messages: list[EmailMultiAlternatives]) -> int:
    """Send a batch over one connection; returns how many were sent."""
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def send_email(*, template: str, to: Iterable[str], context: Mapping[str, Any]) -> int:
    return send_emails([build_email(template=template, to=to, context=context)])
