"""A long career: five-year cycles one after the other, each with its own hours. The dashboard
and the transcript keep a fixed number of queries whatever the number of earlier cycles, and
the transcript lists each hour once."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from certifications.models import Registration
from certifications.services.earned import registrations_refresh_earned
from certifications.services.registrations import add_calendar_years
from courses.models import Course, Enrollment
from credits.models import CreditRequest
from portal.transcript import build_transcript
from tests.certifications.kdla_history import RENEWAL_CREDITS, kdla_credential
from tests.certifications.test_dashboard import QUERY_BOUND as DASHBOARD_QUERY_BOUND
from tests.certifications.test_transcript import QUERY_BOUND as TRANSCRIPT_QUERY_BOUND
from tests.factories import CategoryFactory, UserFactory, decided_fields

pytestmark = pytest.mark.django_db
KENTUCKY = ZoneInfo("America/New_York")
ITEMS_PER_CYCLE = 50


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(datetime.datetime(2027, 2, 8, 9, tzinfo=KENTUCKY), tick=False)


def build_career(person, *, earlier_cycles: int) -> list[Registration]:
    """``earlier_cycles`` completed cycles, chained, then the current one; each with 25 portal
    courses of 0.5 hours and 25 approved credit requests of 0.5 hours, dated inside it."""
    credential = kdla_credential(RENEWAL_CREDITS)
    category = CategoryFactory()
    start = add_calendar_years(datetime.date(2026, 6, 1), -5 * earlier_cycles)
    cycles = []
    for number in range(earlier_cycles + 1):
        end = add_calendar_years(start, 5)
        cycle = Registration.objects.create(
            user=person,
            credential_type=credential,
            credential_code=credential.code,
            cycle_start=start,
            cycle_end=end,
            status=(
                Registration.Status.COMPLETED
                if number < earlier_cycles
                else Registration.Status.ACTIVE
            ),
        )
        courses = Course.objects.bulk_create(
            Course(
                title=f"Cycle {number} course {item}",
                category=category,
                contact_hours=Decimal("0.5"),
                format=Course.Format.PORTAL,
            )
            for item in range(ITEMS_PER_CYCLE // 2)
        )
        Enrollment.objects.bulk_create(
            Enrollment(
                user=person,
                course=course,
                status=Enrollment.Status.COMPLETED,
                completed_on=start + datetime.timedelta(days=item),
            )
            for item, course in enumerate(courses)
        )
        CreditRequest.objects.bulk_create(
            CreditRequest(
                user=person,
                registration=cycle,
                activity_date=start + datetime.timedelta(days=item),
                course=f"Cycle {number} workshop {item}",
                description="CE Activities",
                requested_credits=Decimal("0.5"),
                approved_credits=Decimal("0.5"),
                status=CreditRequest.Status.APPROVED,
                **decided_fields(CreditRequest.Status.APPROVED),
                documentation="credit-documentation/summation.pdf",
                documentation_name="summation.pdf",
                documentation_content_type="application/pdf",
            )
            for item in range(ITEMS_PER_CYCLE // 2)
        )
        cycles.append(cycle)
        start = end + datetime.timedelta(days=1)
    registrations_refresh_earned(registration_ids=[cycle.pk for cycle in cycles])
    return cycles


@pytest.mark.parametrize("earlier_cycles", [1, 5])
def test_the_dashboard_and_transcript_keep_their_query_counts(
    client, django_assert_max_num_queries, earlier_cycles
):
    person = UserFactory()
    build_career(person, earlier_cycles=earlier_cycles)
    client.force_login(person)
    with django_assert_max_num_queries(DASHBOARD_QUERY_BOUND):
        assert client.get(reverse("dashboard")).status_code == 200
    with django_assert_max_num_queries(TRANSCRIPT_QUERY_BOUND):
        response = client.get(reverse("transcript"))
    transcript = response.context["transcript"]
    assert len(transcript.cycles) == earlier_cycles + 1


@pytest.mark.parametrize("earlier_cycles", [1, 5])
def test_each_hour_counts_once_and_toward_its_own_cycle(earlier_cycles):
    person = UserFactory()
    cycles = build_career(person, earlier_cycles=earlier_cycles)
    transcript = build_transcript(user=person)
    listed = [("course", e.pk) for cycle in transcript.cycles for e in cycle.courses] + [
        ("credit", c.pk) for cycle in transcript.cycles for c in cycle.credits
    ]
    assert len(listed) == len(set(listed)) == ITEMS_PER_CYCLE * (earlier_cycles + 1)
    for cycle in cycles:
        cycle.refresh_from_db()
        assert cycle.earned_credits == Decimal(ITEMS_PER_CYCLE) / 2
    for cycle_transcript in transcript.cycles:
        start = cycle_transcript.registration.cycle_start
        end = cycle_transcript.registration.cycle_end
        assert all(start <= e.completed_on <= end for e in cycle_transcript.courses)
        assert cycle_transcript.total == cycle_transcript.registration.earned_credits


def test_five_earlier_cycles_cost_the_same_queries_as_one(client, django_assert_max_num_queries):
    """Not only under a bound: the very same number of queries for 1 and for 5 earlier cycles
    of 50 items each."""
    counts = {}
    for earlier_cycles in (1, 5):
        person = UserFactory()
        build_career(person, earlier_cycles=earlier_cycles)
        client.force_login(person)
        for name, bound in (
            ("dashboard", DASHBOARD_QUERY_BOUND),
            ("transcript", TRANSCRIPT_QUERY_BOUND),
        ):
            with django_assert_max_num_queries(bound) as queries:
                assert client.get(reverse(name)).status_code == 200
            counts[earlier_cycles, name] = len(queries.captured_queries)
    assert counts[1, "dashboard"] == counts[5, "dashboard"]
    assert counts[1, "transcript"] == counts[5, "transcript"]
