"""Every email delivered when a part fails: the mail server, Redis, a worker killed mid-run.

Real parts only: PostgreSQL, Redis, Celery workers (a thread for the decision test, `celery
worker` subprocesses where a worker is killed or comes back), an aiosmtpd SMTP server.
"""

from __future__ import annotations

import datetime
import logging
import os
import signal
import time
from collections import Counter
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from certifications.models import DailyJobRun, ExternalFile, Registration
from certifications.services.reminders import claim_upload_reminders
from kdla_portal.celery import app as celery_app
from notifications.models import OutboxMessage
from notifications.tasks import deliver_outbox
from tests.factories import CredentialTypeFactory, DocumentTypeFactory, LibraryFactory
from tests.jobs.smtp_sink import running_smtp_server, smtp_sink
from tests.notifications.processes import celery_worker_process, own_redis, wait_until
from tests.reviews.builders import application, pending_file, reviewer

pytestmark = pytest.mark.django_db(transaction=True)


def closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_with_the_mail_server_down_a_decision_is_saved_and_its_email_follows(
    client, settings, celery_worker_app
):
    settings.OUTBOX_RETRY_BASE_SECONDS = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    client.force_login(reviewer())
    external_file = pending_file(application())
    person = external_file.registration.user

    response = client.post(
        reverse("admin:certifications_externalfile_reject", args=[external_file.pk]),
        {"note": "Please sign page 2."},
    )

    assert response.status_code == 302
    external_file.refresh_from_db()
    assert external_file.status == ExternalFile.Status.REJECTED
    failed = wait_until(
        lambda: OutboxMessage.objects.filter(kind="file_rejected").exclude(last_error="").first(),
        what="the worker to try the mail server",
    )
    assert failed.sent_at is None
    assert failed.attempts == 1
    assert "refused" in failed.last_error.lower()

    with smtp_sink(settings) as sink:
        time.sleep(1.1)  # the retry time (1 s after the first attempt) passes
        deliver_outbox.delay()  # the sweep's next tick; no daily run
        wait_until(lambda: sink.to(person.email), what="the rejection email")

    (message,) = sink.to(person.email)
    assert "Please sign page 2." in message.get_body(preferencelist=("plain",)).get_content()
    assert OutboxMessage.objects.get(pk=failed.pk).sent_at is not None
    assert not DailyJobRun.objects.exists()


def signup_form(library) -> dict[str, object]:
    return {
        "first_name": "Casey",
        "last_name": "Jones",
        "email": "casey.jones@example.org",
        "phone": "502-555-0142",
        "library": library.pk,
        "position": "Circulation Clerk",
        "hours_per_month": "60",
        "password1": "reading-is-fun-2026",
        "password2": "reading-is-fun-2026",
    }


@pytest.fixture
def broker_of_our_own():
    """The web side publishes to a Redis only this test uses (then stops and restarts)."""
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    with own_redis() as redis:
        celery_app.conf.update(broker_url=redis.url, task_always_eager=False)
        celery_app.__dict__.pop("amqp", None)
        celery_app._pool = None
        yield redis
    celery_app.conf.update(saved)
    celery_app.__dict__.pop("amqp", None)
    celery_app._pool = None


def test_with_redis_down_sign_up_works_and_the_welcome_email_follows(client, broker_of_our_own):
    redis = broker_of_our_own
    library = LibraryFactory()
    redis.stop()

    started = time.monotonic()
    response = client.post(reverse("signup"), signup_form(library), follow=True)
    answered_in = time.monotonic() - started

    assert response.status_code == 200
    assert (
        "Thank you. We have sent an email to casey.jones@example.org." in response.content.decode()
    )
    assert answered_in < 10
    user = User.objects.get(email="casey.jones@example.org")
    welcome = OutboxMessage.objects.get(key=f"welcome:{user.pk}")
    assert welcome.sent_at is None

    redis.start()  # Redis is back; a worker starts (or beat ticks) and sends what waits
    with running_smtp_server() as sink, celery_worker_process(broker_url=redis.url, sink=sink):
        wait_until(lambda: sink.to("casey.jones@example.org"), what="the welcome email")

    (message,) = sink.to("casey.jones@example.org")
    assert "Casey" in message.get_body(preferencelist=("plain",)).get_content()
    assert OutboxMessage.objects.get(pk=welcome.pk).sent_at is not None


def thousand_upload_reminders(today: datetime.date) -> int:
    """1,000 people whose application file is due in 7 days, their reminders claimed."""
    credential = CredentialTypeFactory(
        kind="INITIAL_APPLICATION", required_credits=Decimal("0"), upload_window_days=30
    )
    credential.required_document_types.add(DocumentTypeFactory())
    library = LibraryFactory()
    people = User.objects.bulk_create(
        User(email=f"reader{n}@example.org", first_name=f"Reader{n}", library=library)
        for n in range(1000)
    )
    due_on = today + datetime.timedelta(days=7)
    Registration.objects.bulk_create(
        Registration(
            user=person,
            credential_type=credential,
            credential_code=credential.code,
            cycle_start=due_on - datetime.timedelta(days=30),
            cycle_end=due_on + datetime.timedelta(days=30),
            upload_due_on=due_on,
        )
        for person in people
    )
    return claim_upload_reminders(today=today)


def test_a_worker_killed_mid_delivery_leaves_the_rest_to_the_next_worker(redis_url):
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    today = timezone.localdate()
    assert thousand_upload_reminders(today) == 1000
    DailyJobRun.objects.create(day=today, finished_at=timezone.now())  # today's run happened
    lease = {"OUTBOX_LEASE_SECONDS": "2"}

    with running_smtp_server() as sink:
        with celery_worker_process(broker_url=redis_url, sink=sink, **lease) as first:
            # The worker sends what waits as soon as it is ready (see kdla_portal/celery.py).
            wait_until(
                lambda: len(sink.messages) >= 200, timeout=90, what="delivery to be under way"
            )
            os.kill(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        sent_before_the_kill = len(sink.messages)
        time.sleep(2.5)  # the killed worker's lease on its batch runs out
        with celery_worker_process(broker_url=redis_url, sink=sink, **lease):
            wait_until(
                lambda: not OutboxMessage.objects.filter(sent_at__isnull=True).exists(),
                timeout=180,  # about 15 s on an idle 2-core machine; generous for a shared one
                what="the second worker to deliver the rest",
            )

    copies = Counter(message["Message-ID"] for message in sink.messages)
    duplicates = sum(count - 1 for count in copies.values())
    print(f"kill -9 after {sent_before_the_kill} of 1000 sent: {duplicates} sent twice")
    assert len(copies) == 1000
    assert sent_before_the_kill < 1000
    assert duplicates <= 10
