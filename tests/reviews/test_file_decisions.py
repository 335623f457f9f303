import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from certifications.models import CredentialType, ExternalFile, Registration
from certifications.services.reviews import external_file_approve, external_file_reject
from tests.factories import DocumentTypeFactory
from tests.reviews.builders import (
    application,
    application_type,
    pending_file,
    renewal_credits_type,
    renewal_cycle,
    reviewer,
)

pytestmark = pytest.mark.django_db
EASTERN = datetime.timezone(datetime.timedelta(hours=-5))


def approve(external_file, by):
    return external_file_approve(external_file=external_file, reviewer=by)


def test_it_completes_the_application_and_enrolls_the_renewal_cycle(
    django_capture_on_commit_callbacks,
):
    robin = reviewer(first_name="Robin", last_name="Reviewer")
    registration = application()
    external_file = pending_file(registration)
    with (
        time_machine.travel(datetime.datetime(2026, 2, 6, 10, tzinfo=EASTERN), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        approve(external_file, robin)

    external_file.refresh_from_db()
    registration.refresh_from_db()
    assert (external_file.status, external_file.decided_by) == (ExternalFile.Status.APPROVED, robin)
    assert registration.status == Registration.Status.COMPLETED
    assert registration.compliance == Registration.Compliance.COMPLIANT
    assert registration.completed_at is not None
    renewal = Registration.objects.get(source_registration=registration)
    assert renewal.credential_type == registration.credential_type.leads_to
    assert renewal.credential_code == renewal.credential_type.code
    assert (renewal.cycle_start, renewal.cycle_end) == (
        datetime.date(2026, 2, 6),
        datetime.date(2031, 2, 6),
    )
    assert (renewal.status, renewal.user) == (Registration.Status.ACTIVE, registration.user)


def test_it_records_the_reviewer_in_the_history():
    robin = reviewer()
    registration = application()
    external_file = pending_file(registration)
    approve(external_file, robin)

    assert external_file.history.latest().history_user == robin
    assert registration.history.latest().history_user == robin
    renewal = Registration.objects.get(source_registration=registration)
    assert renewal.history.get().history_user == robin


def test_it_emails_the_approval_after_commit(django_capture_on_commit_callbacks):
    registration = application()
    external_file = pending_file(registration)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        approve(external_file, reviewer())
    assert mail.outbox == []
    for callback in callbacks:
        callback()

    # The approval and the certificate it grants (tests/certificates).
    [email] = [message for message in mail.outbox if "approved" in message.subject]
    [certificate_email] = [message for message in mail.outbox if "certificate" in message.subject]
    assert certificate_email.to == [registration.user.email]
    assert email.to == [registration.user.email]
    assert "approved" in email.subject
    assert "COMPLETED / COMPLIANT" in email.body
    assert "Part Time Certification- Renewal credits" in email.body
    assert "http://portal.test/dashboard/" in email.body
    html = email.alternatives[0][0]
    assert "http://portal.test/dashboard/" in html


def test_it_starts_the_cycle_under_the_current_version_of_the_renewal_rules():
    old_rules = renewal_credits_type(version=1, required_credits=15)
    new_rules = renewal_credits_type(
        version=2, required_credits=20, effective_on=datetime.date(2024, 1, 1)
    )
    registration = application(credential_type=application_type(leads_to=old_rules))
    approve(pending_file(registration), reviewer())

    renewal = Registration.objects.get(source_registration=registration)
    assert renewal.credential_type == new_rules


def test_it_ends_a_cycle_started_on_february_29_on_february_28():
    registration = application()
    external_file = pending_file(registration)
    with time_machine.travel(datetime.datetime(2028, 2, 29, 12, tzinfo=EASTERN), tick=False):
        approve(external_file, reviewer())

    renewal = Registration.objects.get(source_registration=registration)
    assert (renewal.cycle_start, renewal.cycle_end) == (
        datetime.date(2028, 2, 29),
        datetime.date(2033, 2, 28),
    )


def test_it_uses_the_local_date_late_in_the_evening():
    registration = application()
    external_file = pending_file(registration)
    # 11 PM in Kentucky's Eastern time is already the next day in UTC.
    with time_machine.travel(datetime.datetime(2026, 3, 2, 23, tzinfo=EASTERN), tick=False):
        approve(external_file, reviewer())

    assert Registration.objects.get(source_registration=registration).cycle_start == (
        datetime.date(2026, 3, 2)
    )


def test_it_waits_for_every_required_document_type():
    first, second = DocumentTypeFactory(name="Application"), DocumentTypeFactory(name="Transcript")
    registration = application(credential_type=application_type(document_types=[first, second]))
    application_file = pending_file(registration, document_type=first)
    transcript_file = pending_file(registration, document_type=second)

    approve(application_file, reviewer())
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING_REVIEW
    assert not Registration.objects.filter(source_registration=registration).exists()

    approve(transcript_file, reviewer())
    registration.refresh_from_db()
    assert registration.status == Registration.Status.COMPLETED
    assert Registration.objects.filter(source_registration=registration).count() == 1


def test_a_renewal_application_closes_the_open_renewal_cycle():
    renewal_rules = renewal_credits_type()
    previous = renewal_cycle(credential_type=renewal_rules, earned_credits=16)
    registration = application(
        user=previous.user,
        credential_type=application_type(
            kind=CredentialType.Kind.RENEWAL_APPLICATION, leads_to=renewal_rules
        ),
    )
    approve(pending_file(registration), reviewer())

    previous.refresh_from_db()
    assert previous.status == Registration.Status.COMPLETED
    new_cycle = Registration.objects.get(source_registration=registration)
    assert new_cycle.status == Registration.Status.ACTIVE
    assert (
        Registration.objects.filter(
            user=previous.user, credential_code=renewal_rules.code, status__in=["ACTIVE"]
        ).get()
        == new_cycle
    )


def test_a_renewal_application_lapses_an_open_cycle_short_of_its_hours():
    renewal_rules = renewal_credits_type()
    previous = renewal_cycle(credential_type=renewal_rules, earned_credits=3)
    registration = application(
        user=previous.user,
        credential_type=application_type(
            kind=CredentialType.Kind.RENEWAL_APPLICATION, leads_to=renewal_rules
        ),
    )
    approve(pending_file(registration), reviewer())

    previous.refresh_from_db()
    assert previous.status == Registration.Status.LAPSED
    assert Registration.objects.filter(source_registration=registration).exists()


def test_it_approves_a_file_of_a_renewal_credits_cycle_without_enrolling_anything():
    cycle = renewal_cycle()
    cycle.credential_type.required_document_types.add(DocumentTypeFactory())
    external_file = pending_file(cycle)
    approve(external_file, reviewer())

    cycle.refresh_from_db()
    assert cycle.status == Registration.Status.ACTIVE
    assert Registration.objects.count() == 1


@pytest.mark.parametrize("status", [ExternalFile.Status.APPROVED, ExternalFile.Status.REJECTED])
def test_it_refuses_a_file_another_reviewer_already_decided(
    status, django_capture_on_commit_callbacks
):
    first = reviewer(first_name="Robin", last_name="Reviewer")
    registration = application()
    external_file = pending_file(registration)
    stale_copy = ExternalFile.objects.get(pk=external_file.pk)
    with time_machine.travel(datetime.datetime(2026, 4, 1, 9, tzinfo=EASTERN), tick=False):
        if status == ExternalFile.Status.APPROVED:
            approve(external_file, first)
        else:
            external_file_reject(external_file=external_file, reviewer=first, note="Sign it.")
    registrations_before = list(Registration.objects.values_list("pk", "status", "completed_at"))
    history_before = ExternalFile.history.count()

    verb = "approved" if status == ExternalFile.Status.APPROVED else "rejected"
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError) as refusal:
            approve(stale_copy, reviewer())
        with pytest.raises(ValidationError):
            external_file_reject(external_file=stale_copy, reviewer=reviewer(), note="Again")

    assert refusal.value.messages == [
        f"This file was already {verb} by Robin Reviewer on 04/01/2026."
    ]
    assert list(Registration.objects.values_list("pk", "status", "completed_at")) == (
        registrations_before
    )
    assert ExternalFile.history.count() == history_before
    assert mail.outbox == []


def test_it_rejects_with_a_note_and_opens_the_registration_again(
    django_capture_on_commit_callbacks,
):
    robin = reviewer()
    registration = application()
    external_file = pending_file(registration)
    with django_capture_on_commit_callbacks(execute=True):
        external_file_reject(
            external_file=external_file, reviewer=robin, note="  Please sign page 2.  "
        )

    external_file.refresh_from_db()
    registration.refresh_from_db()
    assert external_file.status == ExternalFile.Status.REJECTED
    assert external_file.reviewer_note == "Please sign page 2."
    assert external_file.history.latest().history_user == robin
    assert registration.status == Registration.Status.ACTIVE
    assert registration.history.latest().history_user == robin
    assert not Registration.objects.filter(source_registration=registration).exists()
    [email] = mail.outbox
    assert email.to == [registration.user.email]
    assert "additional information" in email.subject
    link = f"http://portal.test/registrations/{registration.pk}/files/"
    assert "Please sign page 2." in email.body
    assert link in email.body
    html = email.alternatives[0][0]
    assert "Please sign page 2." in html
    assert f'href="{link}"' in html


def test_a_rejection_after_the_window_closed_says_to_register_again(
    django_capture_on_commit_callbacks,
):
    registration = application(registered_on=timezone.localdate() - datetime.timedelta(days=40))
    external_file = pending_file(registration)
    with django_capture_on_commit_callbacks(execute=True):
        external_file_reject(external_file=external_file, reviewer=reviewer(), note="Unsigned.")

    [email] = mail.outbox
    closed_on = registration.upload_due_on.strftime("%m/%d/%Y")
    assert f"The 30-day upload window closed on {closed_on}" in email.body
    assert "Register again from Register for Course" in email.body
    assert "http://portal.test/courses/" in email.body
    assert f"/registrations/{registration.pk}/files/" not in email.body


@pytest.mark.parametrize("note", ["", "   "])
def test_it_refuses_a_rejection_without_a_note(note, django_capture_on_commit_callbacks):
    registration = application()
    external_file = pending_file(registration)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refusal,
    ):
        external_file_reject(external_file=external_file, reviewer=reviewer(), note=note)

    assert refusal.value.messages == ["Write a note telling the person what is needed."]
    external_file.refresh_from_db()
    registration.refresh_from_db()
    assert external_file.status == ExternalFile.Status.PENDING
    assert registration.status == Registration.Status.PENDING_REVIEW
    assert mail.outbox == []


def test_a_renewal_completes_an_open_cycle_with_its_hours_whose_file_awaits_review():
    renewal_rules = renewal_credits_type()
    previous = renewal_cycle(
        credential_type=renewal_rules,
        earned_credits=16,
        status=Registration.Status.PENDING_REVIEW,
    )
    registration = application(
        user=previous.user,
        credential_type=application_type(
            kind=CredentialType.Kind.RENEWAL_APPLICATION, leads_to=renewal_rules
        ),
    )
    approve(pending_file(registration), reviewer())

    previous.refresh_from_db()
    assert previous.status == Registration.Status.COMPLETED
    new_cycle = Registration.objects.get(source_registration=registration)
    assert new_cycle.cycle_start == previous.cycle_end + datetime.timedelta(days=1)
