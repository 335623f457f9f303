"""Request new Credit: the form, and the rules of credit_request_submit."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import DataError
from django.urls import reverse
from django.utils import timezone

from certifications.models import Registration
from credits.models import CreditRequest
from credits.services.requests import ACTIVITY_DATE_OUTSIDE_CYCLE, credit_request_submit
from tests.factories import UserFactory
from tests.fixtures.documents import (
    ELF_PROGRAM_BYTES,
    PDF,
    PDF_BYTES,
    PNG_BYTES,
    pdf_upload,
    upload,
)
from tests.fixtures.registrations import part_time_application, renewal_credits, stored_files

NEW_CREDIT_URL = reverse("credit_request_new")


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def credit_form(registration: Registration, **overrides) -> dict:
    form = {
        "activity_date": days_ago(10).strftime("%m/%d/%Y"),
        "course": "Annual Summation",
        "description": "CE Activities",
        "registration": registration.pk,
        "requested_credits": "15",
        "documentation": pdf_upload("annual-summation.pdf"),
    }
    form.update(overrides)
    return form


def assert_nothing_stored() -> None:
    assert CreditRequest.objects.count() == 0
    assert stored_files() == []


@pytest.mark.django_db
def test_it_records_the_annual_summation_example_for_review(client):
    registration = renewal_credits()
    client.force_login(registration.user)
    response = client.post(NEW_CREDIT_URL, credit_form(registration))
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your request for 15 credits for “Annual Summation” was sent to KDLA for review."
    ]
    credit_request = CreditRequest.objects.get()
    assert credit_request.user == registration.user
    assert credit_request.registration == registration
    assert credit_request.activity_date == days_ago(10)
    assert credit_request.course == "Annual Summation"
    assert credit_request.description == "CE Activities"
    assert credit_request.requested_credits == Decimal("15")
    assert credit_request.status == CreditRequest.Status.PENDING
    assert credit_request.approved_credits is None
    assert credit_request.documentation_name == "annual-summation.pdf"
    assert credit_request.documentation_content_type == PDF
    assert credit_request.documentation.name.startswith("credit-documentation/")
    [stored] = stored_files()
    assert stored.read_bytes() == PDF_BYTES


@pytest.mark.django_db
def test_it_accepts_half_hours_and_the_cycle_boundaries(client):
    registration = renewal_credits(cycle_start=days_ago(30))
    client.force_login(registration.user)
    for activity_date, credits in [(days_ago(30), "0.5"), (timezone.localdate(), "100")]:
        form = credit_form(
            registration,
            activity_date=activity_date.strftime("%m/%d/%Y"),
            requested_credits=credits,
        )
        assert client.post(NEW_CREDIT_URL, form).status_code == 302
    assert sorted(CreditRequest.objects.values_list("requested_credits", flat=True)) == [
        Decimal("0.5"),
        Decimal("100"),
    ]


@pytest.mark.django_db
def test_it_counts_credits_toward_a_completed_cycle_too(client):
    registration = renewal_credits(status=Registration.Status.COMPLETED)
    client.force_login(registration.user)
    assert client.post(NEW_CREDIT_URL, credit_form(registration)).status_code == 302
    assert CreditRequest.objects.count() == 1


@pytest.mark.django_db
def test_it_refuses_an_activity_date_outside_the_cycle_with_the_agencys_message(client):
    registration = renewal_credits(cycle_start=days_ago(30))
    # Registered long before, so the date is only outside this cycle.
    part_time_application(user=registration.user, registered_on=days_ago(400))
    client.force_login(registration.user)
    form = credit_form(registration, activity_date=days_ago(31).strftime("%m/%d/%Y"))
    response = client.post(NEW_CREDIT_URL, form)
    assert response.status_code == 200
    # The refusal names the chosen credential's cycle instead of repeating the help text.
    assert response.context["form"].errors["activity_date"] == [
        f"Enter an Activity Date from {registration.cycle_start:%m/%d/%Y} to "
        f"{registration.cycle_end:%m/%d/%Y}, the Start and End Date of "
        f"{registration.credential_type.display_label}."
    ]
    page = response.content.decode()
    assert page.count(ACTIVITY_DATE_OUTSIDE_CYCLE) == 1  # the help text, once
    assert ACTIVITY_DATE_OUTSIDE_CYCLE == (
        "The Activity Date must be within the Start and End Date of the selected Credential in "
        "order to count towards its completion."
    )
    # Browsers never keep a chosen file after a refusal: the form says so.
    choose_again = "Choose the file again: “annual-summation.pdf” was not kept"
    assert choose_again in response.context["form"].errors["documentation"][0]
    assert f"Documentation: {choose_again}" in page  # in the error summary
    assert_nothing_stored()


@pytest.mark.django_db
def test_it_refuses_an_activity_date_after_a_past_cycle_ended():
    registration = renewal_credits(cycle_start=days_ago(6 * 365))
    with pytest.raises(ValidationError) as refusal:
        credit_request_submit(
            user=registration.user,
            registration=registration,
            activity_date=registration.cycle_end + datetime.timedelta(days=1),
            course="Annual Summation",
            description="CE Activities",
            requested_credits=Decimal("15"),
            documentation=pdf_upload(),
        )
    assert refusal.value.message_dict == {
        "activity_date": [
            f"Enter an Activity Date from {registration.cycle_start:%m/%d/%Y} to "
            f"{registration.cycle_end:%m/%d/%Y}, the Start and End Date of "
            f"{registration.credential_type.display_label}."
        ]
    }
    assert_nothing_stored()


@pytest.mark.django_db
def test_it_refuses_an_activity_date_in_the_future(client):
    registration = renewal_credits()
    client.force_login(registration.user)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%m/%d/%Y")
    response = client.post(NEW_CREDIT_URL, credit_form(registration, activity_date=tomorrow))
    assert "The Activity Date cannot be in the future." in response.content.decode()
    assert_nothing_stored()


@pytest.mark.django_db
@pytest.mark.parametrize("activity_date", ["2027-01-06", "13/45/2027", "yesterday", ""])
def test_it_refuses_an_activity_date_not_written_as_mm_dd_yyyy(client, activity_date):
    registration = renewal_credits()
    client.force_login(registration.user)
    response = client.post(NEW_CREDIT_URL, credit_form(registration, activity_date=activity_date))
    assert response.context["form"].errors["activity_date"] in (
        ["Enter the Activity Date as MM/DD/YYYY, e.g. 01/06/2027."],
        ["This field is required."],
    )
    assert_nothing_stored()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("credits", "message"),
    [
        ("0", "Requested Credits must be more than 0."),
        ("-5", "Requested Credits must be more than 0."),
        ("0.25", "Requested Credits must be in whole or half hours, e.g. 1, 1.5 or 2."),
        ("250", "Requested Credits cannot be more than 100 in one request."),
        ("abc", "Enter a number."),
    ],
)
def test_it_refuses_requested_credits_that_make_no_sense(client, credits, message):
    registration = renewal_credits()
    client.force_login(registration.user)
    response = client.post(NEW_CREDIT_URL, credit_form(registration, requested_credits=credits))
    assert response.status_code == 200
    [error] = response.context["form"].errors["requested_credits"]
    assert error.startswith(message)
    assert_nothing_stored()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("credits", "message"),
    [
        (Decimal("0"), "must be more than 0"),
        (Decimal("-1.5"), "must be more than 0"),
        (Decimal("0.25"), "whole or half hours"),
        (Decimal("250"), "cannot be more than 100"),
        (Decimal("NaN"), "as a number"),
    ],
)
def test_the_service_refuses_requested_credits_that_make_no_sense(credits, message):
    registration = renewal_credits()
    with pytest.raises(ValidationError, match=message):
        credit_request_submit(
            user=registration.user,
            registration=registration,
            activity_date=days_ago(1),
            course="Annual Summation",
            description="CE Activities",
            requested_credits=credits,
            documentation=pdf_upload(),
        )
    assert_nothing_stored()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file", "message"),
    [
        (upload("lars.pdf", ELF_PROGRAM_BYTES), "is not a PDF, Word document or image"),
        (upload("lars.pdf", PNG_BYTES), "does not match its content"),
        (upload("lars.pdf", b""), "“lars.pdf” is empty"),
    ],
    ids=["program", "png-renamed", "empty"],
)
def test_it_refuses_documentation_that_is_not_an_accepted_document(client, file, message):
    registration = renewal_credits()
    client.force_login(registration.user)
    response = client.post(NEW_CREDIT_URL, credit_form(registration, documentation=file))
    [error] = response.context["form"].errors["documentation"]
    assert message in error
    assert_nothing_stored()


@pytest.mark.django_db
def test_it_refuses_documentation_over_the_size_limit(client, settings):
    settings.UPLOAD_MAX_BYTES = 100
    registration = renewal_credits()
    client.force_login(registration.user)
    big = upload("lars.pdf", PDF_BYTES + b"%" * 200)
    response = client.post(NEW_CREDIT_URL, credit_form(registration, documentation=big))
    assert "the largest file accepted is 100\xa0bytes" in response.content.decode()
    assert_nothing_stored()


@pytest.mark.django_db
def test_it_requires_documentation(client):
    registration = renewal_credits()
    client.force_login(registration.user)
    form = credit_form(registration)
    del form["documentation"]
    response = client.post(NEW_CREDIT_URL, form)
    assert response.context["form"].errors["documentation"] == [
        "Choose the file with your documentation."
    ]
    assert_nothing_stored()


@pytest.mark.django_db
def test_it_refuses_another_persons_registration_in_the_form(client):
    registration = renewal_credits()
    person = UserFactory()
    renewal_credits(user=person)
    client.force_login(person)
    response = client.post(NEW_CREDIT_URL, credit_form(registration))
    assert response.context["form"].errors["registration"] == [
        "Choose one of your own open renewal credentials."
    ]
    assert_nothing_stored()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make_registration",
    [
        pytest.param(lambda user: renewal_credits(), id="another-persons"),
        pytest.param(
            lambda user: renewal_credits(user=user, status=Registration.Status.LAPSED),
            id="lapsed",
        ),
        pytest.param(lambda user: part_time_application(user=user), id="initial-application"),
    ],
)
def test_the_service_refuses_a_registration_that_is_not_an_open_renewal_of_the_person(
    make_registration,
):
    person = UserFactory()
    registration = make_registration(person)
    with pytest.raises(ValidationError) as refusal:
        credit_request_submit(
            user=person,
            registration=registration,
            activity_date=days_ago(1),
            course="Annual Summation",
            description="CE Activities",
            requested_credits=Decimal("15"),
            documentation=pdf_upload(),
        )
    assert refusal.value.message_dict == {
        "registration": [
            "This credential was not found among your renewal credentials that accept credits. "
            "Credit requests and asynchronous courses count toward a renewal-credits cycle that "
            "is ACTIVE or COMPLETED, with the date inside the cycle; asynchronous courses also "
            "count toward an initial application that accepts them while it is ACTIVE or "
            "PENDING REVIEW."
        ]
    }
    assert_nothing_stored()


@pytest.mark.django_db
def test_it_refuses_an_activity_date_before_the_persons_first_registration(client):
    registration = renewal_credits(cycle_start=days_ago(30))
    client.force_login(registration.user)
    activity_date = days_ago(31)
    response = client.post(
        NEW_CREDIT_URL, credit_form(registration, activity_date=f"{activity_date:%m/%d/%Y}")
    )
    assert response.context["form"].errors["activity_date"] == [
        f"The Activity Date {activity_date:%m/%d/%Y} is before your first registration with "
        f"KDLA ({registration.cycle_start:%m/%d/%Y}): no cycle of yours can count it. Enter an "
        f"Activity Date from {registration.cycle_start:%m/%d/%Y} to "
        f"{registration.cycle_end:%m/%d/%Y}, the Start and End Date of "
        f"{registration.credential_type.display_label}."
    ]
    assert_nothing_stored()


@pytest.mark.django_db
def test_the_form_uses_the_agencys_words_and_offers_only_open_renewal_credentials(client):
    own = renewal_credits(cycle_start=datetime.date(2023, 2, 6))
    person = own.user
    renewal_credits(user=person, status=Registration.Status.LAPSED, label="Lapsed cycle")
    part_time_application(user=person)
    renewal_credits(label="Someone else's credential")
    client.force_login(person)
    page = client.get(NEW_CREDIT_URL).content.decode()
    assert "Fill all information below and submit for request your credits" in page
    for label in [
        "Activity Date",
        "Course",
        "Description",
        "Credentials to count against",
        "Requested Credits",
        "Documentation",
    ]:
        assert f"{label}<span" in page or f">{label}</label>" in page
    assert 'placeholder="MM/dd/yyyy"' in page
    assert ACTIVITY_DATE_OUTSIDE_CYCLE in page
    assert '<option value="" selected>Select…</option>' in page
    assert (
        f'<option value="{own.pk}">Part Time Certification- Renewal credits '
        "(02/06/2023 – 02/06/2028)</option>"
    ) in page
    assert "Lapsed cycle" not in page
    assert "Initial Part Time Certification" not in page
    assert "Someone else" not in page
    assert 'step="0.5"' in page and 'min="0.5"' in page and 'max="100"' in page
    assert "Upload your documentation, such as LARs, certificates, etc. (all as one file)." in page
    assert 'enctype="multipart/form-data"' in page
    assert "csrfmiddlewaretoken" in page
    assert ">Request Credit</button>" in page
    assert ">Close</a>" in page


@pytest.mark.django_db
def test_it_explains_when_there_is_no_open_renewal_credential(client):
    registration = part_time_application()
    client.force_login(registration.user)
    page = client.get(NEW_CREDIT_URL).content.decode()
    assert "Credits count toward a renewal credential" in page
    assert "starts once KDLA approves your initial certification" in page
    assert 'type="file"' not in page
    response = client.post(NEW_CREDIT_URL, credit_form(registration))
    assert response.status_code == 200
    assert_nothing_stored()


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(NEW_CREDIT_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db(transaction=True)
def test_it_deletes_the_stored_documentation_when_the_row_cannot_be_saved():
    # The course column holds 200 characters, so the INSERT fails after the file was written.
    registration = renewal_credits()
    with pytest.raises(DataError):
        credit_request_submit(
            user=registration.user,
            registration=registration,
            activity_date=days_ago(1),
            course="A" * 300,
            description="CE Activities",
            requested_credits=Decimal("15"),
            documentation=pdf_upload(),
        )
    assert_nothing_stored()
