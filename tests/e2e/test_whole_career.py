"""A whole career in real Chromium, with the server's clock moved: the initial application
approved, a five-year renewal-credits cycle filled with a portal course and a partly approved
credit request, the renewal application approved, and the next cycle starting the day after the
first one ends. Every label is the one KDLA's how-to (seed 001) names; the reviewer decides in
the review site. Sessions end after 8 idle hours, so after each move of the clock both people
sign in again."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.reviewers import add_to_reviewers
from certifications.kdla_rules import PART_TIME_APPLICATION, load_kdla_rules
from certifications.models import Registration
from certifications.services.deadlines import lapse_ended_renewal_cycles
from courses.kdla_catalogue import PART_TIME_REQUIRED_COURSES
from tests.certifications.kdla_history import RENEWAL_CREDITS, complete_courses
from tests.e2e.accessibility import assert_accessible, visit
from tests.e2e.test_part_time_flow import (
    click_and_check,
    complete_course,
    credentials_row,
    dashboard_action,
    register_for_credential,
)
from tests.e2e.test_reviewer import click_and_check as review_click
from tests.e2e.test_reviewer import open_queue_item, sign_in_to_review_site
from tests.factories import PASSWORD, LibraryFactory, UserFactory
from tests.fixtures.documents import PDF_BYTES

KENTUCKY = ZoneInfo("America/New_York")
APPROVED_ON = datetime.date(2027, 2, 8)
HOURS_EARNED_ON = datetime.date(2028, 3, 15)
INSIDE_SECOND_CYCLE = datetime.date(2032, 3, 1)
RENEWAL_ROW = "Part Time Certification- Renewal credits"
PORTAL_COURSE = "Library Services for Patrons with Disabilities"  # 2 contact hours


def move_clock(time_machine, day: datetime.date) -> None:
    time_machine.move_to(datetime.datetime.combine(day, datetime.time(9), KENTUCKY), tick=True)


def sign_in(page: Page, base_url: str, email: str) -> None:
    visit(page, f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    click_and_check(page, page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def upload_application(page: Page, row_label: str, pdf_path) -> None:
    """Upload Missing Files → External Files → Add new file → Submit."""
    row = credentials_row(page, row_label)
    click_and_check(page, row.get_by_role("link", name="Upload Missing Files"))
    expect(page.get_by_role("heading", name="External Files")).to_be_visible()
    click_and_check(page, page.get_by_role("link", name="Add new file"))
    page.get_by_label("Document type").select_option(label=PART_TIME_APPLICATION)
    page.get_by_label("Short description").fill("Signed application")
    page.get_by_label("File").set_input_files(str(pdf_path))
    click_and_check(page, page.get_by_role("button", name="Submit"))
    expect(page.get_by_role("cell", name=pdf_path.name)).to_be_visible()


def reviewer_approves_the_file(reviewer: Page, base_url: str, file_name: str) -> None:
    visit(reviewer, f"{base_url}/admin/")
    open_queue_item(reviewer, "Files awaiting review", "Casey Jones")
    review_click(reviewer, reviewer.get_by_role("button", name="Approve"))
    expect(reviewer.get_by_text(f"Approved “{file_name}”.")).to_be_visible()


def expect_earned(row, earned: str) -> None:
    progress = row.get_by_role("progressbar")
    expect(progress).to_have_attribute("aria-valuemax", "15")
    expect(progress).to_have_attribute("aria-valuenow", earned)


@pytest.mark.django_db(transaction=True)
def test_a_career_runs_from_the_initial_application_to_the_second_cycle(
    live_server, page: Page, browser: Browser, time_machine, tmp_path, migration_installed_data
):
    base = live_server.url
    move_clock(time_machine, APPROVED_ON)
    load_kdla_rules()
    casey = UserFactory(
        email="casey@example.org",
        first_name="Casey",
        last_name="Jones",
        library=LibraryFactory(name="Boyd County Public Library", county="Boyd"),
    )
    add_to_reviewers(UserFactory(email="robin@example.org", first_name="Robin", library=None))
    # The four courses of the initial certification, completed in the Learning Portal (the
    # how-to test takes them in the browser).
    complete_courses(casey, PART_TIME_REQUIRED_COURSES, APPROVED_ON)
    initial_pdf = tmp_path / "initial-application.pdf"
    renewal_pdf = tmp_path / "renewal-application.pdf"
    summation_pdf = tmp_path / "annual-summation.pdf"
    for path in (initial_pdf, renewal_pdf, summation_pdf):
        path.write_bytes(PDF_BYTES)

    # 02/08/2027: the initial application, approved the same day.
    sign_in(page, base, casey.email)
    register_for_credential(page, "Part-time Certification- Initial Application")
    upload_application(page, "Initial Part Time Certification", initial_pdf)
    reviewer = browser.new_page()
    sign_in_to_review_site(reviewer, base, "robin@example.org")
    reviewer_approves_the_file(reviewer, base, initial_pdf.name)

    visit(page, f"{base}/dashboard/")
    expect(credentials_row(page, "Initial Part Time Certification")).to_contain_text("COMPLIANT")
    renewal = credentials_row(page, RENEWAL_ROW)
    expect(renewal).to_contain_text("02/08/2027")
    expect(renewal).to_contain_text("02/08/2032")
    expect(renewal).to_contain_text("ACTIVE")
    # The four courses earned the certification; they do not count toward its renewal.
    expect_earned(renewal, "0")

    # 03/15/2028: a portal course, and a credit request KDLA approves in part.
    move_clock(time_machine, HOURS_EARNED_ON)
    visit(page, f"{base}/dashboard/")
    # More than 8 idle hours later the session has ended: the sign-in page, not the Dashboard.
    expect(page.get_by_label("Email address")).to_be_visible()
    expect(page.get_by_role("heading", name="Dashboard")).to_have_count(0)
    sign_in(page, base, casey.email)
    complete_course(page, PORTAL_COURSE)
    expect_earned(credentials_row(page, RENEWAL_ROW), "2")

    click_and_check(page, dashboard_action(page, "Request new Credit"))
    page.get_by_label("Activity Date").fill("03/01/2028")
    page.get_by_label("Course").fill("Annual Summation")
    page.get_by_label("Description").fill("CE Activities")
    page.get_by_label("Credentials to count against").select_option(
        label=f"{RENEWAL_ROW} (02/08/2027 – 02/08/2032)"
    )
    page.get_by_label("Requested Credits").fill("20")
    page.get_by_label("Documentation").set_input_files(str(summation_pdf))
    click_and_check(page, page.get_by_role("button", name="Request Credit"))
    expect(page.locator("table.request-credits-table tbody tr")).to_contain_text("PENDING")

    sign_in_to_review_site(reviewer, base, "robin@example.org")
    open_queue_item(reviewer, "Credit requests awaiting review", "Casey Jones")
    reviewer.get_by_label("Approved credits").fill("13")
    reviewer.get_by_label("Note to the person (required)").first.fill("13 hours are CE.")
    review_click(reviewer, reviewer.get_by_role("button", name="Approve some"))
    expect(reviewer.get_by_text("Partially approved: 13 of 20 credits")).to_be_visible()

    visit(page, f"{base}/dashboard/")
    expect(page.locator("table.request-credits-table tbody tr")).to_contain_text(
        re.compile(r"PARTIALLY APPROVED\s+20\s+13\s+13 hours are CE\.")
    )
    renewal = credentials_row(page, RENEWAL_ROW)
    expect_earned(renewal, "15")
    expect(renewal).to_contain_text("COMPLETED")
    expect(renewal).to_contain_text("COMPLIANT")
    expect(
        page.get_by_text(
            "Completed — you can now register for Part-time Certification- Renewal Application"
        )
    ).to_be_visible()

    # The renewal application, registered, uploaded and approved.
    register_for_credential(page, "Part-time Certification- Renewal Application")
    upload_application(page, "Part Time Certification", renewal_pdf)
    reviewer_approves_the_file(reviewer, base, renewal_pdf.name)

    visit(page, f"{base}/dashboard/")
    expect(credentials_row(page, "Part Time Certification")).to_contain_text("COMPLETED")
    # Cycle 2 starts the day after cycle 1 ends (02/08/2032), with nothing earned yet.
    renewal = credentials_row(page, RENEWAL_ROW)
    expect(renewal.locator("td[data-label='Current Cycle Start']")).to_have_text("02/09/2032")
    expect(renewal.locator("td[data-label='Current Cycle End']")).to_have_text("02/09/2037")
    expect(renewal).to_contain_text("ACTIVE")
    expect_earned(renewal, "0")
    expect_first_cycle_collapsed_with_its_totals(page)
    assert_accessible(page)

    # 03/01/2032, inside cycle 2: the daily sweep leaves cycle 1 as it was.
    move_clock(time_machine, INSIDE_SECOND_CYCLE)
    lapse_ended_renewal_cycles(today=INSIDE_SECOND_CYCLE)
    sign_in(page, base, casey.email)
    renewal = credentials_row(page, RENEWAL_ROW)
    expect_earned(renewal, "0")
    expect_first_cycle_collapsed_with_its_totals(page)
    statuses = list(
        Registration.objects.filter(user=casey, credential_code=RENEWAL_CREDITS)
        .order_by("cycle_start")
        .values_list("cycle_start", "cycle_end", "status", "earned_credits")
    )
    assert [(start, end, status) for start, end, status, _ in statuses] == [
        (APPROVED_ON, datetime.date(2032, 2, 8), Registration.Status.COMPLETED),
        (datetime.date(2032, 2, 9), datetime.date(2037, 2, 9), Registration.Status.ACTIVE),
    ]

    click_and_check(page, dashboard_action(page, "Transcript"))
    expect_transcript_lists_each_hour_once(page)


def expect_first_cycle_collapsed_with_its_totals(page: Page) -> None:
    earlier = credentials_row(page, RENEWAL_ROW).locator("details.earlier-cycles")
    expect(earlier).not_to_have_attribute("open", re.compile(".*"))
    expect(earlier.get_by_text("02/08/2027 – 02/08/2032")).to_be_hidden()
    earlier.get_by_text("Earlier cycles (1)").click()
    expect(
        earlier.get_by_text("02/08/2027 – 02/08/2032: Completed, 15 of 15 contact hours")
    ).to_be_visible()
    earlier.get_by_text("Earlier cycles (1)").click()
    expect(earlier).not_to_have_attribute("open", re.compile(".*"))


def expect_transcript_lists_each_hour_once(page: Page) -> None:
    cycles = page.locator("section.transcript-cycle")
    expect(cycles).to_have_count(2)
    second = cycles.filter(
        has=page.get_by_role("heading", name=f"{RENEWAL_ROW}: 02/09/2032 – 02/09/2037")
    )
    first = cycles.filter(
        has=page.get_by_role("heading", name=f"{RENEWAL_ROW}: 02/08/2027 – 02/08/2032")
    )
    expect(second.get_by_text("No contact hours in this cycle yet.")).to_be_visible()
    expect(second.locator(".transcript-total")).to_have_text("0")
    rows = first.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text=PORTAL_COURSE)).to_contain_text(
        re.compile(r"Learning Portal course\s+2")
    )
    expect(rows.filter(has_text="Annual Summation")).to_contain_text(
        re.compile(r"Approved credit\s+13\s+13 hours are CE\.")
    )
    expect(first.locator(".transcript-total")).to_have_text("15")
    # Each hour once: no course or credit appears in two cycles, and the four courses that
    # earned the initial certification appear in none.
    expect(cycles.locator("tbody tr", has_text=PORTAL_COURSE)).to_have_count(1)
    expect(cycles.locator("tbody tr", has_text="Annual Summation")).to_have_count(1)
    for title in PART_TIME_REQUIRED_COURSES:
        expect(cycles.locator("tbody tr", has_text=title)).to_have_count(0)
