"""The 30-day upload window: day 30 is still open, day 31 is not (New York dates)."""

from __future__ import annotations

import pytest
from django.core import mail

from certifications.models import ExternalFile, NoticeKind, Registration
from certifications.services.deadlines import lapse_missed_upload_deadlines
from certifications.services.reviews import external_file_approve, external_file_reject
from certifications.services.uploads import registration_submit_file
from certifications.tasks import run_daily_deadlines
from notifications.models import OutboxMessage
from tests.fixtures.documents import pdf_upload
from tests.jobs.conftest import (
    REGISTERED_ON,
    after,
    application,
    clock_at,
    emails_to,
    external_file,
    html_of,
    reviewer,
)

pytestmark = pytest.mark.django_db


def run_on(day, hour=5, minute=30) -> dict[str, int]:
    with clock_at(day, hour, minute):
        return run_daily_deadlines()


@pytest.mark.parametrize("day", [29, 30])
def test_it_keeps_the_window_open_through_day_30(application_type, day):
    registration = application(application_type)

    counts = run_on(after(REGISTERED_ON, day))

    registration.refresh_from_db()
    assert registration.status == Registration.Status.ACTIVE
    assert registration.lapsed_on is None
    assert counts["upload_lapsed"] == 0
    assert all("has lapsed" not in message.subject for message in mail.outbox)


def test_it_lapses_on_day_31_and_tells_the_person_how_to_register_again(application_type):
    registration = application(application_type)
    day_31 = after(REGISTERED_ON, 31)

    counts = run_on(day_31)

    registration.refresh_from_db()
    assert counts["upload_lapsed"] == 1
    assert registration.status == Registration.Status.LAPSED
    assert registration.compliance == Registration.Compliance.NOT_COMPLIANT
    assert registration.lapsed_on == day_31
    (message,) = emails_to(registration.user.email)
    assert message.subject == (
        "Part-time Certification- Initial Application has lapsed: "
        "no application was uploaded by 03/10/2027"
    )
    assert "Register for Course" in message.body
    assert "http://portal.test/dashboard/" in message.body
    assert 'href="http://portal.test/dashboard/"' in html_of(message)
    assert "LAPSED / NOT COMPLIANT" in message.body


def test_it_counts_days_in_new_york_not_utc(application_type):
    registration = application(application_type)

    # 11:30 PM on day 30 in New York is already day 31 in UTC.
    run_on(after(REGISTERED_ON, 30), hour=23, minute=30)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ACTIVE

    run_on(after(REGISTERED_ON, 31), hour=0, minute=5)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.LAPSED


def test_it_keeps_the_files_and_records_the_lapse_in_the_history(application_type):
    registration = application(application_type)
    rejected = external_file(registration, status=ExternalFile.Status.REJECTED)

    run_on(after(REGISTERED_ON, 31))

    assert ExternalFile.objects.filter(pk=rejected.pk).exists()
    latest = registration.history.first()
    assert latest.status == Registration.Status.LAPSED
    assert latest.history_type == "~"
    assert latest.history_change_reason == "Upload window closed without the required file"
    assert registration.history.count() == 2


def test_it_never_lapses_an_application_approved_the_day_before_its_deadline(application_type):
    person_registration = application(application_type)
    person = person_registration.user
    kdla = reviewer()
    with clock_at(after(REGISTERED_ON, 29), hour=9):
        submitted = registration_submit_file(
            registration=person_registration,
            document_type=application_type.required_document_types.get(),
            description="Signed application",
            upload=pdf_upload(),
            actor=person,
        )
        external_file_approve(external_file=submitted, reviewer=kdla)

    for day in (30, 31, 32, 60):
        run_on(after(REGISTERED_ON, day))

    person_registration.refresh_from_db()
    assert person_registration.status == Registration.Status.COMPLETED
    assert person_registration.compliance == Registration.Compliance.COMPLIANT
    assert not OutboxMessage.objects.filter(
        about_id=person_registration.pk, kind=NoticeKind.UPLOAD_LAPSED
    ).exists()


def test_it_never_lapses_an_application_awaiting_review(application_type):
    registration = application(application_type)
    with clock_at(after(REGISTERED_ON, 30), hour=22):
        registration_submit_file(
            registration=registration,
            document_type=application_type.required_document_types.get(),
            description="Signed application",
            upload=pdf_upload(),
            actor=registration.user,
        )

    run_on(after(REGISTERED_ON, 31))

    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING_REVIEW
    assert not emails_to(registration.user.email)


def test_it_lapses_when_the_only_file_was_rejected(application_type):
    registration = application(application_type)
    with clock_at(after(REGISTERED_ON, 3), hour=9):
        submitted = registration_submit_file(
            registration=registration,
            document_type=application_type.required_document_types.get(),
            description="Unsigned application",
            upload=pdf_upload(),
            actor=registration.user,
        )
        external_file_reject(external_file=submitted, reviewer=reviewer(), note="Sign page 2.")

    run_on(after(REGISTERED_ON, 31))

    registration.refresh_from_db()
    assert registration.status == Registration.Status.LAPSED
    assert registration.external_files.count() == 1


def test_it_leaves_completed_and_already_lapsed_registrations_alone(application_type):
    completed = application(application_type, status=Registration.Status.COMPLETED)
    lapsed_before = application(
        application_type, status=Registration.Status.LAPSED, lapsed_on=after(REGISTERED_ON, 31)
    )

    counts = run_on(after(REGISTERED_ON, 45))

    assert counts["upload_lapsed"] == 0
    completed.refresh_from_db()
    lapsed_before.refresh_from_db()
    assert completed.status == Registration.Status.COMPLETED
    assert lapsed_before.lapsed_on == after(REGISTERED_ON, 31)
    assert mail.outbox == []


def test_it_sends_no_second_email_when_the_sweep_runs_again(application_type):
    registration = application(application_type)

    first = run_on(after(REGISTERED_ON, 31))
    second = run_on(after(REGISTERED_ON, 31))
    third = run_on(after(REGISTERED_ON, 32))

    assert first["upload_lapsed"] == 1
    assert second == third == {key: 0 for key in first}
    assert len(emails_to(registration.user.email)) == 1
    assert registration.history.count() == 2


def test_it_works_through_a_backlog_in_batches(application_type):
    registrations = [application(application_type) for _ in range(5)]

    lapsed = lapse_missed_upload_deadlines(today=after(REGISTERED_ON, 31), batch_size=2)

    assert lapsed == 5
    ids = [registration.pk for registration in registrations]
    assert Registration.objects.filter(pk__in=ids, status=Registration.Status.LAPSED).count() == 5
    assert Registration.history.filter(status=Registration.Status.LAPSED).count() == 5
    assert OutboxMessage.objects.filter(kind=NoticeKind.UPLOAD_LAPSED).count() == 5
