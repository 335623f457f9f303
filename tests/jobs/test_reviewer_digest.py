"""One daily email to each active KDLA reviewer listing what has waited more than 7 days."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from certifications.models import ExternalFile
from certifications.tasks import run_daily_deadlines, send_reviewer_digest
from tests.factories import UserFactory
from tests.jobs.conftest import (
    after,
    application,
    clock_at,
    credit_request,
    emails_to,
    external_file,
    html_of,
    new_york,
    renewal_cycle,
    reviewer,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2027, 3, 1)


def run_on(day) -> dict[str, int]:
    with clock_at(day):
        return run_daily_deadlines()


def waiting_file(application_type, *, waited_days: int, hour: int = 12) -> ExternalFile:
    registration = application(application_type, registered_on=after(TODAY, -waited_days - 1))
    return external_file(
        registration,
        status=ExternalFile.Status.PENDING,
        submitted_at=new_york(after(TODAY, -waited_days), hour),
    )


def test_it_lists_files_and_credit_requests_waiting_more_than_7_days(
    application_type, renewal_type
):
    robin = reviewer(first_name="Robin", email="robin@kdla.example.org")
    old_file = waiting_file(application_type, waited_days=8, hour=23)
    waiting_file(application_type, waited_days=7, hour=0)
    cycle = renewal_cycle(renewal_type, cycle_end=after(TODAY, 400))
    credit_request(cycle, submitted_at=new_york(after(TODAY, -12), 9), course="Annual Summation")
    credit_request(cycle, submitted_at=new_york(after(TODAY, -3), 9), course="Recent workshop")

    counts = run_on(TODAY)

    assert counts["reviewer_digests"] == 1
    (message,) = emails_to(robin.email)
    assert message.subject == (
        "Review queue 03/01/2027: 1 file and 1 credit request waiting more than 7 days"
    )
    assert old_file.registration.user.full_name in message.body
    assert "Application for Certification of Part-Time Library Staff" in message.body
    assert "Annual Summation" in message.body
    assert "Recent workshop" not in message.body
    assert '<th scope="col"' in html_of(message)
    assert "http://portal.test/admin/" in message.body


def test_it_is_sent_to_every_active_reviewer_and_nobody_else(application_type):
    first = reviewer()
    second = reviewer()
    reviewer(is_active=False)
    staff_member = UserFactory()
    waiting_file(application_type, waited_days=10)

    run_on(TODAY)

    assert sorted(message.to[0] for message in mail.outbox) == sorted([first.email, second.email])
    assert not emails_to(staff_member.email)


def test_it_is_not_sent_when_nothing_has_waited_long_enough(application_type):
    reviewer()
    waiting_file(application_type, waited_days=7)

    with clock_at(TODAY):
        counts = send_reviewer_digest()

    assert counts == {"reviewer_digests": 0, "emails_sent": 0}
    assert mail.outbox == []


def test_it_is_sent_once_a_day(application_type):
    robin = reviewer()
    waiting_file(application_type, waited_days=10)

    run_on(TODAY)
    run_on(TODAY)
    run_on(after(TODAY, 1))

    assert len(emails_to(robin.email)) == 2


def test_the_waiting_period_is_configurable(application_type, settings):
    settings.REVIEWER_DIGEST_AFTER_DAYS = 2
    robin = reviewer()
    waiting_file(application_type, waited_days=3)

    run_on(TODAY)

    (message,) = emails_to(robin.email)
    assert "waiting more than 2 days" in message.subject


def test_it_lists_every_registered_queue_with_the_words_of_each(application_type):
    from certificates.models import NameChangeRequest
    from tests.asynchronous.factories import AsyncCompletionFactory, CourseApprovalRequestFactory

    robin = reviewer(first_name="Robin")
    long_ago = new_york(after(TODAY, -20), 9)
    CourseApprovalRequestFactory(course_title="Grant Writing for Libraries", submitted_at=long_ago)
    AsyncCompletionFactory(course_title="Data Literacy for Librarians", submitted_at=long_ago)
    AsyncCompletionFactory(course_title="Just reported", submitted_at=new_york(TODAY, 8))
    NameChangeRequest.objects.create(
        user=UserFactory(first_name="Ada", last_name="Byron"),
        current_name="Ada Byron",
        new_first_name="Ada",
        new_last_name="Lovelace",
        proof="name-change-proofs/proof.pdf",
        proof_name="proof.pdf",
        proof_content_type="application/pdf",
        proof_size=10,
        submitted_at=long_ago,
    )

    run_on(TODAY)

    (message,) = emails_to(robin.email)
    assert message.subject == (
        "Review queue 03/01/2027: 1 course approval request, 1 asynchronous completion and "
        "1 name change waiting more than 7 days"
    )
    assert "Asynchronous course approval requests (1):" in message.body
    assert "Grant Writing for Libraries (Kentucky Library Association, 12 hours)" in message.body
    assert "Data Literacy for Librarians (12 hours), received 02/09/2027" in message.body
    assert "Ada Byron: to be named Ada Lovelace" in message.body
    assert "Just reported" not in message.body
    assert "Files (" not in message.body  # an empty queue is left out
