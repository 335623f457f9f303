import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from certificates.models import Certificate
from certificates.services import certificate_issue_for_grant, certificate_revoke
from certifications.models import CredentialType, Registration
from certifications.services.reviews import external_file_approve
from notifications.models import OutboxMessage
from tests.certificates.builders import approved_certificate, pdf_text
from tests.factories import DocumentTypeFactory, UserFactory
from tests.reviews.builders import (
    application,
    application_type,
    pending_file,
    renewal_credits_type,
    reviewer,
)

pytestmark = pytest.mark.django_db
EASTERN = datetime.timezone(datetime.timedelta(hours=-5))


def test_it_issues_a_certificate_when_the_application_is_approved():
    person = UserFactory(first_name="Ada", last_name="Lovelace")
    with time_machine.travel(datetime.datetime(2026, 2, 6, 10, tzinfo=EASTERN), tick=False):
        certificate = approved_certificate(user=person)

    cycle = Registration.objects.get(source_registration=certificate.grant)
    assert certificate.user == person
    assert certificate.holder_name == "Ada Lovelace"
    assert certificate.get_level_display() == "Part-time"
    assert certificate.issued_on == datetime.date(2026, 2, 6)
    assert certificate.valid_until == cycle.cycle_end == datetime.date(2031, 2, 6)
    assert certificate.cycle == cycle
    assert certificate.status == Certificate.Status.VALID
    assert len(certificate.code) == 16
    assert set(certificate.code) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def test_it_gives_every_certificate_its_own_code():
    codes = {approved_certificate().code for _ in range(3)}
    assert len(codes) == 3


def test_it_emails_the_certificate_as_a_pdf_through_the_outbox():
    certificate = approved_certificate()

    message = OutboxMessage.objects.get(key=f"certificate_issued:{certificate.pk}")
    assert message.to == certificate.user.email
    assert certificate.code in message.text_body
    [attachment] = message.attachments.all()
    assert attachment.mimetype == "application/pdf"
    assert attachment.filename.endswith(f"{certificate.code}.pdf")
    assert certificate.holder_name in pdf_text(bytes(attachment.content))


def test_it_issues_once_whatever_the_retries():
    certificate = approved_certificate()

    again = certificate_issue_for_grant(application=certificate.grant, reviewer=reviewer())

    assert again == certificate
    assert Certificate.objects.count() == 1
    assert OutboxMessage.objects.filter(kind="certificate_issued").count() == 1


def test_the_database_refuses_a_second_certificate_for_one_grant():
    certificate = approved_certificate()
    duplicate = Certificate(
        **{
            field.attname: getattr(certificate, field.attname)
            for field in Certificate._meta.concrete_fields
            if field.name not in ("id", "code", "cycle")
        },
        code="ABCDEFGHIJKLMNOP",
        cycle=application(credential_type=certificate.grant.credential_type),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_it_issues_nothing_for_an_application_that_opens_no_cycle():
    registration = application()
    assert certificate_issue_for_grant(application=registration, reviewer=reviewer()) is None
    assert Certificate.objects.count() == 0


def test_it_issues_nothing_while_a_required_file_is_still_missing():
    credential_type = application_type()
    credential_type.required_document_types.add(
        DocumentTypeFactory(name="Letter from the director")
    )
    registration = application(credential_type=credential_type)
    external_file_approve(
        external_file=pending_file(
            registration, document_type=credential_type.required_document_types.first()
        ),
        reviewer=reviewer(),
    )
    assert Certificate.objects.count() == 0


def test_a_renewal_supersedes_the_earlier_certificate():
    person = UserFactory()
    with time_machine.travel(datetime.datetime(2026, 2, 6, 10, tzinfo=EASTERN), tick=False):
        first = approved_certificate(user=person)
    renewal_credits_type()
    with time_machine.travel(datetime.datetime(2030, 12, 1, 10, tzinfo=EASTERN), tick=False):
        renewed = approved_certificate(user=person, kind=CredentialType.Kind.RENEWAL_APPLICATION)

    first.refresh_from_db()
    assert first.status == Certificate.Status.SUPERSEDED
    assert first.superseded_by == renewed
    assert renewed.status == Certificate.Status.VALID
    # The renewed cycle starts the day after the first one ends (02/06/2031) and runs 5 years.
    assert renewed.cycle.cycle_start == datetime.date(2031, 2, 7)
    assert renewed.valid_until == datetime.date(2036, 2, 7)
    assert renewed.issued_on == datetime.date(2030, 12, 1)
    assert first.history.latest().history_user is not None


def test_a_reviewer_revokes_a_certificate_with_a_reason_kept_in_history():
    certificate = approved_certificate()
    robin = reviewer()

    certificate_revoke(certificate=certificate, reviewer=robin, reason="Issued in error.")

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert (certificate.revoked_by, certificate.revocation_reason) == (robin, "Issued in error.")
    assert certificate.revoked_at is not None
    latest = certificate.history.latest()
    assert (latest.history_user, latest.status) == (robin, "REVOKED")


@pytest.mark.parametrize("reason", ["", "   "])
def test_it_refuses_a_revocation_without_a_reason(reason):
    certificate = approved_certificate()

    with pytest.raises(ValidationError, match="Write the reason"):
        certificate_revoke(certificate=certificate, reviewer=reviewer(), reason=reason)

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    assert certificate.history.count() == 1


def test_it_refuses_to_revoke_twice():
    certificate = approved_certificate()
    certificate_revoke(certificate=certificate, reviewer=reviewer(), reason="Issued in error.")

    with pytest.raises(ValidationError, match="already revoked"):
        certificate_revoke(certificate=certificate, reviewer=reviewer(), reason="Again.")

    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Issued in error."
