"""Renewal-credits cycles: reminders 365, 180, 90 and 30 days before the end while short of
hours; the day after the last day without enough hours, LAPSED / NOT COMPLIANT."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from certifications.models import Registration
from certifications.tasks import run_daily_deadlines, run_renewal_windows
from notifications.models import OutboxMessage
from tests.jobs.conftest import after, clock_at, emails_to, html_of, renewal_cycle

pytestmark = pytest.mark.django_db
CYCLE_END = datetime.date(2028, 2, 6)


def run_on(day) -> dict[str, int]:
    with clock_at(day):
        return run_daily_deadlines()


@pytest.mark.parametrize("days", [-1, 0])
def test_it_keeps_the_cycle_open_through_its_last_day(renewal_type, days):
    cycle = renewal_cycle(renewal_type, cycle_end=CYCLE_END)

    counts = run_on(after(CYCLE_END, days))

    cycle.refresh_from_db()
    assert cycle.status == Registration.Status.ACTIVE
    assert counts["renewal_lapsed"] == 0


def test_it_lapses_the_day_after_the_cycle_ends_short_of_hours(renewal_type):
    cycle = renewal_cycle(renewal_type, cycle_end=CYCLE_END, earned="12.5")

    counts = run_on(after(CYCLE_END, 1))

    cycle.refresh_from_db()
    assert counts["renewal_lapsed"] == 1
    assert cycle.status == Registration.Status.LAPSED
    assert cycle.compliance == Registration.Compliance.NOT_COMPLIANT
    assert cycle.lapsed_on == after(CYCLE_END, 1)
    assert cycle.history.first().history_change_reason == (
        "Renewal cycle ended without the required contact hours"
    )
    (message,) = emails_to(cycle.user.email)
    assert message.subject == (
        "Part Time Certification- Renewal credits ended on 02/06/2028 without the required "
        "contact hours"
    )
    assert "12.5 of the 15 required contact hours" in message.body
    assert "LAPSED / NOT COMPLIANT" in message.body
    assert 'href="http://portal.test/dashboard/"' in html_of(message)


def test_it_never_lapses_a_completed_cycle(renewal_type):
    cycle = renewal_cycle(
        renewal_type,
        cycle_end=CYCLE_END,
        earned="15",
        status=Registration.Status.COMPLETED,
        compliance=Registration.Compliance.COMPLIANT,
    )

    run_on(after(CYCLE_END, 1))

    cycle.refresh_from_db()
    assert cycle.status == Registration.Status.COMPLETED
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("days_left", "subject"),
    [
        (365, "Earn 12 more contact hours by 02/06/2028 — 365 days left in your renewal cycle"),
        (180, "Earn 12 more contact hours by 02/06/2028 — 180 days left in your renewal cycle"),
        (90, "Earn 12 more contact hours by 02/06/2028 — 90 days left in your renewal cycle"),
        (30, "Earn 12 more contact hours by 02/06/2028 — 30 days left in your renewal cycle"),
    ],
)
def test_it_reminds_on_each_reminder_day_with_earned_and_required_hours(
    renewal_type, days_left, subject
):
    cycle = renewal_cycle(renewal_type, cycle_end=CYCLE_END, earned="3")

    counts = run_on(after(CYCLE_END, -days_left))

    assert counts["renewal_reminders"] == 1
    (message,) = emails_to(cycle.user.email)
    assert message.subject == subject
    assert "Earned: 3 of 15 required contact hours (12 still needed)" in message.body
    assert "ends on 02/06/2028" in message.body
    assert "http://portal.test/dashboard/" in message.body


@pytest.mark.parametrize(("earlier", "days_left"), [(None, 366), (365, 181), (180, 91), (90, 31)])
def test_it_sends_nothing_the_day_before_a_reminder_day(renewal_type, earlier, days_left):
    renewal_cycle(renewal_type, cycle_end=CYCLE_END)
    if earlier:  # the earlier reminder went out on its day
        run_on(after(CYCLE_END, -earlier))
        mail.outbox.clear()

    counts = run_on(after(CYCLE_END, -days_left))

    assert counts["renewal_reminders"] == 0
    assert mail.outbox == []


@pytest.mark.parametrize("days_left", [365, 180, 90, 30])
def test_it_sends_nothing_more_the_day_after_a_reminder_day(renewal_type, days_left):
    renewal_cycle(renewal_type, cycle_end=CYCLE_END)
    run_on(after(CYCLE_END, -days_left))

    counts = run_on(after(CYCLE_END, -days_left + 1))

    assert counts["renewal_reminders"] == 0
    assert len(mail.outbox) == 1


def test_a_missed_renewal_reminder_goes_out_late_once(renewal_type):
    cycle = renewal_cycle(renewal_type, cycle_end=CYCLE_END)

    late = run_on(after(CYCLE_END, -85))  # no run on the 90-days-left day
    again = run_on(after(CYCLE_END, -84))

    assert (late["renewal_reminders"], again["renewal_reminders"]) == (1, 0)
    assert len(emails_to(cycle.user.email)) == 1


def test_a_reminder_day_longer_ago_than_the_catch_up_days_is_not_caught_up(renewal_type):
    renewal_cycle(renewal_type, cycle_end=CYCLE_END)

    counts = run_on(after(CYCLE_END, -100))  # the 180-days-left day was 80 days ago

    assert counts["renewal_reminders"] == 0


def test_it_does_not_remind_a_completed_cycle(renewal_type):
    renewal_cycle(
        renewal_type,
        cycle_end=CYCLE_END,
        earned="16",
        status=Registration.Status.COMPLETED,
        compliance=Registration.Compliance.COMPLIANT,
    )

    counts = run_on(after(CYCLE_END, -30))

    assert counts["renewal_reminders"] == 0
    assert mail.outbox == []


def test_half_hours_are_shown_as_written(renewal_type):
    cycle = renewal_cycle(renewal_type, cycle_end=CYCLE_END, earned="10.5")

    run_on(after(CYCLE_END, -90))

    (message,) = emails_to(cycle.user.email)
    assert message.subject.startswith("Earn 4.5 more contact hours by 02/06/2028")
    assert "Earned: 10.5 of 15 required contact hours" in message.body


def test_the_renewal_task_alone_reminds_and_lapses(renewal_type):
    ending = renewal_cycle(renewal_type, cycle_end=CYCLE_END)
    reminded = renewal_cycle(renewal_type, cycle_end=after(CYCLE_END, 31))

    with clock_at(after(CYCLE_END, 1)):
        counts = run_renewal_windows()

    assert counts == {"renewal_lapsed": 1, "renewal_reminders": 1, "emails_sent": 2}
    assert len(emails_to(ending.user.email)) == len(emails_to(reminded.user.email)) == 1
    assert OutboxMessage.objects.filter(sent_at__isnull=False).count() == 2
