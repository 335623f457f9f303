"""Which registrations accept hours: credit requests and asynchronous completions accept the
same renewal-credits cycles; asynchronous courses also count toward an open initial application
that accepts them (KDLA's guidelines ask for their proof with the initial application), and
there they count toward the application, never toward renewal."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from certifications.models import CredentialType, Registration
from certifications.services.earned import ACCEPTING_REGISTRATIONS
from courses.models import AsyncCompletion
from credits.services.requests import open_renewal_registrations
from portal.transcript import build_transcript, transcript_csv_rows
from tests.asynchronous.factories import (
    make_reviewer,
    pdf_upload,
    renewal_credits_type,
    renewal_registration,
)
from tests.factories import CredentialTypeFactory, RegistrationFactory, UserFactory
from training.selectors import registrations_accepting_async
from training.services import async_completion_decide, async_completion_submit

pytestmark = pytest.mark.django_db
Status = Registration.Status


def initial_application(user, *, accepts_async: bool = True, **fields) -> Registration:
    credential_type = CredentialTypeFactory(
        name="Paraprofessional I- Initial Application",
        cycle_label="Initial Paraprofessional I Certification",
        kind=CredentialType.Kind.INITIAL_APPLICATION,
        accepts_async_courses=accepts_async,
    )
    defaults = {"cycle_start": datetime.date(2025, 6, 1), "cycle_end": datetime.date(2025, 7, 31)}
    return RegistrationFactory(user=user, credential_type=credential_type, **{**defaults, **fields})


def report(registration: Registration, *, completed_on=datetime.date(2025, 6, 10)):
    return async_completion_submit(
        user=registration.user,
        registration=registration,
        completed_on=completed_on,
        hours=Decimal("12"),
        proof=pdf_upload(),
        provider_name="Coursera",
        course_title="Data Literacy for Librarians",
    )


def test_credit_requests_and_asynchronous_courses_accept_the_same_renewal_cycles():
    person = UserFactory()
    cycles = {
        # One credential each: a person holds one open cycle per credential.
        status: renewal_registration(
            person,
            credential_type=renewal_credits_type(),
            status=status,
            cycle_start=datetime.date(2004 + 5 * number, 1, 1),
            cycle_end=datetime.date(2008 + 5 * number, 12, 31),
        )
        for number, status in enumerate(Status)
    }
    for_credits = set(open_renewal_registrations(user=person))
    for_async = {
        registration
        for registration in registrations_accepting_async(user=person)
        if registration.credential_type.kind == CredentialType.Kind.RENEWAL_CREDITS
    }
    assert for_credits == for_async == {cycles[Status.ACTIVE], cycles[Status.COMPLETED]}


@pytest.mark.parametrize("status", [Status.LAPSED, Status.PENDING_REVIEW])
def test_a_renewal_cycle_that_takes_no_credits_refuses_asynchronous_courses_naming_which_do(
    status, stored_files
):
    cycle = renewal_registration(UserFactory(), status=status)
    with pytest.raises(ValidationError) as refusal:
        report(cycle)
    assert refusal.value.message_dict["registration"] == [
        f"Part Time Certification- Renewal credits is {cycle.get_status_display()}. "
        f"{ACCEPTING_REGISTRATIONS}"
    ]
    assert AsyncCompletion.objects.count() == 0
    assert stored_files() == []


def test_an_approved_initial_application_refuses_asynchronous_courses_naming_which_do(
    stored_files,
):
    application = initial_application(UserFactory(), status=Status.COMPLETED)
    with pytest.raises(ValidationError) as refusal:
        report(application)
    assert refusal.value.message_dict["registration"] == [
        f"Initial Paraprofessional I Certification is COMPLETED. {ACCEPTING_REGISTRATIONS}"
    ]
    assert "toward an initial application that accepts them while it is ACTIVE" in (
        ACCEPTING_REGISTRATIONS
    )
    assert AsyncCompletion.objects.count() == 0
    assert stored_files() == []


def test_an_initial_application_without_asynchronous_courses_refuses_them(stored_files):
    application = initial_application(UserFactory(), accepts_async=False)
    with pytest.raises(ValidationError) as refusal:
        report(application)
    assert refusal.value.message_dict["registration"] == [
        "Asynchronous courses do not count toward Initial Paraprofessional I Certification. "
        f"{ACCEPTING_REGISTRATIONS}"
    ]
    assert AsyncCompletion.objects.count() == 0
    assert stored_files() == []


def test_hours_reported_toward_an_initial_application_count_toward_it_and_not_renewal():
    person = UserFactory()
    application = initial_application(person)
    renewal = renewal_registration(
        person, cycle_start=datetime.date(2025, 1, 1), cycle_end=datetime.date(2029, 12, 31)
    )
    # Completed before applying, as the part-time courses are: proof for the application.
    completion = report(application, completed_on=datetime.date(2025, 5, 20))
    async_completion_decide(completion=completion, approve=True, note="", reviewer=make_reviewer())

    transcript = build_transcript(user=person)
    [counted] = transcript.applications
    assert counted.registration == application
    assert counted.async_completions == [completion]
    assert counted.async_hours == Decimal("12")
    [cycle] = transcript.cycles
    assert cycle.async_completions == [] and cycle.total == 0
    renewal.refresh_from_db()
    assert renewal.earned_credits == 0
    assert [
        "Initial Paraprofessional I Certification",
        "06/01/2025",
        "07/31/2025",
        "Asynchronous course",
        "05/20/2025",
        "Data Literacy for Librarians",
        "12",
        "",
    ] in transcript_csv_rows(transcript)


def test_the_transcript_page_shows_the_hours_toward_the_application(client):
    person = UserFactory()
    application = initial_application(person)
    completion = report(application)
    async_completion_decide(completion=completion, approve=True, note="", reviewer=make_reviewer())
    client.force_login(person)
    page = client.get("/transcript/").content.decode()
    assert "Asynchronous course hours" in page
    assert '<td class="text-end application-async-hours">12</td>' in page
