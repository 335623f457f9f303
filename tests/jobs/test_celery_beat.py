"""The jobs on the real parts: a Celery worker through Redis, beat's database scheduler, and a
real SMTP server that receives the email."""

from __future__ import annotations

import datetime
import importlib
import time

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from certifications.tasks import run_daily_deadlines
from notifications.models import OutboxMessage
from tests.jobs.conftest import application, new_york
from tests.jobs.smtp_sink import smtp_sink, subject_of, text_body

pytestmark = pytest.mark.celery_worker
TASK_NAME = "KDLA daily deadlines and reminders"
MORNING = datetime.date(2027, 3, 3)  # 7 days before an upload deadline of 03/10/2027


def seven_days_left(application_type):
    """An application registered 23 days ago (by New York's calendar), file still missing."""
    return application(
        application_type, registered_on=timezone.localdate() - datetime.timedelta(days=23)
    )


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_daily_task_and_sends_the_reminder(
    celery_worker_app, application_type
):
    registration = seven_days_left(application_type)

    result = run_daily_deadlines.delay(timezone.localdate().isoformat())

    counts = result.get(timeout=30)
    assert counts["upload_reminders"] == 1
    assert counts["emails_sent"] == 1
    (message,) = mail.outbox
    assert message.to == [registration.user.email]
    assert message.subject.endswith("— 7 days left")


@pytest.mark.django_db(transaction=True)
def test_beat_schedules_the_task_a_worker_runs_it_and_the_email_arrives_by_smtp(
    celery_worker_app, application_type, settings
):
    install_default_schedule()
    morning = new_york(MORNING, 5, 30)
    registration = application(
        application_type, registered_on=MORNING - datetime.timedelta(days=23)
    )
    # The 05:30 run last happened yesterday morning; today's is due.
    PeriodicTask.objects.filter(name=TASK_NAME).update(
        last_run_at=morning - datetime.timedelta(days=1)
    )

    with smtp_sink(settings) as sink, time_machine.travel(morning, tick=True):
        beat = DatabaseScheduler(app=celery_worker_app)
        beat.tick()
        received = wait_for(lambda: sink.to(registration.user.email))

    (message,) = received
    assert subject_of(message) == "Upload your application by 03/10/2027 — 7 days left"
    assert message["To"] == registration.user.email
    assert f"http://portal.test/registrations/{registration.pk}/files/" in text_body(message)
    assert OutboxMessage.objects.get(about_id=registration.pk).sent_at is not None
    assert PeriodicTask.objects.get(name=TASK_NAME).total_run_count == 1


def install_default_schedule() -> None:
    """What the data migration installs (tests before this one may have emptied the tables)."""
    migration = importlib.import_module("certifications.migrations.0002_daily_deadlines_schedule")
    migration.install_schedule(django_apps, None)


def wait_for(condition, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    pytest.fail(f"Nothing arrived within {timeout} seconds")
