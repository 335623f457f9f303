"""Absurd dates and hours are refused with a message a person understands, and nothing is
stored; credit requests and asynchronous completions accept the same cycles."""

import datetime

import pytest
from django.urls import reverse

from certifications.models import Registration
from courses.models import AsyncCompletion, Course
from credits.models import CreditRequest
from credits.services.requests import open_renewal_registrations
from tests.factories import CourseFactory, UserFactory
from tests.fixtures.documents import pdf_upload
from tests.fixtures.registrations import renewal_credits, stored_files
from training.selectors import registrations_accepting_async

# The asynchronous form names Coursera, a source the data migrations install.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("migration_installed_data")]
Status = Registration.Status


def credit_form(registration: Registration, **overrides) -> dict:
    return {
        "activity_date": (registration.cycle_start + datetime.timedelta(days=1)).strftime(
            "%m/%d/%Y"
        ),
        "course": "Annual Summation",
        "description": "CE Activities",
        "registration": registration.pk,
        "requested_credits": "15",
        "documentation": pdf_upload("annual-summation.pdf"),
        **overrides,
    }


def async_form(registration: Registration, **overrides) -> dict:
    return {
        "registration": registration.pk,
        "provider_name": "Coursera",
        "course_title": "Data Literacy for Librarians",
        "completed_on": (registration.cycle_start + datetime.timedelta(days=1)).isoformat(),
        "hours": "12",
        "proof": pdf_upload(),
        **overrides,
    }


def test_a_credit_request_dated_before_1900_is_refused(client):
    cycle = renewal_credits()
    client.force_login(cycle.user)
    response = client.post(
        reverse("credit_request_new"), credit_form(cycle, activity_date="01/01/0001")
    )
    assert response.context["form"].errors["activity_date"] == [
        "The Activity Date 01/01/0001 is before 1900. Check the year."
    ]
    assert CreditRequest.objects.count() == 0
    assert stored_files() == []


def test_an_asynchronous_completion_dated_01_01_0001_is_refused(client):
    # The reported bug: a completion dated 01/01/0001 was stored.
    cycle = renewal_credits()
    cycle.credential_type.accepts_async_courses = True
    cycle.credential_type.save()
    client.force_login(cycle.user)
    response = client.post(
        reverse("async_completion_new"), async_form(cycle, completed_on="0001-01-01")
    )
    assert response.context["form"].errors["completed_on"] == [
        "The completion date 01/01/0001 is before 1900. Check the year."
    ]
    assert AsyncCompletion.objects.count() == 0


def test_an_asynchronous_course_above_the_most_hours_of_one_course_is_refused(client):
    cycle = renewal_credits()
    cycle.credential_type.accepts_async_courses = True
    cycle.credential_type.save()
    client.force_login(cycle.user)
    response = client.post(reverse("async_completion_new"), async_form(cycle, hours="40.5"))
    assert response.context["form"].errors["hours"] == [
        "One course can count at most 40 contact hours; 40.5 is more. Check the number."
    ]
    assert AsyncCompletion.objects.count() == 0


def test_the_most_hours_of_one_course_is_a_setting(client, settings):
    settings.MAX_COURSE_HOURS = 60
    cycle = renewal_credits()
    cycle.credential_type.accepts_async_courses = True
    cycle.credential_type.save()
    client.force_login(cycle.user)
    client.post(reverse("async_completion_new"), async_form(cycle, hours="50"))
    assert AsyncCompletion.objects.get().hours == 50


def test_the_review_site_refuses_a_course_claiming_9999_9_hours(client):
    # The reported bug: one course claimed 9,999.9 hours.
    course = CourseFactory(contact_hours=3)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:courses_course_change", args=[course.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: form[name].value()
        for name in form.fields
        if form[name].value() not in (None, False, True)
    }
    data["contact_hours"] = "9999.9"
    response = client.post(url, data)
    assert response.context["adminform"].form.errors["contact_hours"] == [
        "One course can count at most 40 contact hours; 9999.9 is more. Check the number."
    ]
    course.refresh_from_db()
    assert Course.objects.get(pk=course.pk).contact_hours == 3


@pytest.mark.parametrize(
    ("status", "accepted"),
    [(Status.ACTIVE, True), (Status.COMPLETED, True), (Status.LAPSED, False)],
)
def test_credit_requests_and_asynchronous_completions_accept_the_same_cycles(status, accepted):
    # The reported bug: credit requests took COMPLETED cycles, asynchronous completions did not.
    cycle = renewal_credits(status=status)
    cycle.credential_type.accepts_async_courses = True
    cycle.credential_type.save()
    assert (cycle in open_renewal_registrations(user=cycle.user)) is accepted
    assert (cycle in registrations_accepting_async(user=cycle.user)) is accepted
