"""``manage.py run_deadlines [--dry-run] [--today YYYY-MM-DD]``."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from certifications.models import Registration
from notifications.models import OutboxMessage
from tests.jobs.conftest import REGISTERED_ON, after, application, clock_at, renewal_cycle

pytestmark = pytest.mark.django_db


def run_deadlines(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("run_deadlines", *args, stdout=out)
    return out.getvalue()


def test_it_runs_the_jobs_for_the_given_day_and_prints_counts(application_type, renewal_type):
    lapsing = application(application_type)
    application(application_type, registered_on=after(REGISTERED_ON, 26))  # 25 days left: none
    renewal_cycle(renewal_type, cycle_end=after(REGISTERED_ON, 31 + 30))

    output = run_deadlines("--today", "2027-03-11")

    assert output.splitlines() == [
        "Daily deadline jobs for 03/11/2027:",
        "  Upload deadlines passed (registrations lapsed): 1",
        "  Upload reminders: 0",
        "  Renewal cycles ended short of hours (lapsed): 0",
        "  Renewal reminders: 1",
        "  Reviewer digests: 0",
        "  Emails sent: 2",
    ]
    lapsing.refresh_from_db()
    assert lapsing.status == Registration.Status.LAPSED
    assert len(mail.outbox) == 2


def test_without_a_day_it_uses_today_in_new_york(application_type):
    application(application_type)

    with clock_at(after(REGISTERED_ON, 31), hour=0, minute=10):
        output = run_deadlines()

    assert "Daily deadline jobs for 03/11/2027:" in output
    assert "Upload deadlines passed (registrations lapsed): 1" in output


def test_a_dry_run_counts_but_changes_and_sends_nothing(application_type, renewal_type):
    lapsing = application(application_type)
    renewal_cycle(renewal_type, cycle_end=after(REGISTERED_ON, 30))

    output = run_deadlines("--dry-run", "--today", "2027-03-11")

    assert output.splitlines() == [
        "Dry run for 03/11/2027: nothing was changed or sent.",
        "  Upload deadlines passed (registrations lapsed): 1",
        "  Upload reminders: 0",
        "  Renewal cycles ended short of hours (lapsed): 1",
        "  Renewal reminders: 0",
        "  Reviewer digests: 0",
        "  Emails that would be sent: 2",
    ]
    lapsing.refresh_from_db()
    assert lapsing.status == Registration.Status.ACTIVE
    assert Registration.history.count() == 2
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("day", ["03/11/2027", "2027-02-30", "tomorrow"])
def test_it_refuses_a_day_not_written_yyyy_mm_dd(application_type, day):
    registration = application(application_type)

    with pytest.raises(CommandError, match="--today must be a date written YYYY-MM-DD"):
        run_deadlines("--today", day)

    registration.refresh_from_db()
    assert registration.status == Registration.Status.ACTIVE
    assert OutboxMessage.objects.count() == 0
