"""Each email once: a second run, two workers at once, a crash or a mail server outage."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certifications.models import DailyJobRun, ExternalFile, Registration
from certifications.services.daily_jobs import lapse_and_claim, run_daily_jobs
from certifications.services.reminders import claim_upload_reminders
from notifications.models import OutboxMessage
from notifications.services import deliver_outbox
from tests.jobs.conftest import (
    REGISTERED_ON,
    after,
    application,
    external_file,
    new_york,
    renewal_cycle,
    reviewer,
)
from tests.jobs.smtp_sink import smtp_sink, subject_of, text_body

DAY_31 = after(REGISTERED_ON, 31)


def ticking_clock_at(day):
    """Stand on ``day`` with a running clock: the mail server's thread waits on real time."""
    return time_machine.travel(new_york(day), tick=True)


@contextmanager
def socket_nobody_listens_on() -> Iterator[int]:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        yield closed.getsockname()[1]


def due_on_day_31(application_type, renewal_type, *, each: int) -> None:
    """``each`` registrations of every kind the day-31 run acts on, plus a waiting file."""
    for _ in range(each):
        application(application_type)  # lapses on day 31
        application(application_type, registered_on=after(DAY_31, -9))  # 21 days left
        renewal_cycle(renewal_type, cycle_end=after(DAY_31, -1))  # cycle ended yesterday
        renewal_cycle(renewal_type, cycle_end=after(DAY_31, 90))  # 90 days left
    waiting = application(application_type, registered_on=after(DAY_31, -20))
    external_file(
        waiting, status=ExternalFile.Status.PENDING, submitted_at=new_york(after(DAY_31, -10), 9)
    )


@pytest.mark.django_db
def test_a_second_run_on_the_same_day_does_nothing(application_type, renewal_type):
    due_on_day_31(application_type, renewal_type, each=3)
    reviewer()

    first = run_daily_jobs(today=DAY_31)
    second = run_daily_jobs(today=DAY_31)

    assert first == {
        "upload_lapsed": 3,
        "upload_reminders": 3,
        "renewal_lapsed": 3,
        "renewal_reminders": 3,
        "reviewer_digests": 1,
        "emails_sent": 13,
    }
    assert set(second.values()) == {0}
    assert len(mail.outbox) == 13


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_email_once(application_type, renewal_type):
    due_on_day_31(application_type, renewal_type, each=20)
    reviewer()
    reviewer()
    start_together = threading.Barrier(2)
    results: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start_together.wait(timeout=10)
            results.append(run_daily_jobs(today=DAY_31))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(result["upload_lapsed"] for result in results) == 20
    assert sum(result["renewal_lapsed"] for result in results) == 20
    assert sum(result["emails_sent"] for result in results) == 82
    recipients = [message.to[0] for message in mail.outbox]
    assert len(recipients) == 82
    assert len(set(zip(recipients, [m.subject for m in mail.outbox], strict=True))) == 82
    assert OutboxMessage.objects.count() == 82
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0
    lapsed = Registration.objects.filter(status=Registration.Status.LAPSED)
    assert lapsed.count() == 40
    # One history row per lapse, however the two runs shared the work.
    assert Registration.history.filter(status=Registration.Status.LAPSED).count() == 40


@pytest.mark.django_db
def test_emails_claimed_by_a_run_that_stopped_are_sent_by_the_next_run(application_type):
    registration = application(application_type, registered_on=after(DAY_31, -9))
    # The worker was killed after claiming, before it could send.
    assert claim_upload_reminders(today=DAY_31) == 1
    assert mail.outbox == []

    counts = run_daily_jobs(today=DAY_31)
    run_daily_jobs(today=DAY_31)

    assert counts["upload_reminders"] == 0
    assert counts["emails_sent"] == 1
    assert [message.to for message in mail.outbox] == [[registration.user.email]]


@pytest.mark.django_db
def test_when_the_mail_server_is_down_the_lapse_stands_and_the_email_follows(
    application_type, settings
):
    settings.OUTBOX_RETRY_BASE_SECONDS = 0  # retried as soon as the sweep runs
    registration = application(application_type)
    with socket_nobody_listens_on() as port:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        counts = run_daily_jobs(today=DAY_31)

    assert counts == {**counts, "upload_lapsed": 1, "emails_sent": 0}
    registration.refresh_from_db()
    assert registration.status == Registration.Status.LAPSED
    waiting = OutboxMessage.objects.get()
    assert waiting.sent_at is None
    assert waiting.attempts == 1
    assert "Connection refused" in waiting.last_error

    with smtp_sink(settings) as sink:
        delivered = deliver_outbox()  # the sweep, not a new daily run
        deliver_outbox()

    assert delivered.sent == 1
    (message,) = sink.to(registration.user.email)
    assert "has lapsed" in subject_of(message)
    assert OutboxMessage.objects.get().sent_at is not None


@pytest.mark.django_db
def test_a_refused_address_does_not_stop_the_others_and_is_tried_again(application_type, settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 0  # retried by the next run
    refused = application(application_type, registered_on=after(DAY_31, -9))
    accepted = application(application_type, registered_on=after(DAY_31, -9))

    with smtp_sink(settings, refused={refused.user.email}) as sink:
        with ticking_clock_at(DAY_31):
            first = run_daily_jobs(today=DAY_31)
        sink.refused.clear()
        with ticking_clock_at(after(DAY_31, 1)):
            second = run_daily_jobs(today=after(DAY_31, 1))

    assert first["emails_sent"] == 1
    assert second["emails_sent"] == 1
    (on_time,) = sink.to(accepted.user.email)
    assert "21 days left" in subject_of(on_time)
    # Rendered once, at the first attempt: the retry sends the words that were refused.
    (retried,) = sink.to(refused.user.email)
    assert "21 days left" in subject_of(retried)
    assert "Upload Missing Files" in text_body(retried)


@pytest.mark.django_db
def test_the_daily_run_costs_the_same_queries_for_5_or_50_due_rows(application_type, renewal_type):
    reviewer()

    def queries_for(each: int) -> int:
        # Whatever an earlier measurement left is done with: nothing of it is due.
        OutboxMessage.objects.all().delete()
        ExternalFile.objects.all().delete()
        Registration.objects.update(status=Registration.Status.COMPLETED)
        DailyJobRun.objects.all().delete()
        due_on_day_31(application_type, renewal_type, each=each)
        with CaptureQueriesContext(connection) as queries:
            counts = lapse_and_claim(today=DAY_31)
        assert counts["upload_lapsed"] == each
        assert deliver_outbox().sent == 4 * each + 1
        return len(queries)

    few = queries_for(5)
    many = queries_for(50)

    assert few == many
    assert many <= 40


@pytest.mark.django_db
def test_delivery_costs_a_fixed_few_queries_per_email(application_type, settings):
    settings.OUTBOX_BATCH_SIZE = 10
    for _ in range(40):
        application(application_type)
    lapse_and_claim(today=DAY_31)

    with CaptureQueriesContext(connection) as queries:
        assert deliver_outbox().sent == 40

    # Per batch of 10: lease (lock, update, read) and render (the rows it is about, store),
    # about ten queries, then one UPDATE per email sent; a last, empty lease ends the run.
    per_batch, last_lease = 11, 3
    assert len(queries) <= 4 * per_batch + 40 + last_lease
