"""KDLA's how-to for part-time staff, step by step, as a new staff member in real Chromium.

Every label clicked is the one the how-to names; KDLA's decisions are made through the review
services, as a reviewer's click in the review site would."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from certifications.kdla_rules import load_kdla_rules
from certifications.models import ExternalFile, Registration
from certifications.services.reviews import external_file_approve
from courses.kdla_catalogue import PART_TIME_REQUIRED_COURSES
from credits.models import CreditRequest
from credits.services.reviews import credit_request_decide
from tests.e2e.accessibility import assert_accessible, visit
from tests.e2e.portal_course import take_portal_course
from tests.factories import LibraryFactory, UserFactory
from tests.fixtures.documents import PDF_BYTES

PART_TIME_APPLICATION = "Application for Certification of Part-Time Library Staff"


def click_and_check(page: Page, locator) -> None:
    locator.click()
    page.wait_for_load_state("domcontentloaded")
    assert_accessible(page)


def dashboard_action(page: Page, name: str):
    """The left-side panel of the Dashboard ("Register for Course", "Request new Credit")."""
    return page.get_by_role("navigation", name="Dashboard actions").get_by_role("link", name=name)


def credentials_row(page: Page, label: str):
    table = page.locator("table.credentials-table")
    return table.locator("tr", has=page.get_by_role("rowheader", name=label, exact=True))


def sign_up(page: Page, base_url: str) -> None:
    visit(page, f"{base_url}/accounts/signup/")
    page.get_by_label("First name").fill("Casey")
    page.get_by_label("Last name").fill("Jones")
    page.get_by_label("Email address").fill("casey@example.org")
    page.get_by_label("Library").select_option(label="Boyd County Public Library (Boyd County)")
    page.get_by_label("Hours worked per month").fill("60")
    page.locator("#id_password1").fill("reading-is-fun-2026")
    page.get_by_label("Password confirmation").fill("reading-is-fun-2026")
    click_and_check(page, page.get_by_role("button", name="Create account"))
    expect(
        page.get_by_text("Thank you. We have sent an email to casey@example.org.")
    ).to_be_visible()
    page.get_by_label("Email address").fill("casey@example.org")
    page.get_by_label("Password").fill("reading-is-fun-2026")
    click_and_check(page, page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def complete_course(page: Page, title: str) -> None:
    click_and_check(page, dashboard_action(page, "Register for Course"))
    card = page.locator("article.course-card", has=page.get_by_role("heading", name=title))
    click_and_check(page, card.get_by_role("button", name="Register"))
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    assert_accessible(page)
    # Read the lesson to its end, take the quiz (the first one failed once, then passed).
    take_portal_course(
        page,
        title,
        fail_first_quiz=title == PART_TIME_REQUIRED_COURSES[0],
        check=lambda: assert_accessible(page),
    )
    expect(page.get_by_text("The course is complete.")).to_be_visible()
    click_and_check(page, page.get_by_role("link", name="Back to Dashboard"))


def register_for_credential(page: Page, name: str) -> None:
    """Register for Course → All categories: KDLA Certifications → Register → Proceed to
    Checkout → Go to Dashboard."""
    click_and_check(page, dashboard_action(page, "Register for Course"))
    categories = page.get_by_label("All categories", exact=True)
    categories.focus()
    categories.select_option(label="KDLA Certifications")
    # The choice filters at once (no Search press, no reload): focus stays on the drop-down.
    card = page.locator("article.credential-card", has=page.get_by_role("heading", name=name))
    expect(card).to_be_visible()
    expect(categories).to_be_focused()
    expect(page.locator("[data-catalogue-status]")).to_contain_text("KDLA Certifications:")
    assert "category=kdla-certifications" in page.url
    click_and_check(page, card.get_by_role("link", name="Register"))
    expect(page.get_by_text("Registrations are free; there is no payment")).to_be_visible()
    click_and_check(page, page.get_by_role("button", name="Proceed to Checkout"))
    click_and_check(page, page.get_by_role("link", name="Go to Dashboard"))


@pytest.mark.django_db(transaction=True)
def test_a_new_part_time_staff_member_follows_the_how_to(live_server, page: Page, tmp_path):
    load_kdla_rules()
    LibraryFactory(name="Boyd County Public Library", county="Boyd")
    reviewer = UserFactory(email="reviewer@example.org", is_staff=True)
    application_pdf = tmp_path / "part-time-application.pdf"
    application_pdf.write_bytes(PDF_BYTES)
    summation_pdf = tmp_path / "annual-summation.pdf"
    summation_pdf.write_bytes(PDF_BYTES)
    today = timezone.localdate()

    sign_up(page, live_server.url)
    expect(page.get_by_text("Complete 4 more courses to apply")).to_be_visible()

    # Initial certification: the four courses in the Learning Portal.
    for title in PART_TIME_REQUIRED_COURSES:
        complete_course(page, title)
    expect(page.get_by_text("All courses are complete")).to_be_visible()

    register_for_credential(page, "Part-time Certification- Initial Application")
    initial = credentials_row(page, "Initial Part Time Certification")
    expect(initial).to_contain_text(f"{today:%m/%d/%Y}")
    expect(initial).to_contain_text(f"{today + datetime.timedelta(days=60):%m/%d/%Y}")
    expect(initial).to_contain_text("30 days left")

    # Upload Missing Files → External Files → Add new file → Submit.
    click_and_check(page, initial.get_by_role("link", name="Upload Missing Files"))
    expect(page.get_by_role("heading", name="External Files")).to_be_visible()
    click_and_check(page, page.get_by_role("link", name="Add new file"))
    page.get_by_label("Document type").select_option(label=PART_TIME_APPLICATION)
    page.get_by_label("Short description").fill("Signed application")
    page.get_by_label("File").set_input_files(str(application_pdf))
    click_and_check(page, page.get_by_role("button", name="Submit"))
    expect(page.get_by_role("cell", name="part-time-application.pdf")).to_be_visible()

    # KDLA approves the file.
    external_file = ExternalFile.objects.get(registration__user__email="casey@example.org")
    external_file_approve(external_file=external_file, reviewer=reviewer)

    visit(page, f"{live_server.url}/dashboard/")
    initial = credentials_row(page, "Initial Part Time Certification")
    expect(initial).to_contain_text("COMPLETED")
    expect(initial).to_contain_text("COMPLIANT")
    expect(initial.get_by_role("link", name="Upload Missing Files")).to_have_count(0)
    renewal = credentials_row(page, "Part Time Certification- Renewal credits")
    expect(renewal).to_contain_text(f"{today:%m/%d/%Y}")
    expect(renewal).to_contain_text(f"{today.replace(year=today.year + 5):%m/%d/%Y}")
    expect(renewal).to_contain_text("ACTIVE")
    progress = renewal.get_by_role("progressbar")
    expect(progress).to_have_attribute("aria-valuemax", "15")
    # The four prerequisite courses earned the initial certification: they do not count
    # toward its renewal (seed 001 shows 0 at this point).
    expect(progress).to_have_attribute("aria-valuenow", "0")
    earned_before = Decimal(progress.get_attribute("aria-valuenow"))

    # Request new Credit with the Annual Summation example.
    click_and_check(page, dashboard_action(page, "Request new Credit"))
    page.get_by_label("Activity Date").fill(f"{today:%m/%d/%Y}")
    page.get_by_label("Course").fill("Annual Summation")
    page.get_by_label("Description").fill("CE Activities")
    page.get_by_label("Credentials to count against").select_option(index=1)
    page.get_by_label("Requested Credits").fill("15")
    page.get_by_label("Documentation").set_input_files(str(summation_pdf))
    click_and_check(page, page.get_by_role("button", name="Request Credit"))
    request_row = page.locator("table.request-credits-table tbody tr")
    expect(request_row).to_contain_text("PENDING")

    # KDLA approves all 15 contact hours.
    credit_request = CreditRequest.objects.get(user__email="casey@example.org")
    credit_request_decide(
        credit_request=credit_request,
        approved_credits=Decimal("15"),
        note="good",
        reviewer=User.objects.get(pk=reviewer.pk),
    )

    visit(page, f"{live_server.url}/dashboard/")
    request_row = page.locator("table.request-credits-table tbody tr")
    expect(request_row).to_contain_text(re.compile(r"APPROVED\s+15\s+15\s+good"))
    renewal = credentials_row(page, "Part Time Certification- Renewal credits")
    # The 15 approved hours are added, and only they.
    cycle = Registration.objects.get(
        user__email="casey@example.org", credential_code="part-time-renewal-credits"
    )
    assert cycle.earned_credits == earned_before + 15
    expect(renewal.get_by_role("progressbar")).to_have_attribute(
        "aria-valuenow", f"{cycle.earned_credits.normalize():f}"
    )
    expect(renewal).to_contain_text("COMPLETED")
    expect(
        page.get_by_text(
            "Completed — you can now register for Part-time Certification- Renewal Application"
        )
    ).to_be_visible()

    # Renewal Certification Application.
    register_for_credential(page, "Part-time Certification- Renewal Application")
    expect(credentials_row(page, "Part Time Certification")).to_contain_text("ACTIVE")
    assert Registration.objects.filter(
        user__email="casey@example.org", credential_code="part-time-renewal-application"
    ).exists()
