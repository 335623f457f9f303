"""Asynchronous training end to end in Chromium: a course from a source not on KDLA's list
is approved, completed, proven and counted toward renewal credits."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from certifications.models import CredentialType, Registration
from courses.models import AsyncCompletion, Course, CourseApprovalRequest
from tests.asynchronous.factories import PDF_BYTES, make_reviewer
from tests.e2e.accessibility import assert_accessible, visit
from tests.factories import PASSWORD, CredentialTypeFactory, RegistrationFactory, UserFactory


def sign_in(page: Page, url: str, email: str) -> None:
    visit(page, url)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form [type=submit]").click()
    page.wait_for_load_state()
    assert_accessible(page)


def approve_first_in_queue(page: Page, queue_url: str, row_name: str) -> None:
    visit(page, queue_url)
    page.get_by_role("link", name=row_name).first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Approve").click()
    assert_accessible(page)
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("the person will be emailed")).to_be_visible()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_a_course_from_an_unlisted_source_is_approved_completed_and_counted(
    live_server, page: Page, browser: Browser, migration_installed_data
):
    today = timezone.localdate()
    staff = UserFactory(email="pat@example.org", first_name="Pat")
    renewal = RegistrationFactory(
        user=staff,
        credential_type=CredentialTypeFactory(
            kind=CredentialType.Kind.RENEWAL_CREDITS,
            cycle_label="Part Time Certification- Renewal credits",
            required_credits=Decimal("15"),
            accepts_async_courses=True,
        ),
        cycle_start=today - datetime.timedelta(days=365),
        cycle_end=today + datetime.timedelta(days=4 * 365),
    )
    make_reviewer(email="reviewer@example.org")

    # Anyone can read the list and the rules.
    visit(page, f"{live_server.url}/training/")
    expect(page.get_by_role("heading", name="Approved asynchronous training")).to_be_visible()
    expect(page.get_by_role("link", name="Library Juice Academy")).to_be_visible()

    # The staff member asks for approval of a course from a source not on the list.
    sign_in(page, f"{live_server.url}/accounts/login/", "pat@example.org")
    visit(page, f"{live_server.url}/training/")
    page.get_by_role("link", name="Asynchronous Course Approval Submission Form").click()
    assert_accessible(page)
    page.get_by_label("Provider name").fill("Kentucky Library Association")
    page.get_by_label("Provider URL").fill("https://www.klaonline.org/")
    page.get_by_label("Course title").fill("Grant Writing for Libraries")
    page.get_by_label("Course URL").fill("https://www.klaonline.org/grant-writing")
    page.get_by_label("Description").fill("Finding, writing and reporting on grants.")
    page.get_by_label("Length in hours").fill("12")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("was sent to KDLA for review")).to_be_visible()
    assert_accessible(page)

    # A reviewer approves it in the review site.
    reviewer_page = browser.new_page()
    sign_in(reviewer_page, f"{live_server.url}/admin/login/", "reviewer@example.org")
    approve_first_in_queue(
        reviewer_page,
        f"{live_server.url}/admin/courses/courseapprovalrequest/",
        "Grant Writing for Libraries",
    )
    course = Course.objects.get(title="Grant Writing for Libraries")
    assert course.format == Course.Format.ASYNC_EXTERNAL
    assert CourseApprovalRequest.objects.get().status == CourseApprovalRequest.Status.APPROVED

    # The staff member reports its completion with a proof PDF toward renewal credits.
    visit(page, f"{live_server.url}/training/")
    expect(page.get_by_role("rowheader", name="Grant Writing for Libraries")).to_be_visible()
    page.get_by_role("link", name="Report a completed asynchronous course").click()
    assert_accessible(page)
    page.get_by_label("Credential it counts toward").select_option(str(renewal.pk))
    page.get_by_label("Approved course").select_option(str(course.pk))
    page.get_by_label("Completion date").fill(f"{today - datetime.timedelta(days=3):%Y-%m-%d}")
    page.get_by_role("spinbutton", name="Hours").fill("12")
    page.get_by_label("Proof of successful completion").set_input_files(
        {"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name="Submit proof of completion").click()
    expect(page.get_by_text("Your proof of completion was sent to KDLA")).to_be_visible()
    assert_accessible(page)

    # The reviewer approves the proof.
    approve_first_in_queue(
        reviewer_page,
        f"{live_server.url}/admin/courses/asynccompletion/",
        "Grant Writing for Libraries",
    )
    assert AsyncCompletion.objects.get().status == AsyncCompletion.Status.APPROVED
    renewal.refresh_from_db()
    assert renewal.earned_credits == Decimal("12")
    assert renewal.status == Registration.Status.ACTIVE

    # The dashboard's earned credits and the transcript show it.
    visit(page, f"{live_server.url}/dashboard/")
    expect(page.locator(".earned-credits").first).to_have_text("12")
    visit(page, f"{live_server.url}/transcript/")
    section = page.locator("section", has=page.get_by_role("heading", name="Asynchronous courses"))
    expect(section.get_by_role("rowheader", name="Grant Writing for Libraries")).to_be_visible()
    expect(section.get_by_role("cell", name="Kentucky Library Association")).to_be_visible()
    reviewer_page.close()
