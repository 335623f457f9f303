"""Property-based tests of a career's invariants (Hypothesis): random timelines of course
completions, credit requests and decisions, applications and renewals, extensions, review-site
rule edits and the daily sweep, through the services. After every step:

- at most one open cycle per credential chain, and the cycles of a chain never overlap;
- each hour is listed on the transcript at most once;
- the stored earned hours equal the hours computed from their sources and the transcript's total;
- a renewal-credits cycle is COMPLETED when its hours are met and ACTIVE when they are not;
- the renewal reminders and the sweep agree with the stored total.

CI runs 200 examples with a fixed seed (``derandomize``: the same timelines on every run, about
2 minutes on a 2-core machine); ``make test-slow`` sets ``HYPOTHESIS_EXAMPLES`` to run more.
"""

from __future__ import annotations

import datetime
import os
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from certifications.models import DeadlineExtension, Registration
from certifications.services.deadlines import (
    lapse_ended_renewal_cycles,
    lapse_missed_upload_deadlines,
)
from certifications.services.earned import earned_refresh_for_credential_type
from certifications.services.extensions import registration_extend_deadline
from certifications.services.registrations import credential_register
from certifications.services.reminders import renewal_reminders_due
from certifications.services.reviews import external_file_approve
from courses.kdla_catalogue import PART_TIME_REQUIRED_COURSES
from credits.models import CreditRequest
from credits.services.reviews import credit_request_decide
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

KENTUCKY = ZoneInfo("America/New_York")
EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "200"))
START = datetime.date(2027, 2, 8)
Status = Registration.Status

half_hours = st.integers(min_value=1, max_value=20).map(lambda n: Decimal(n) / 2)
steps = st.one_of(
    st.tuples(st.just("advance"), st.integers(min_value=1, max_value=800)),
    st.tuples(st.just("course"), half_hours, st.integers(min_value=0, max_value=400)),
    st.tuples(st.just("credit"), half_hours, st.integers(min_value=0, max_value=400)),
    st.tuples(st.just("decide"), st.integers(min_value=0, max_value=4)),
    st.tuples(st.just("apply"), st.booleans()),
    st.tuples(st.just("extend"), st.integers(min_value=1, max_value=200)),
    st.tuples(st.just("edit_required"), st.integers(min_value=10, max_value=20)),
)


def at(day: datetime.date) -> time_machine.travel:
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), KENTUCKY), tick=False
    )


@pytest.fixture
def newcomer(db) -> tuple[User, User]:
    """A person who completed the four part-time courses on START, and a reviewer: made once
    per test, not per example (each example runs in a transaction that is rolled back, so it
    starts from exactly this state). Hashing two passwords and completing four courses were
    most of an example's time."""
    kdla_credential(RENEWAL_CREDITS)
    kdla_credential(INITIAL)
    person = UserFactory()
    with at(START):
        complete_courses(person, PART_TIME_REQUIRED_COURSES, START)
    return person, reviewer()


class Career:
    """One person's timeline, driven through the services."""

    def __init__(self, person: User, reviewer: User) -> None:
        self.today = START
        self.person = person
        self.reviewer = reviewer

    def at_today(self) -> time_machine.travel:
        return at(self.today)

    def cycles(self) -> list[Registration]:
        return list(
            Registration.objects.filter(user=self.person, credential_code=RENEWAL_CREDITS)
            .select_related("credential_type")
            .order_by("cycle_start")
        )

    def cycle_on(self, day: datetime.date) -> Registration | None:
        for cycle in self.cycles():
            if cycle.cycle_start <= day <= cycle.cycle_end:
                return cycle
        return None

    def run(self, step: tuple) -> None:
        kind, *values = step
        with self.at_today():
            getattr(self, f"step_{kind}")(*values)

    def step_advance(self, days: int) -> None:
        self.today += datetime.timedelta(days=days)
        with self.at_today():
            lapse_missed_upload_deadlines(today=self.today)
            lapse_ended_renewal_cycles(today=self.today)

    def step_course(self, hours: Decimal, days_ago: int) -> None:
        day = max(self.today - datetime.timedelta(days=days_ago), START)
        complete_course(self.person, CourseFactory(contact_hours=hours), day)

    def step_credit(self, hours: Decimal, days_ago: int) -> None:
        day = max(self.today - datetime.timedelta(days=days_ago), START)
        cycle = self.cycle_on(day)
        if cycle is not None and cycle.status in (Status.ACTIVE, Status.COMPLETED):
            decided_credit_request(cycle, activity_date=day, requested=str(hours), approved=None)

    def step_decide(self, quarters: int) -> None:
        credit_request = (
            CreditRequest.objects.filter(user=self.person).order_by("-submitted_at", "-pk").first()
        )
        if credit_request is None:
            return
        approved = (credit_request.requested_credits * quarters / 4).quantize(Decimal("1"))
        approved = min(approved, credit_request.requested_credits)
        note = "" if approved == credit_request.requested_credits else "Only part counts."
        credit_request_decide(
            credit_request=credit_request,
            approved_credits=approved,
            note=note,
            reviewer=self.reviewer,
        )

    def step_apply(self, renewal: bool) -> None:
        code = RENEWAL_APPLICATION if renewal else INITIAL
        before = Registration.objects.count()
        try:
            application = credential_register(
                user=self.person, credential_type=kdla_credential(code)
            )
        except ValidationError as refusal:
            assert refusal.messages and Registration.objects.count() == before
            return
        external_file_approve(external_file=pending_file(application), reviewer=self.reviewer)

    def step_extend(self, days: int) -> None:
        open_cycles = [c for c in self.cycles() if c.status == Status.ACTIVE]
        if not open_cycles:
            return
        cycle = open_cycles[0]
        try:
            registration_extend_deadline(
                registration=cycle,
                deadline=DeadlineExtension.Deadline.CYCLE_END,
                new_date=cycle.cycle_end + datetime.timedelta(days=days),
                reason="Leave of absence.",
                reviewer=self.reviewer,
            )
        except ValidationError:
            cycle.refresh_from_db()
            assert not DeadlineExtension.objects.filter(new_date__gt=cycle.cycle_end).exists()

    def step_edit_required(self, credits: int) -> None:
        credential = kdla_credential(RENEWAL_CREDITS)
        credential.required_credits = Decimal(credits)
        credential.save(update_fields=["required_credits"])
        earned_refresh_for_credential_type(credential_type=credential)

    def check_invariants(self) -> None:
        # The transcript reads every cycle with its hours computed from the sources
        # (with_computed_earned) in the same query: one read serves all the checks.
        transcript = build_transcript(user=self.person)
        cycles = sorted(
            (t.registration for t in transcript.cycles), key=lambda cycle: cycle.cycle_start
        )
        assert {c.credential_code for c in cycles} <= {RENEWAL_CREDITS}
        assert sum(c.status in Registration.OPEN_STATUSES for c in cycles) <= 1
        for earlier, later in zip(cycles, cycles[1:], strict=False):
            assert later.cycle_start > earlier.cycle_end, "cycles of a chain overlap"
        computed = {c.pk: c.computed_earned for c in cycles}
        listed = [("course", e.pk) for t in transcript.cycles for e in t.courses]
        listed += [("credit", c.pk) for t in transcript.cycles for c in t.credits]
        assert len(listed) == len(set(listed)), "an hour is listed twice"
        totals = {t.registration.pk: t for t in transcript.cycles}
        with self.at_today():
            reminded = set(
                renewal_reminders_due(today=self.today).values_list("pk", flat=True)
            ) | set(
                # Reminders due on any offset: ask for each cycle's own reminder days.
                pk
                for c in cycles
                for pk in renewal_reminders_due(
                    today=c.cycle_end - datetime.timedelta(days=30)
                ).values_list("pk", flat=True)
            )
        for cycle in cycles:
            required = cycle.credential_type.required_credits
            assert cycle.earned_credits == computed[cycle.pk] == totals[cycle.pk].total
            listed_hours = totals[cycle.pk].course_hours + totals[cycle.pk].approved_credits
            assert listed_hours == cycle.earned_credits
            if cycle.status == Status.COMPLETED:
                assert cycle.earned_credits >= required
            if cycle.status == Status.ACTIVE:
                assert cycle.earned_credits < required
                if cycle.cycle_end - datetime.timedelta(days=30) >= self.today:
                    assert cycle.pk in reminded
            else:
                assert cycle.pk not in reminded


@pytest.mark.django_db
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(timeline=st.lists(steps, min_size=1, max_size=20))
def test_a_career_keeps_its_invariants_after_every_step(newcomer, timeline):
    with transaction.atomic():
        career = Career(*newcomer)
        with career.at_today():
            career.step_apply(False)
        career.check_invariants()
        for step in timeline:
            career.run(step)
            career.check_invariants()
        transaction.set_rollback(True)
