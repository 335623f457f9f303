"""Edits in the review site recompute the stored earned hours in the same request, so the
dashboard, the transcript, the reminders and the sweep keep agreeing."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from certifications.models import Registration
from certifications.services.deadlines import lapse_ended_renewal_cycles
from certifications.services.reminders import renewal_reminders_due
from portal.transcript import build_transcript
from tests.certifications.kdla_history import (
    RENEWAL_CREDITS,
    complete_course,
    decided_credit_request,
    kdla_credential,
    open_renewal_cycle,
)
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db
KENTUCKY = ZoneInfo("America/New_York")
Status = Registration.Status


def admin_form_data(response, **changes) -> dict:
    """The change form's current values, as the browser would post them, with ``changes``."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, datetime.datetime):
            local = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = f"{local:%m/%d/%Y}", f"{local:%H:%M:%S}"
        elif isinstance(value, (list, tuple)):
            data[name] = [str(item) for item in value]
        else:
            data[name] = str(value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    data.update(changes)
    return data


def edit_in_review_site(client, url_name: str, pk: int, **changes) -> None:
    url = reverse(url_name, args=[pk])
    response = client.post(url, admin_form_data(client.get(url), **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors


@pytest.fixture
def superuser(client, career):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def career(time_machine):
    """A 4-hour portal course and 12 approved credits: 16 of 15, COMPLETED."""
    time_machine.move_to(datetime.datetime(2028, 5, 1, 10, tzinfo=KENTUCKY), tick=False)
    person = UserFactory()
    cycle = open_renewal_cycle(person, cycle_start=datetime.date(2027, 2, 8))
    course = CourseFactory(contact_hours=Decimal("4"))
    complete_course(person, course, datetime.date(2028, 4, 2))
    decided_credit_request(
        cycle, activity_date=datetime.date(2028, 4, 20), requested="15", approved="12"
    )
    cycle.refresh_from_db()
    assert (cycle.status, cycle.earned_credits) == (Status.COMPLETED, Decimal("16"))
    return person, cycle, course


def assert_everyone_agrees(person, cycle: Registration, earned: str, status: str) -> None:
    cycle.refresh_from_db()
    transcript_cycle = build_transcript(user=person).cycles[0]
    assert cycle.earned_credits == Decimal(earned) == transcript_cycle.total
    assert cycle.status == status
    reminded = renewal_reminders_due(today=cycle.cycle_end - datetime.timedelta(days=30))
    assert (cycle in reminded) == (status == Status.ACTIVE)


def test_editing_a_courses_contact_hours_recomputes_earned(client, superuser, career):
    person, cycle, course = career
    edit_in_review_site(client, "admin:courses_course_change", course.pk, contact_hours="1")
    assert_everyone_agrees(person, cycle, "13", Status.ACTIVE)


def test_editing_the_required_credits_recomputes_completion(client, superuser, career):
    person, cycle, course = career
    credential = kdla_credential(RENEWAL_CREDITS)
    edit_in_review_site(
        client, "admin:certifications_credentialtype_change", credential.pk, required_credits="20"
    )
    assert_everyone_agrees(person, cycle, "16", Status.ACTIVE)
    edit_in_review_site(
        client, "admin:certifications_credentialtype_change", credential.pk, required_credits="16"
    )
    assert_everyone_agrees(person, cycle, "16", Status.COMPLETED)


def test_editing_a_cycles_dates_recomputes_earned(client, superuser, career):
    person, cycle, course = career
    # The course (04/02/2028) now falls before the cycle; the credit (04/20/2028) is inside.
    edit_in_review_site(
        client,
        "admin:certifications_registration_change",
        cycle.pk,
        cycle_start="04/10/2028",
        cycle_end="04/10/2033",
    )
    assert_everyone_agrees(person, cycle, "12", Status.ACTIVE)


def test_the_sweep_never_lapses_a_cycle_that_has_its_hours(career):
    person, cycle, course = career
    # A total stored before this rule (or by a path that forgot to recompute) fell behind.
    Registration.objects.filter(pk=cycle.pk).update(status=Status.ACTIVE, earned_credits=0)

    assert lapse_ended_renewal_cycles(today=cycle.cycle_end + datetime.timedelta(days=1)) == 0

    assert_everyone_agrees(person, cycle, "16", Status.COMPLETED)
