"""A reviewer extends one person's upload deadline or cycle end with a reason: History keeps
it, the person sees the new date and the reason, and reminders and the sweep follow it."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from certifications.models import DeadlineExtension, Registration
from certifications.services.deadlines import (
    lapse_ended_renewal_cycles,
    lapse_missed_upload_deadlines,
)
from certifications.services.extensions import registration_extend_deadline
from certifications.services.registrations import credential_register
from certifications.services.reminders import renewal_reminders_due, upload_reminders_due
from courses.kdla_catalogue import PART_TIME_REQUIRED_COURSES
from tests.certifications.kdla_history import (
    INITIAL,
    RENEWAL_CREDITS,
    complete_courses,
    kdla_credential,
)
from tests.certifications.kdla_history import open_renewal_cycle as renewal_cycle_of
from tests.factories import UserFactory
from tests.reviews.builders import reviewer

pytestmark = pytest.mark.django_db
KENTUCKY = ZoneInfo("America/New_York")
Deadline = DeadlineExtension.Deadline
TODAY = datetime.date(2027, 2, 8)


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(datetime.datetime(2027, 2, 8, 10, tzinfo=KENTUCKY), tick=False)


@pytest.fixture
def application():
    person = UserFactory(first_name="Casey")
    complete_courses(person, PART_TIME_REQUIRED_COURSES, datetime.date(2027, 1, 15))
    return credential_register(user=person, credential_type=kdla_credential(INITIAL))


def test_a_reviewer_extends_an_upload_deadline_in_the_review_site(client, application):
    robin = reviewer()
    client.force_login(robin)
    change_page = client.get(
        reverse("admin:certifications_registration_change", args=[application.pk])
    )
    assert "Extend this person's deadline" in change_page.content.decode()
    response = client.post(
        reverse("admin:certifications_deadlineextension_add"),
        {
            "registration": application.pk,
            "deadline": Deadline.UPLOAD_DUE,
            "new_date": "04/09/2027",
            "reason": "Director on leave; signature expected in April.",
        },
    )
    assert response.status_code == 302

    application.refresh_from_db()
    assert application.upload_due_on == datetime.date(2027, 4, 9)
    extension = DeadlineExtension.objects.get()
    assert (extension.previous_date, extension.granted_by) == (datetime.date(2027, 3, 10), robin)
    latest = application.history.latest()
    assert latest.history_user == robin
    assert latest.history_change_reason == (
        "Upload deadline extended: Director on leave; signature expected in April."
    )
    # The person sees the new date and the reason.
    client.force_login(application.user)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert (
        "Upload deadline extended by KDLA to 04/09/2027: Director on leave; signature "
        "expected in April." in dashboard
    )
    assert "by 04/09/2027" in dashboard
    # Reminders and the sweep follow the new date.
    assert application in upload_reminders_due(today=datetime.date(2027, 4, 2))
    assert application not in upload_reminders_due(today=datetime.date(2027, 3, 3))
    assert lapse_missed_upload_deadlines(today=datetime.date(2027, 3, 11)) == 0
    assert lapse_missed_upload_deadlines(today=datetime.date(2027, 4, 10)) == 1


def test_an_extended_cycle_end_moves_the_reminders_and_the_lapse():
    cycle = renewal_cycle_of(UserFactory(), cycle_start=datetime.date(2022, 6, 1))
    registration_extend_deadline(
        registration=cycle,
        deadline=Deadline.CYCLE_END,
        new_date=datetime.date(2027, 12, 1),
        reason="Medical leave.",
        reviewer=reviewer(),
    )
    cycle.refresh_from_db()
    assert cycle.cycle_end == datetime.date(2027, 12, 1)
    assert cycle in renewal_reminders_due(today=datetime.date(2027, 11, 1))
    assert lapse_ended_renewal_cycles(today=datetime.date(2027, 6, 2)) == 0
    assert lapse_ended_renewal_cycles(today=datetime.date(2027, 12, 2)) == 1


@pytest.mark.parametrize(
    ("new_date", "reason", "message"),
    [
        (datetime.date(2027, 4, 9), "  ", "Write the reason for the extension"),
        (datetime.date(2027, 3, 1), "Leave.", "Choose a date after the current one (03/10/2027)."),
    ],
)
def test_it_refuses_an_extension_without_reason_or_to_an_earlier_date(
    application, new_date, reason, message
):
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        registration_extend_deadline(
            registration=application,
            deadline=Deadline.UPLOAD_DUE,
            new_date=new_date,
            reason=reason,
            reviewer=reviewer(),
        )
    application.refresh_from_db()
    assert application.upload_due_on == datetime.date(2027, 3, 10)
    assert DeadlineExtension.objects.count() == 0


def test_it_refuses_a_cycle_end_that_would_overlap_the_next_cycle():
    person = UserFactory()
    first = renewal_cycle_of(person, cycle_start=datetime.date(2022, 1, 1))
    first.status = Registration.Status.COMPLETED
    first.save()
    renewal_cycle_of(person, cycle_start=datetime.date(2027, 1, 2))
    with pytest.raises(ValidationError, match="The next cycle starts on 01/02/2027"):
        registration_extend_deadline(
            registration=first,
            deadline=Deadline.CYCLE_END,
            new_date=datetime.date(2027, 6, 1),
            reason="Leave.",
            reviewer=reviewer(),
        )
    assert DeadlineExtension.objects.count() == 0


def test_it_refuses_to_reopen_a_lapsed_cycle():
    cycle = renewal_cycle_of(UserFactory(), cycle_start=datetime.date(2021, 1, 1))
    cycle.status = Registration.Status.LAPSED
    cycle.lapsed_on = datetime.date(2026, 1, 2)
    cycle.save()
    with pytest.raises(ValidationError, match="lapsed on 01/02/2026"):
        registration_extend_deadline(
            registration=cycle,
            deadline=Deadline.CYCLE_END,
            new_date=datetime.date(2027, 6, 1),
            reason="Leave.",
            reviewer=reviewer(),
        )
    assert kdla_credential(RENEWAL_CREDITS).registrations.get().cycle_end == cycle.cycle_end
