"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass
class SmtpSink:
    host: str = "127.0.0.1"
    port: int = 0
    refused: set[str] = field(default_factory=set)
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_smtp_server(*, refused: set[str] | None = None) -> Iterator[SmtpSink]:
    sink = SmtpSink(port=_free_port(), refused=refused or set())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


def email_settings(sink: SmtpSink) -> dict[str, object]:
    """Django settings that send every email to ``sink``."""
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": sink.host,
        "EMAIL_PORT": sink.port,
        "EMAIL_USE_TLS": False,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
    }


@contextmanager
def smtp_sink(settings, *, refused: set[str] | None = None) -> Iterator[SmtpSink]:
    """Start the server and point Django's SMTP backend at it for the test (pytest-django's
    ``settings`` fixture puts the settings back afterwards)."""
    with running_smtp_server(refused=refused) as sink:
        for name, value in email_settings(sink).items():
            setattr(settings, name, value)
        yield sink


def subject_of(message: EmailMessage) -> str:
    """The subject as a person reads it (long, non-ASCII subjects arrive folded)."""
    return " ".join(str(message["Subject"]).split())


def text_body(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()
