import csv
import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from certifications.services.earned import registrations_refresh_earned
from courses.models import AsyncCompletion, Course, Enrollment
from tests.certifications.kdla_history import (
    complete_course,
    decided_credit_request,
    open_renewal_cycle,
)
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    ProviderFactory,
    UserFactory,
    decided_fields,
)

pytestmark = pytest.mark.django_db
KENTUCKY = ZoneInfo("America/New_York")
# Session, user, library, registrations, completed courses, approved credits, approved
# asynchronous courses.
QUERY_BOUND = 8


@pytest.fixture(autouse=True)
def today(time_machine) -> datetime.date:
    time_machine.move_to(datetime.datetime(2027, 2, 8, 9, 0, tzinfo=KENTUCKY), tick=False)
    return datetime.date(2027, 2, 8)


@pytest.fixture
def staff_member():
    return UserFactory(first_name="Casey", last_name="Jones")


@pytest.fixture
def signed_in(client, staff_member):
    client.force_login(staff_member)
    return client


@pytest.fixture
def history(staff_member):
    """A renewal cycle from 02/06/2023 with one course and credits inside it, a course before
    it, a rejected request and an external course that does not count automatically."""
    cycle = open_renewal_cycle(staff_member, cycle_start=datetime.date(2023, 2, 6))
    complete_course(
        staff_member,
        CourseFactory(title="Reference Basics", contact_hours=Decimal("3")),
        datetime.date(2023, 1, 10),
    )
    complete_course(
        staff_member,
        CourseFactory(title="Library Budgets and Boards", contact_hours=Decimal("3.5")),
        datetime.date(2024, 5, 2),
    )
    # An imported record of an outside course: its hours count only through an approved
    # proof of completion, never as a portal course.
    EnrollmentFactory(
        user=staff_member,
        course=CourseFactory(
            title="Coursera: Data Literacy",
            contact_hours=Decimal("12"),
            format=Course.Format.ASYNC_EXTERNAL,
        ),
        status=Enrollment.Status.COMPLETED,
        completed_on=datetime.date(2024, 6, 2),
    )
    decided_credit_request(
        cycle,
        activity_date=datetime.date(2025, 1, 6),
        requested="15",
        approved="10",
        reviewer_note="good",
    )
    decided_credit_request(
        cycle,
        activity_date=datetime.date(2025, 2, 6),
        requested="5",
        approved="0",
        reviewer_note="No documentation",
        course="=HYPERLINK(1)",
    )
    return cycle


def test_it_lists_each_cycle_with_its_courses_and_approved_credits(signed_in, history):
    response = signed_in.get(reverse("transcript"))
    assert response.status_code == 200
    transcript = response.context["transcript"]
    [cycle] = transcript.cycles
    assert [e.course.title for e in cycle.courses] == ["Library Budgets and Boards"]
    assert [(c.course, c.approved_credits) for c in cycle.credits] == [
        ("Annual Summation", Decimal("10"))
    ]
    assert cycle.total == Decimal("13.5")
    history.refresh_from_db()
    assert cycle.total == history.earned_credits
    html = response.content.decode()
    assert "Part Time Certification- Renewal credits: 02/06/2023 – 02/06/2028" in html
    assert "05/02/2024" in html
    assert "01/06/2025" in html
    assert ">13.5<" in html


def test_approved_asynchronous_courses_count_up_to_the_limit(signed_in, staff_member):
    cycle = open_renewal_cycle(staff_member, cycle_start=datetime.date(2023, 2, 6))
    credential = cycle.credential_type
    credential.max_async_hours = Decimal("10")
    credential.save()
    provider = ProviderFactory(name="Coursera")
    for title, status in [("Data Literacy", "APPROVED"), ("Project Management", "PENDING")]:
        AsyncCompletion.objects.create(
            user=staff_member,
            registration=cycle,
            provider=provider,
            course_title=title,
            completed_on=datetime.date(2024, 3, 1),
            hours=Decimal("12"),
            proof="async-proofs/certificate.pdf",
            proof_name="certificate.pdf",
            proof_content_type="application/pdf",
            status=status,
            **decided_fields(status),
        )
    registrations_refresh_earned(registration_ids=[cycle.pk])
    response = signed_in.get(reverse("transcript"))
    [transcript_cycle] = response.context["transcript"].cycles
    assert [a.course_title for a in transcript_cycle.async_completions] == ["Data Literacy"]
    assert transcript_cycle.async_hours == Decimal("10")
    cycle.refresh_from_db()
    assert transcript_cycle.total == cycle.earned_credits == Decimal("10")
    assert "Asynchronous courses (at most 10 count)" in response.content.decode()
    content = signed_in.get(reverse("transcript_csv")).content.decode()
    assert "Asynchronous course,03/01/2024,Data Literacy,12" in content


def test_every_completed_course_is_listed_even_outside_a_cycle(signed_in, history):
    transcript = signed_in.get(reverse("transcript")).context["transcript"]
    assert [e.course.title for e in transcript.completed_courses] == [
        "Reference Basics",
        "Library Budgets and Boards",
        "Coursera: Data Literacy",
    ]


def test_it_is_printable(signed_in, history):
    html = signed_in.get(reverse("transcript")).content.decode()
    assert "data-print-page>Print</button>" in html
    assert f'href="{reverse("transcript_csv")}"' in html


def test_the_csv_download_has_the_same_rows(signed_in, history):
    response = signed_in.get(reverse("transcript_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="kdla-transcript-2027-02-08.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    label = "Part Time Certification- Renewal credits"
    assert rows[0][:4] == ["Credential", "Cycle Start", "Cycle End", "Kind"]
    assert [label, "02/06/2023", "02/06/2028", "Course", "05/02/2024"] == rows[1][:5]
    assert rows[1][5:7] == ["Library Budgets and Boards", "3.5"]
    assert rows[2][3:] == ["Approved credit", "01/06/2025", "Annual Summation", "10", "good"]
    assert rows[3][3:7] == ["Total", "", "", "13.5"]


def test_the_csv_cannot_smuggle_a_spreadsheet_formula(signed_in, staff_member):
    cycle = open_renewal_cycle(staff_member, cycle_start=datetime.date(2023, 2, 6))
    decided_credit_request(
        cycle,
        activity_date=datetime.date(2025, 1, 6),
        requested="1",
        approved="1",
        course='=HYPERLINK("http://example.com")',
    )
    content = signed_in.get(reverse("transcript_csv")).content.decode()
    assert "'=HYPERLINK" in content
    assert ",=HYPERLINK" not in content


def test_it_shows_nobody_elses_history(signed_in):
    other = UserFactory()
    complete_course(other, CourseFactory(title="Secret Course"), datetime.date(2024, 1, 1))
    open_renewal_cycle(other, cycle_start=datetime.date(2023, 2, 6))
    response = signed_in.get(reverse("transcript"))
    assert "Secret Course" not in response.content.decode()
    assert response.context["transcript"].cycles == []
    assert "Secret Course" not in signed_in.get(reverse("transcript_csv")).content.decode()


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize("page", ["transcript", "transcript_csv"])
def test_it_runs_a_fixed_number_of_queries(
    signed_in, staff_member, django_assert_max_num_queries, count, page
):
    cycle = open_renewal_cycle(staff_member, cycle_start=datetime.date(2023, 2, 6))
    for number in range(count):
        complete_course(
            staff_member,
            CourseFactory(title=f"Course {number}", contact_hours=Decimal("0.5")),
            datetime.date(2024, 1, 1) + datetime.timedelta(days=number),
        )
        decided_credit_request(
            cycle, activity_date=datetime.date(2025, 1, 1), requested="0.5", approved="0.5"
        )
    with django_assert_max_num_queries(QUERY_BOUND):
        response = signed_in.get(reverse(page))
    assert response.status_code == 200
    assert response.content.decode().count("Course ") >= count
