"""Register → Proceed to Checkout → Go to Dashboard, through the client."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from certifications.models import Registration
from courses.kdla_catalogue import PART_TIME_REQUIRED_COURSES
from tests.certifications.kdla_history import (
    INITIAL,
    RENEWAL_CREDITS,
    complete_courses,
    kdla_credential,
)
from tests.factories import CredentialTypeFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db
KENTUCKY = ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def today(time_machine) -> datetime.date:
    time_machine.move_to(datetime.datetime(2027, 2, 8, 9, 0, tzinfo=KENTUCKY), tick=False)
    return datetime.date(2027, 2, 8)


@pytest.fixture
def staff_member():
    return UserFactory(first_name="Casey")


@pytest.fixture
def signed_in(client, staff_member):
    client.force_login(staff_member)
    return client


@pytest.fixture
def initial():
    return kdla_credential(INITIAL)


def test_the_checkout_page_shows_what_is_registered_for_free(signed_in, initial):
    response = signed_in.get(reverse("credential_register", args=[initial.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Part-time Certification- Initial Application" in html
    assert "Registrations are free; there is no payment" in html
    assert "Proceed to Checkout" in html
    assert "Application for Certification of Part-Time Library Staff" in html


def test_the_checkout_page_warns_about_missing_courses_before_posting(signed_in, initial):
    response = signed_in.get(reverse("credential_register", args=[initial.pk]))
    assert response.context["refusal"] == (
        "Complete these courses first: Customer Service Basics, Reference Basics, "
        "Solving Difficult Situations in the Library, Readers' Advisory Basics"
    )


def test_proceed_to_checkout_registers_and_shows_go_to_dashboard(signed_in, staff_member, initial):
    complete_courses(staff_member, PART_TIME_REQUIRED_COURSES, datetime.date(2027, 1, 20))
    response = signed_in.post(reverse("credential_register", args=[initial.pk]), follow=True)
    registration = Registration.objects.get(user=staff_member)
    assert response.redirect_chain == [(reverse("checkout_complete", args=[registration.pk]), 302)]
    html = response.content.decode()
    assert "Go to Dashboard" in html
    assert "Initial Part Time Certification" in html
    assert "02/08/2027" in html
    assert "04/09/2027" in html


def test_proceed_to_checkout_is_refused_with_the_missing_courses(signed_in, staff_member, initial):
    complete_courses(staff_member, PART_TIME_REQUIRED_COURSES[:2], datetime.date(2027, 1, 20))
    response = signed_in.post(reverse("credential_register", args=[initial.pk]))
    assert response.status_code == 400
    assert (
        "Complete these courses first: Solving Difficult Situations in the Library, "
        "Readers&#x27; Advisory Basics" in response.content.decode()
    )
    assert Registration.objects.count() == 0


def test_a_second_checkout_for_the_open_cycle_is_refused(signed_in, staff_member, initial):
    complete_courses(staff_member, PART_TIME_REQUIRED_COURSES, datetime.date(2027, 1, 20))
    signed_in.post(reverse("credential_register", args=[initial.pk]))
    response = signed_in.post(reverse("credential_register", args=[initial.pk]))
    assert response.status_code == 400
    assert "You are already registered for Part-time Certification- Initial Application" in (
        response.content.decode()
    )
    assert Registration.objects.count() == 1


def test_an_old_rule_version_is_not_offered(signed_in):
    old = CredentialTypeFactory(
        code="trustee",
        version=1,
        kind="INITIAL_APPLICATION",
        cycle_length_years=0,
        cycle_length_days=60,
    )
    CredentialTypeFactory(
        code="trustee",
        version=2,
        kind="INITIAL_APPLICATION",
        cycle_length_years=0,
        cycle_length_days=60,
        effective_on=datetime.date(2026, 1, 1),
    )
    assert signed_in.get(reverse("credential_register", args=[old.pk])).status_code == 404
    assert signed_in.post(reverse("credential_register", args=[old.pk])).status_code == 404
    assert Registration.objects.count() == 0


def test_renewal_credits_are_not_registered_from_the_catalogue(signed_in):
    credits = kdla_credential(RENEWAL_CREDITS)
    assert signed_in.post(reverse("credential_register", args=[credits.pk])).status_code == 404
    assert Registration.objects.count() == 0


def test_a_post_without_the_csrf_token_is_refused(staff_member, initial):
    complete_courses(staff_member, PART_TIME_REQUIRED_COURSES, datetime.date(2027, 1, 20))
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_member)
    response = client.post(reverse("credential_register", args=[initial.pk]))
    assert response.status_code == 403
    assert Registration.objects.count() == 0


def test_someone_elses_checkout_page_is_not_found(signed_in):
    registration = RegistrationFactory()
    response = signed_in.get(reverse("checkout_complete", args=[registration.pk]))
    assert response.status_code == 404
