"""Upload reminders 21, 7 and 1 days before the deadline, while the required file is missing."""

from __future__ import annotations

import pytest
from django.core import mail

from certifications.models import ExternalFile
from certifications.tasks import run_daily_deadlines, send_upload_reminders
from notifications.models import OutboxMessage
from tests.jobs.conftest import (
    REGISTERED_ON,
    after,
    application,
    clock_at,
    emails_to,
    external_file,
    html_of,
)

pytestmark = pytest.mark.django_db
DUE_ON = after(REGISTERED_ON, 30)  # 03/10/2027


def run_on(day) -> dict[str, int]:
    with clock_at(day):
        return run_daily_deadlines()


@pytest.mark.parametrize(
    ("days_left", "subject"),
    [
        (21, "Upload your application by 03/10/2027 — 21 days left"),
        (7, "Upload your application by 03/10/2027 — 7 days left"),
        (1, "Upload your application by 03/10/2027 — 1 day left"),
    ],
)
def test_it_reminds_on_each_reminder_day(application_type, days_left, subject):
    registration = application(application_type)

    counts = run_on(after(DUE_ON, -days_left))

    assert counts["upload_reminders"] == 1
    (message,) = emails_to(registration.user.email)
    assert message.subject == subject
    files_url = f"http://portal.test/registrations/{registration.pk}/files/"
    assert files_url in message.body
    assert f'href="{files_url}"' in html_of(message)
    assert "Application for Certification of Part-Time Library Staff" in message.body
    assert "Upload Missing Files" in message.body


def test_it_sends_nothing_before_the_first_reminder_day(application_type):
    application(application_type)

    counts = run_on(after(DUE_ON, -22))

    assert counts["upload_reminders"] == 0
    assert mail.outbox == []


@pytest.mark.parametrize("days_left", [21, 7, 1])
def test_it_sends_nothing_more_on_the_days_after_a_reminder_day(application_type, days_left):
    application(application_type)
    run_on(after(DUE_ON, -days_left))

    counts = run_on(after(DUE_ON, -days_left + 1))

    assert counts["upload_reminders"] == 0
    assert len(mail.outbox) == 1


def test_a_reminder_whose_day_had_no_run_goes_out_on_the_next_run_once(application_type):
    registration = application(application_type)
    run_on(after(DUE_ON, -21))
    # No run on the 7-days-left day (beat missed its tick).

    late = run_on(after(DUE_ON, -5))
    again = run_on(after(DUE_ON, -4))

    assert late["upload_reminders"] == 1
    assert again["upload_reminders"] == 0
    subjects = [message.subject for message in emails_to(registration.user.email)]
    assert subjects == [
        "Upload your application by 03/10/2027 — 21 days left",
        "Upload your application by 03/10/2027 — 5 days left",
    ]


def test_a_later_reminder_replaces_one_whose_day_passed(application_type):
    registration = application(application_type)
    run_on(after(DUE_ON, -21))
    # No run for the 7-days-left nor the 1-day-left reminder: the last day sends one, not two.

    counts = run_on(DUE_ON)

    assert counts["upload_reminders"] == 1
    assert [message.subject for message in emails_to(registration.user.email)][1:] == [
        "Upload your application by 03/10/2027 — 0 days left"
    ]
    assert OutboxMessage.objects.filter(key=f"UPLOAD_REMINDER:{registration.pk}:1").exists()
    assert not OutboxMessage.objects.filter(key=f"UPLOAD_REMINDER:{registration.pk}:7").exists()


def test_a_missed_reminder_is_not_sent_once_the_file_is_in(application_type):
    registration = application(application_type)
    # No run on the 7-days-left day; the person uploaded in the meantime.
    external_file(registration, status=ExternalFile.Status.PENDING)

    counts = run_on(after(DUE_ON, -6))

    assert counts["upload_reminders"] == 0
    assert mail.outbox == []


@pytest.mark.parametrize("file_status", [ExternalFile.Status.PENDING, ExternalFile.Status.APPROVED])
def test_it_does_not_remind_once_the_file_is_in(application_type, file_status):
    registration = application(application_type)
    external_file(registration, status=file_status)

    counts = run_on(after(DUE_ON, -7))

    assert counts["upload_reminders"] == 0
    assert mail.outbox == []


def test_it_still_reminds_when_the_only_file_was_rejected(application_type):
    registration = application(application_type)
    external_file(registration, status=ExternalFile.Status.REJECTED)

    run_on(after(DUE_ON, -7))

    assert len(emails_to(registration.user.email)) == 1


def test_it_sends_each_reminder_once_over_the_whole_window(application_type):
    registration = application(application_type)

    for day in range(0, 31):
        run_on(after(REGISTERED_ON, day))
        run_on(after(REGISTERED_ON, day))

    subjects = [message.subject for message in emails_to(registration.user.email)]
    assert subjects == [
        "Upload your application by 03/10/2027 — 21 days left",
        "Upload your application by 03/10/2027 — 7 days left",
        "Upload your application by 03/10/2027 — 1 day left",
    ]
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0


def test_the_reminder_days_are_configurable(application_type, settings):
    settings.UPLOAD_REMINDER_DAYS = [10]
    registration = application(application_type)

    run_on(after(DUE_ON, -11))
    assert mail.outbox == []
    run_on(after(DUE_ON, -10))

    (message,) = emails_to(registration.user.email)
    assert message.subject == "Upload your application by 03/10/2027 — 10 days left"


def test_the_reminder_task_alone_sends_the_reminder(application_type):
    registration = application(application_type)

    with clock_at(after(DUE_ON, -21)):
        counts = send_upload_reminders()

    assert counts == {"upload_reminders": 1, "emails_sent": 1}
    assert len(emails_to(registration.user.email)) == 1
