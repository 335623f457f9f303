"""A whole career under KDLA's rules, through the services: initial application → cycle 1 →
hours met → renewal application → cycle 2 the day after cycle 1 ends; and the table of
transitions itself (certifications/lifecycle.py)."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from certifications.lifecycle import (
    TRANSITIONS,
    Event,
    TransitionNotAllowed,
    next_status,
    registration_transition,
)
from certifications.models import CredentialType, Registration
from certifications.services.deadlines import lapse_ended_renewal_cycles
from certifications.services.registrations import credential_register
from certifications.services.reviews import external_file_approve
from courses.kdla_catalogue import PART_TIME_REQUIRED_COURSES
from portal.transcript import build_transcript
from tests.certifications.kdla_history import (
    INITIAL,
    RENEWAL_APPLICATION,
    RENEWAL_CREDITS,
    complete_course,
    complete_courses,
    decided_credit_request,
    kdla_credential,
)
from tests.factories import CourseFactory, UserFactory
from tests.reviews.builders import pending_file, reviewer

pytestmark = pytest.mark.django_db
KENTUCKY = ZoneInfo("America/New_York")
Status = Registration.Status


def move_to(time_machine, day: datetime.date) -> None:
    time_machine.move_to(datetime.datetime.combine(day, datetime.time(10), KENTUCKY), tick=False)


def approved(application: Registration) -> Registration:
    external_file_approve(external_file=pending_file(application), reviewer=reviewer())
    return Registration.objects.get(source_registration=application)


def first_cycle(time_machine, person) -> Registration:
    """The seed's start: the four courses, the initial application, KDLA's approval."""
    move_to(time_machine, datetime.date(2027, 2, 8))
    complete_courses(person, PART_TIME_REQUIRED_COURSES, datetime.date(2027, 2, 8))
    application = credential_register(user=person, credential_type=kdla_credential(INITIAL))
    return approved(application)


def test_a_fresh_first_cycle_shows_no_hours_from_the_prerequisite_courses(time_machine):
    # The reported bug: the four courses that earned the certification showed as 12 of 15.
    person = UserFactory()
    cycle = first_cycle(time_machine, person)

    assert cycle.cycle_start == datetime.date(2027, 2, 8)
    assert cycle.earned_credits == 0
    assert cycle.status == Status.ACTIVE
    assert build_transcript(user=person).cycles[0].courses == []
    assert build_transcript(user=person).cycles[0].total == 0


def test_a_renewal_starts_the_day_after_the_first_cycle_ends_and_keeps_it(time_machine):
    person = UserFactory()
    cycle_1 = first_cycle(time_machine, person)
    move_to(time_machine, datetime.date(2028, 5, 1))
    complete_course(person, CourseFactory(contact_hours=Decimal("4")), datetime.date(2028, 4, 2))
    decided_credit_request(
        cycle_1, activity_date=datetime.date(2028, 4, 20), requested="15", approved="12"
    )
    cycle_1.refresh_from_db()
    assert (cycle_1.status, cycle_1.earned_credits) == (Status.COMPLETED, Decimal("16"))

    renewal = credential_register(user=person, credential_type=kdla_credential(RENEWAL_APPLICATION))
    cycle_2 = approved(renewal)

    cycle_1.refresh_from_db()
    assert (cycle_1.status, cycle_1.earned_credits) == (Status.COMPLETED, Decimal("16"))
    assert cycle_2.cycle_start == cycle_1.cycle_end + datetime.timedelta(days=1)
    assert cycle_2.cycle_start == datetime.date(2032, 2, 9)
    assert (cycle_2.status, cycle_2.earned_credits) == (Status.ACTIVE, Decimal("0"))
    cycles = {c.registration.pk: c for c in build_transcript(user=person).cycles}
    assert cycles[cycle_1.pk].total == 16
    assert [e.course.contact_hours for e in cycles[cycle_1.pk].courses] == [Decimal("4")]
    assert cycles[cycle_2.pk].courses == [] and cycles[cycle_2.pk].credits == []


def test_a_second_renewal_is_refused_until_the_new_cycle_has_its_hours(time_machine):
    # The reported bug: Next steps invited the person to renew again right after renewing.
    person = UserFactory()
    cycle_1 = first_cycle(time_machine, person)
    decided_credit_request(
        cycle_1, activity_date=datetime.date(2027, 2, 8), requested="15", approved="15"
    )
    approved(credential_register(user=person, credential_type=kdla_credential(RENEWAL_APPLICATION)))

    with pytest.raises(ValidationError) as refusal:
        credential_register(user=person, credential_type=kdla_credential(RENEWAL_APPLICATION))

    assert refusal.value.messages == [
        "You can register for Part-time Certification- Renewal Application once your Part Time "
        "Certification- Renewal credits cycle is complete: 15 more contact hours are missing "
        "(0 of 15 earned by 02/09/2037)."
    ]
    assert Registration.objects.filter(user=person, credential_code=RENEWAL_CREDITS).count() == 2


def test_a_lapsed_cycle_is_not_renewed_the_person_applies_again_as_initial(time_machine):
    person = UserFactory()
    cycle_1 = first_cycle(time_machine, person)
    move_to(time_machine, cycle_1.cycle_end + datetime.timedelta(days=1))
    assert lapse_ended_renewal_cycles(today=cycle_1.cycle_end + datetime.timedelta(days=1)) == 1

    with pytest.raises(ValidationError, match="Apply again with the initial application"):
        credential_register(user=person, credential_type=kdla_credential(RENEWAL_APPLICATION))
    again = approved(credential_register(user=person, credential_type=kdla_credential(INITIAL)))
    assert again.cycle_start == cycle_1.cycle_end + datetime.timedelta(days=1)


def test_renewal_opens_only_inside_the_early_renewal_window(time_machine):
    person = UserFactory()
    renewal_credits = kdla_credential(RENEWAL_CREDITS)
    renewal_credits.renewal_window_days = 90
    renewal_credits.save()
    cycle_1 = first_cycle(time_machine, person)
    decided_credit_request(
        cycle_1, activity_date=datetime.date(2027, 2, 8), requested="15", approved="15"
    )

    with pytest.raises(ValidationError) as refusal:
        credential_register(user=person, credential_type=kdla_credential(RENEWAL_APPLICATION))
    assert refusal.value.messages == [
        "Your Part Time Certification- Renewal credits cycle is complete. Part-time "
        "Certification- Renewal Application opens on 11/10/2031, 90 days before the cycle ends "
        "on 02/08/2032."
    ]
    move_to(time_machine, datetime.date(2031, 11, 10))
    credential_register(user=person, credential_type=kdla_credential(RENEWAL_APPLICATION))


def test_a_grace_period_delays_the_lapse_of_a_short_cycle(time_machine):
    person = UserFactory()
    renewal_credits = kdla_credential(RENEWAL_CREDITS)
    renewal_credits.grace_period_days = 30
    renewal_credits.save()
    cycle_1 = first_cycle(time_machine, person)
    day_after = cycle_1.cycle_end + datetime.timedelta(days=1)

    assert lapse_ended_renewal_cycles(today=day_after) == 0
    assert lapse_ended_renewal_cycles(today=day_after + datetime.timedelta(days=30)) == 1
    cycle_1.refresh_from_db()
    assert cycle_1.status == Status.LAPSED


def test_every_edge_of_the_table_is_reachable_and_nothing_else_is():
    application_kind = CredentialType.Kind.INITIAL_APPLICATION
    credits_kind = CredentialType.Kind.RENEWAL_CREDITS
    assert next_status(kind=credits_kind, status=Status.ACTIVE, event=Event.HOURS_MET) == (
        Status.COMPLETED
    )
    assert next_status(kind=application_kind, status=Status.ACTIVE, event=Event.HOURS_MET) is None
    assert next_status(kind=credits_kind, status=Status.LAPSED, event=Event.HOURS_MET) is None
    # Nothing leaves LAPSED: a lapsed cycle stays as it ended.
    assert all(Status.LAPSED not in edges for _, edges in TRANSITIONS.values())


def test_it_refuses_an_edge_the_table_does_not_have():
    cycle = Registration(
        credential_type=CredentialType(kind=CredentialType.Kind.RENEWAL_CREDITS),
        status=Status.LAPSED,
    )
    with pytest.raises(TransitionNotAllowed):
        registration_transition(cycle, Event.HOURS_MET, save=False)


def test_the_dashboard_reads_well_after_a_renewal(client, time_machine):
    # The reported bug: after the renewal, cycle 1 vanished from CREDENTIALS and Next steps
    # invited the person to register for the Renewal Application again.
    person = UserFactory()
    cycle_1 = first_cycle(time_machine, person)
    move_to(time_machine, datetime.date(2028, 5, 1))
    complete_course(person, CourseFactory(contact_hours=Decimal("4")), datetime.date(2028, 4, 2))
    decided_credit_request(
        cycle_1, activity_date=datetime.date(2028, 4, 20), requested="15", approved="12"
    )
    approved(credential_register(user=person, credential_type=kdla_credential(RENEWAL_APPLICATION)))
    client.force_login(person)

    response = client.get(reverse("dashboard"))

    dashboard = response.context["dashboard"]
    [renewal_row] = [row for row in dashboard.credential_rows if row.counts_credits]
    assert renewal_row.registration.cycle_start == datetime.date(2032, 2, 9)
    assert renewal_row.registration.earned_credits == 0
    assert [earlier.pk for earlier in renewal_row.earlier_cycles] == [cycle_1.pk]
    html = response.content.decode()
    assert "02/08/2027 – 02/08/2032: COMPLETED, 16 of 15 contact hours" in html
    assert "Cycle 02/08/2027 – 02/08/2032" in html  # the credit request's cycle
    steps = [step.text for step in dashboard.next_steps]
    assert "15 more contact hours by 02/09/2037" in steps
    assert not any("register for Part-time Certification- Renewal Application" in s for s in steps)
