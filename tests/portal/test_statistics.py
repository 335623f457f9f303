"""The statewide statistics on a small dataset whose figures each test states."""

import csv
import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import County
from accounts.reviewers import add_to_reviewers
from certifications.models import CredentialType, ExternalFile, Registration
from courses.models import AsyncCompletion, Enrollment
from credits.models import CreditRequest
from portal.statistics import (
    SUPPRESSED,
    TABLE_BUILDERS,
    display_cell,
    people_count,
    quarter_of,
    share,
    statewide_statistics,
)
from portal.statistics_exports import XLSX_CONTENT_TYPE
from tests.factories import (
    CourseFactory,
    CredentialTypeFactory,
    DocumentTypeFactory,
    EnrollmentFactory,
    LibraryFactory,
    LibraryRoleFactory,
    ProviderFactory,
    RegistrationFactory,
    UserFactory,
    recorded_reviewer,
)

pytestmark = pytest.mark.django_db
KENTUCKY = ZoneInfo("America/New_York")
TODAY = datetime.date(2027, 2, 8)
# Session, user, the reviewers-group check, the review site's menu (the person's and their
# groups' permissions), then the figures: levels (2), libraries (2), counties (2),
# expiring/lapsed, directors, hours (3), completions, most taken, queues (4), decisions by
# month (2); the cache's version of the data comes first.
SIGNED_IN_QUERIES = 3 + 2
STATEWIDE_QUERIES = SIGNED_IN_QUERIES + 1 + 2 + 2 + 2 + 1 + 1 + 3 + 1 + 1 + 4 + 2


@pytest.fixture(autouse=True)
def _counties(migration_installed_data):
    """Kentucky's counties come from a data migration, which a browser test's flush empties."""


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The figures are cached per version of the data; ids of rolled-back tests can repeat.
    cache.clear()


@pytest.fixture(autouse=True)
def today(time_machine) -> datetime.date:
    time_machine.move_to(datetime.datetime(2027, 2, 8, 9, 0, tzinfo=KENTUCKY), tick=False)
    return TODAY


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=KENTUCKY)


def current_cycle(person, credential, *, hours_met: bool, ends: datetime.date):
    return RegistrationFactory(
        user=person,
        credential_type=credential,
        status=Registration.Status.COMPLETED if hours_met else Registration.Status.ACTIVE,
        compliance=(
            Registration.Compliance.COMPLIANT
            if hours_met
            else Registration.Compliance.NOT_COMPLIANT
        ),
        cycle_start=ends - datetime.timedelta(days=5 * 365),
        cycle_end=ends,
    )


@pytest.fixture
def state():
    """Boyd: 12 staff, 10 certified part-time, 5 of them with hours met (one is the director),
    5 whose cycles end 03/15/2027; 2 uncertified staff with 5 registrations lapsed this quarter
    and 1 lapsed last quarter. Pike: 3 staff, 2 certified professionals, none with hours met.
    """
    boyd = LibraryFactory(name="Boyd County Public Library", county="Boyd")
    pike = LibraryFactory(name="Pike County Public Library District", county="Pike")
    part_time = CredentialTypeFactory(level=CredentialType.Level.PART_TIME)
    professional = CredentialTypeFactory(level=CredentialType.Level.PROFESSIONAL)
    met = [UserFactory(library=boyd) for _ in range(5)]
    short = [UserFactory(library=boyd) for _ in range(5)]
    for person in met:
        current_cycle(person, part_time, hours_met=True, ends=datetime.date(2029, 6, 30))
    for person in short:
        current_cycle(person, part_time, hours_met=False, ends=datetime.date(2027, 3, 15))
    LibraryRoleFactory(user=met[0], library=boyd)
    uncertified = [UserFactory(library=boyd) for _ in range(2)]
    for number in range(6):
        lapsed_on = datetime.date(2027, 1, 20) if number < 5 else datetime.date(2026, 12, 20)
        RegistrationFactory(
            user=uncertified[number % 2],
            status=Registration.Status.LAPSED,
            cycle_start=lapsed_on - datetime.timedelta(days=5 * 365),
            cycle_end=lapsed_on,
            lapsed_on=lapsed_on,
        )
    pike_staff = [UserFactory(library=pike) for _ in range(3)]
    for person in pike_staff[:2]:
        current_cycle(person, professional, hours_met=False, ends=datetime.date(2029, 1, 1))
    return {"boyd": boyd, "pike": pike, "met": met, "short": short}


@pytest.fixture
def activity(state):
    """Hours: a 3-hour course completed by the 6 people in 2026 (18 h), a 1.5-hour course by 2
    in 2027 (3 h), a credit request approved for 2.5 h (activity in 2026), an asynchronous
    course approved for 10 h (2026). Queues: one file waiting 10 days; one file decided in
    January 2027 4 days after its upload, one credit request decided 2 days after."""
    three_hours = CourseFactory(title="Reference Interview Basics", contact_hours=Decimal("3"))
    hour_and_half = CourseFactory(title="Library Law", contact_hours=Decimal("1.5"))
    people = state["met"] + [state["short"][0]]
    for person in people:
        EnrollmentFactory(
            user=person,
            course=three_hours,
            status=Enrollment.Status.COMPLETED,
            completed_on=datetime.date(2026, 5, 1),
        )
    for person in state["short"][1:3]:
        EnrollmentFactory(
            user=person,
            course=hour_and_half,
            status=Enrollment.Status.COMPLETED,
            completed_on=datetime.date(2027, 1, 10),
        )
    EnrollmentFactory(user=state["short"][4], course=hour_and_half)  # registered, not done
    registration = state["met"][1].registrations.get()
    CreditRequest.objects.create(
        user=state["met"][1],
        registration=registration,
        activity_date=datetime.date(2026, 9, 1),
        course="Kentucky Library Association conference",
        description="Three sessions",
        requested_credits=Decimal("3"),
        approved_credits=Decimal("2.5"),
        status=CreditRequest.Status.PARTIALLY_APPROVED,
        documentation="credit-documentation/a.pdf",
        documentation_name="a.pdf",
        documentation_content_type="application/pdf",
        submitted_at=at(datetime.date(2027, 1, 4)),
        decided_at=at(datetime.date(2027, 1, 6)),
        decided_by=recorded_reviewer(),
    )
    AsyncCompletion.objects.create(
        user=state["met"][2],
        registration=state["met"][2].registrations.get(),
        provider=ProviderFactory(),
        course_title="Serving Teens Online",
        completed_on=datetime.date(2026, 11, 2),
        hours=Decimal("10"),
        proof="completion-proofs/p.pdf",
        proof_name="p.pdf",
        proof_content_type="application/pdf",
        status=AsyncCompletion.Status.APPROVED,
        decided_at=at(datetime.date(2026, 11, 20)),
        decided_by=recorded_reviewer(),
    )
    document_type = DocumentTypeFactory()
    for uploaded, status, decided in (
        (TODAY - datetime.timedelta(days=10), ExternalFile.Status.PENDING, None),
        (datetime.date(2027, 1, 5), ExternalFile.Status.APPROVED, datetime.date(2027, 1, 9)),
    ):
        ExternalFile.objects.create(
            registration=registration,
            document_type=document_type,
            description="Signed application",
            file="external-files/f.pdf",
            original_name="f.pdf",
            content_type="application/pdf",
            size=100,
            submitted_at=at(uploaded),
            uploaded_by=state["met"][1],
            status=status,
            decided_at=at(decided) if decided else None,
            decided_by=recorded_reviewer() if decided else None,
        )


def rows_of(slug: str) -> list[list[str]]:
    return statewide_statistics().table(slug).display_rows


def row_named(slug: str, name: str) -> list[str]:
    return next(row for row in rows_of(slug) if row[0] == name)


def test_it_counts_certified_staff_by_level(state):
    assert rows_of("certified-by-level") == [
        ["Part-time", "10"],
        ["Paraprofessional I", "0"],
        ["Paraprofessional II", "0"],
        ["Professional", SUPPRESSED],
        ["All levels", "12"],
    ]


def test_it_shows_compliance_by_library_system(state):
    assert row_named("compliance-by-library", "Boyd County Public Library") == [
        "Boyd County Public Library",
        "12",
        "10",
        "5",
        "50",
    ]
    assert row_named("compliance-by-library", "Pike County Public Library District") == [
        "Pike County Public Library District",
        SUPPRESSED,
        SUPPRESSED,
        "0",
        "not shown",
    ]


def test_it_lists_all_120_counties_with_their_compliance(state):
    rows = rows_of("compliance-by-county")
    assert County.objects.count() == 120
    assert len(rows) == 120
    assert ["Boyd", "12", "10", "5", "50"] in rows
    assert ["Adair", "0", "0", "0", "not shown"] in rows
    assert [row[0] for row in rows][:3] == ["Adair", "Allen", "Anderson"]


def test_it_counts_cycles_ending_and_lapsed_this_quarter(state):
    assert quarter_of(TODAY).label == "01/01/2027–03/31/2027"
    assert rows_of("expiring-and-lapsed") == [
        ["Part-time", "5", "5"],
        ["Paraprofessional I", "0", "0"],
        ["Paraprofessional II", "0", "0"],
        ["Professional", "0", "0"],
        ["All levels", "5", "5"],
    ]


def test_it_shows_directors_status_with_small_numbers_suppressed(state):
    assert rows_of("directors-status") == [
        ["Directors", SUPPRESSED],
        ["Certified, hours met", SUPPRESSED],
        ["Certified, hours not yet met", "0"],
        ["Not certified", "0"],
    ]


def test_it_sums_contact_hours_per_year_by_source(activity):
    assert rows_of("contact-hours-by-year") == [
        ["2026", "18", "2.5", "10", "30.5"],
        ["2027", "3", "0", "0", "3"],
    ]


def test_it_counts_course_completions_and_the_most_taken_courses(activity):
    assert rows_of("course-completions") == [["2026", "6", "6"], ["2027", SUPPRESSED, SUPPRESSED]]
    assert rows_of("most-taken-courses") == [
        ["Reference Interview Basics", "3", "6"],
        ["Library Law", "1.5", SUPPRESSED],
    ]


def test_it_shows_how_long_review_items_have_waited(activity):
    assert row_named("review-queue-age", "Files awaiting review") == [
        "Files awaiting review",
        "1",
        "0",
        "1",
        "0",
        "0",
        "01/29/2027",
    ]
    assert row_named("review-queue-age", "Credit requests awaiting review")[1:] == [
        "0",
        "0",
        "0",
        "0",
        "0",
        "None waiting",
    ]


def test_it_shows_median_days_to_a_decision_per_month(activity):
    rows = rows_of("decisions-over-time")
    assert len(rows) == 12
    assert rows[0][0] == "03/2026"
    assert row_named("decisions-over-time", "01/2027") == ["01/2027", "1", "4", "1", "2"]
    assert row_named("decisions-over-time", "02/2027") == ["02/2027", "0", "", "0", ""]


@pytest.mark.parametrize(
    ("count", "published"), [(0, 0), (1, SUPPRESSED), (4, SUPPRESSED), (5, 5), (120, 120)]
)
def test_it_suppresses_counts_from_one_to_four(count, published):
    assert people_count(count) == published


@pytest.mark.parametrize(
    ("part", "whole", "published"),
    [
        (5, 10, Decimal("50.0")),
        (0, 20, Decimal("0.0")),
        (3, 20, "not shown"),
        (18, 20, "not shown"),
        (0, 0, "not shown"),
    ],
)
def test_it_hides_a_percentage_that_would_reveal_a_small_count(part, whole, published):
    assert share(part, whole) == published


# --- The page -----------------------------------------------------------------------------


@pytest.fixture
def reviewer():
    person = UserFactory(email="robin@kdla.example.org", library=None)
    add_to_reviewers(person)
    return person


def test_it_shows_reviewers_every_table_with_its_chart(client, reviewer, activity):
    client.force_login(reviewer)
    response = client.get(reverse("statewide_statistics"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="compliance-by-county-heading">Compliance by county</h2>' in body
    assert body.count('<svg class="statistics-chart"') == 5
    assert 'role="img" aria-labelledby="compliance-by-county-chart-title' in body
    assert "<script" not in body.split('id="content-main"')[1]
    assert "style=" not in body.split('id="content-main"')[1]
    assert f"as of {TODAY:%m/%d/%Y}" in body


def test_the_review_site_front_page_links_the_statistics(client, reviewer):
    client.force_login(reviewer)
    body = client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("statewide_statistics")}"' in body
    assert f'href="{reverse("statistics_annual_report")}"' in body


@pytest.mark.parametrize(
    "url",
    [
        reverse("statewide_statistics"),
        reverse("statistics_annual_report"),
        reverse("statistics_table_export", args=["certified-by-level", "csv"]),
    ],
)
def test_it_refuses_people_who_are_not_reviewers(client, url, state):
    client.force_login(state["met"][0])  # a library director, not a reviewer
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))

    staff_without_group = UserFactory(is_staff=True, library=None)
    client.force_login(staff_without_group)
    assert client.get(url).status_code == 403


def test_it_sends_signed_out_visitors_to_the_review_site_sign_in(client):
    response = client.get(reverse("statewide_statistics"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("size", [1, 8])
def test_the_statewide_page_runs_a_fixed_number_of_queries(
    client, reviewer, django_assert_num_queries, size
):
    library = LibraryFactory(name="Kenton County Public Library", county="Kenton")
    credential = CredentialTypeFactory()
    for _ in range(size):
        person = UserFactory(library=library)
        current_cycle(person, credential, hours_met=True, ends=datetime.date(2028, 1, 1))
        EnrollmentFactory(
            user=person, status=Enrollment.Status.COMPLETED, completed_on=datetime.date(2026, 3, 1)
        )
    client.force_login(reviewer)
    with django_assert_num_queries(STATEWIDE_QUERIES):
        assert client.get(reverse("statewide_statistics")).status_code == 200
    # Unchanged data: the cached snapshot (one query for the data's version).
    with django_assert_num_queries(SIGNED_IN_QUERIES + 1):
        assert client.get(reverse("statewide_statistics")).status_code == 200
    # The export has no review-site menu: session, user, reviewers group, version.
    with django_assert_num_queries(3 + 1):
        export(client, "compliance-by-county", "csv")


def test_a_change_shows_on_the_next_request(client, reviewer, state):
    client.force_login(reviewer)
    before = client.get(reverse("statewide_statistics")).context["statistics"]
    assert before.table("certified-by-level").rows[0] == ["Part-time", 10]

    person = UserFactory(library=state["boyd"])
    credential = state["met"][0].registrations.get().credential_type
    current_cycle(person, credential, hours_met=True, ends=datetime.date(2029, 6, 30))

    after = client.get(reverse("statewide_statistics")).context["statistics"]
    assert after.table("certified-by-level").rows[0] == ["Part-time", 11]


# --- Exports and the annual report --------------------------------------------------------


def export(client, slug: str, file_format: str):
    return client.get(reverse("statistics_table_export", args=[slug, file_format]))


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def xlsx_rows(response) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("slug", TABLE_BUILDERS)
def test_each_csv_holds_the_numbers_of_the_page(client, reviewer, activity, slug):
    client.force_login(reviewer)
    table = statewide_statistics().table(slug)

    response = export(client, slug, "csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="kdla-{slug}.csv"' in response["Content-Disposition"]
    assert csv_rows(response) == [table.header, *table.display_rows]


def test_the_csv_keeps_the_suppressed_counts_suppressed(client, reviewer, activity):
    client.force_login(reviewer)
    rows = csv_rows(export(client, "compliance-by-library", "csv"))
    assert rows[0] == [
        "Library system",
        "Staff",
        "Certified",
        "Hours met",
        "Certified with hours met (%)",
    ]
    assert ["Boyd County Public Library", "12", "10", "5", "50"] in rows
    assert ["Pike County Public Library District", SUPPRESSED, SUPPRESSED, "0", "not shown"] in rows


@pytest.mark.parametrize("slug", TABLE_BUILDERS)
def test_each_xlsx_holds_the_numbers_of_the_page(client, reviewer, activity, slug):
    client.force_login(reviewer)
    table = statewide_statistics().table(slug)

    response = export(client, slug, "xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    rows = xlsx_rows(response)
    assert rows[0] == table.header
    assert [[display_cell(_as_page_cell(cell)) for cell in row] for row in rows[1:]] == (
        table.display_rows
    )


def _as_page_cell(cell):
    """openpyxl reads numbers back as int or float; the page shows Decimals without a
    trailing .0 and empty cells as empty text."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        return Decimal(str(cell))
    return cell


def test_the_xlsx_keeps_numbers_as_numbers(client, reviewer, activity):
    client.force_login(reviewer)
    rows = xlsx_rows(export(client, "contact-hours-by-year", "xlsx"))
    assert rows == [
        [
            "Year",
            "Portal courses",
            "Credit requests (approved)",
            "Asynchronous providers (approved)",
            "All sources",
        ],
        ["2026", 18, 2.5, 10, 30.5],
        ["2027", 3, 0, 0, 3],
    ]
    rows = xlsx_rows(export(client, "most-taken-courses", "xlsx"))
    assert rows[2] == ["Library Law", 1.5, SUPPRESSED]


@pytest.mark.parametrize(
    ("slug", "file_format"), [("no-such-table", "csv"), ("certified-by-level", "pdf")]
)
def test_it_answers_404_for_an_unknown_table_or_format(client, reviewer, slug, file_format):
    client.force_login(reviewer)
    assert export(client, slug, file_format).status_code == 404


def test_the_annual_report_prints_every_table_with_the_print_stylesheet(client, reviewer, activity):
    client.force_login(reviewer)
    response = client.get(reverse("statistics_annual_report"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Annual report 2027" in body
    assert 'css/statistics-print.css" media="print"' in body
    for slug in TABLE_BUILDERS:
        assert f'data-table="{slug}"' in body
    report = body.split('id="content-main"')[1]
    assert "Download CSV" not in report
    assert "<script" not in report
    assert "style=" not in report
    assert "<style" not in report
