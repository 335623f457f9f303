"""The outbox: one row per event, written with it, delivered with retries, visible to reviewers."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from certifications.models import DailyJobRun
from certifications.services.daily_jobs import catch_up_daily_jobs
from kdla_portal.celery import app
from kdla_portal.mail import Attachment, queue_email
from notifications.models import OutboxMessage
from notifications.services import deliver_outbox, retry_delay
from tests.factories import UserFactory
from tests.jobs.conftest import application, new_york
from tests.jobs.smtp_sink import smtp_sink
from tests.reviews.builders import reviewer

pytestmark = pytest.mark.django_db


def welcome(to: str = "dana@example.org", **fields) -> bool:
    return queue_email(
        key=f"welcome:{to}",
        template="welcome",
        to=[to],
        context={"user": UserFactory.build(first_name="Dana", email=to)},
        **fields,
    )


def test_it_writes_one_email_per_key_and_delivers_it_after_the_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        assert welcome() is True
        assert welcome() is False

    (row,) = OutboxMessage.objects.all()
    assert row.subject and row.sent_at is not None
    assert [message.to for message in mail.outbox] == [["dana@example.org"]]
    assert (
        mail.outbox[0].extra_headers["Message-ID"] == f"<outbox.{row.pk}@certification.kdla.ky.gov>"
    )


def test_it_keeps_attachments_with_their_name_type_and_bytes(django_capture_on_commit_callbacks):
    pdf = Attachment(
        filename="certificate.pdf", mimetype="application/pdf", content=b"%PDF-1.7 \x00\xff"
    )

    with django_capture_on_commit_callbacks(execute=True):
        welcome(attachments=[pdf])

    (message,) = mail.outbox
    assert message.attachments == [("certificate.pdf", b"%PDF-1.7 \x00\xff", "application/pdf")]


def test_a_rolled_back_event_leaves_no_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                welcome()
                raise RuntimeError("the decision failed")
        except RuntimeError:
            pass

    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_a_refused_email_is_retried_later_each_time_twice_as_late(settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False), smtp_sink(settings, refused={"dana@example.org"}):
        welcome()
        first = deliver_outbox()
        row = OutboxMessage.objects.get()

    assert (first.sent, first.failed) == (0, 1)
    assert row.attempts == 1
    assert "Mailbox unavailable" in row.last_error
    assert row.next_attempt_at == start + datetime.timedelta(minutes=1)
    assert deliver_outbox().failed == 0  # not due yet
    assert [retry_delay(attempts=n).total_seconds() for n in (1, 2, 3, 8)] == [60, 120, 240, 3600]

    later = start + datetime.timedelta(minutes=2)
    with time_machine.travel(later, tick=False), smtp_sink(settings) as sink:
        assert deliver_outbox().sent == 1
    assert len(sink.messages) == 1
    row.refresh_from_db()
    assert (row.attempts, row.last_error) == (2, "")
    assert row.sent_at is not None


def test_the_sweep_and_the_daily_catch_up_are_scheduled(migration_installed_data):
    app.loader.import_default_modules()
    sweep = PeriodicTask.objects.select_related("interval").get(name="KDLA email delivery sweep")
    catch_up = PeriodicTask.objects.select_related("interval").get(name="KDLA daily run catch-up")

    assert (sweep.task, sweep.interval.every, sweep.interval.period) == (
        "notifications.tasks.deliver_outbox",
        5,
        "minutes",
    )
    assert catch_up.task == "certifications.tasks.catch_up_daily_deadlines"
    assert (catch_up.interval.every, catch_up.interval.period) == (10, "minutes")
    for task in (sweep.task, catch_up.task):
        assert app.tasks[task].acks_late


def test_a_killed_workers_task_comes_back_within_minutes_and_after_any_time_limit():
    assert django_settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert django_settings.CELERY_TASK_ACKS_LATE
    assert django_settings.CELERY_TASK_SOFT_TIME_LIMIT < django_settings.CELERY_TASK_TIME_LIMIT
    assert django_settings.CELERY_TASK_TIME_LIMIT < django_settings.CELERY_VISIBILITY_TIMEOUT <= 600
    assert django_settings.OUTBOX_DELIVERY_SECONDS < django_settings.CELERY_TASK_SOFT_TIME_LIMIT


def test_a_missed_daily_run_is_caught_up_once_after_0530(application_type):
    day = datetime.date(2027, 3, 11)
    application(application_type)  # its upload window closed the day before

    before = catch_up_daily_jobs(now=new_york(day, 5, 29))
    caught_up = catch_up_daily_jobs(now=new_york(day, 9, 0))
    again = catch_up_daily_jobs(now=new_york(day, 9, 10))

    assert before == {}
    assert caught_up["upload_lapsed"] == 1
    assert again == {}
    assert DailyJobRun.objects.get(day=day).finished_at is not None


def test_a_run_that_died_is_run_again_by_the_catch_up(application_type):
    day = datetime.date(2027, 3, 11)
    DailyJobRun.objects.create(day=day, started_at=new_york(day, 5, 30))

    assert catch_up_daily_jobs(now=new_york(day, 6, 0)) == {}
    assert "upload_lapsed" in catch_up_daily_jobs(now=new_york(day, 6, 45))


def outbox_rows(count: int) -> None:
    person = UserFactory()
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            key=f"welcome:{n}",
            kind="welcome",
            recipient=person,
            to=person.email,
            subject="Welcome",
            rendered_at=timezone.now(),
            attempts=n % 3,
            last_error="Connection refused" if n % 2 else "",
        )
        for n in range(count)
    )


@pytest.mark.parametrize("rows", [3, 60])
def test_reviewers_read_the_outbox_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, rows
):
    outbox_rows(rows)
    client.force_login(reviewer())
    url = reverse("admin:notifications_outboxmessage_changelist")

    with django_assert_max_num_queries(12):
        response = client.get(url, {"delivery": "failed"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Connection refused" in page
    assert "Failed, will retry" in page
    assert "Add email outbox" not in page


def test_nobody_changes_or_deletes_outbox_rows(client):
    outbox_rows(1)
    row = OutboxMessage.objects.get()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    change = reverse("admin:notifications_outboxmessage_change", args=[row.pk])
    response = client.post(change, {"subject": "Changed", "attempts": 0})
    delete = reverse("admin:notifications_outboxmessage_delete", args=[row.pk])

    assert response.status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    row.refresh_from_db()
    assert row.subject == "Welcome"


def test_people_outside_the_review_site_cannot_see_the_outbox(client):
    outbox_rows(1)
    client.force_login(UserFactory())

    response = client.get(reverse("admin:notifications_outboxmessage_changelist"))

    assert response.status_code == 302
