"""Upload Missing Files and Request new Credit in real Chromium, with the agency's words."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from certifications.kdla_rules import PART_TIME_APPLICATION, load_kdla_rules
from certifications.models import CredentialType, ExternalFile, Registration
from credits.models import CreditRequest
from credits.services.requests import ACTIVITY_DATE_OUTSIDE_CYCLE
from tests.e2e.accessibility import assert_accessible, visit
from tests.e2e.keyboard import assert_refusal_is_announced
from tests.factories import PASSWORD, RegistrationFactory, UserFactory
from tests.fixtures.documents import ELF_PROGRAM_BYTES, PDF_BYTES


def current_credential(code: str) -> CredentialType:
    return CredentialType.objects.filter(code=code).order_by("-version").first()


def sign_in(page: Page, live_server, person: User, next_path: str) -> None:
    visit(page, f"{live_server.url}/accounts/login/?next={next_path}")
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def file_payload(name: str, content: bytes, mime_type: str = "application/pdf") -> dict:
    return {"name": name, "mimeType": mime_type, "buffer": content}


@pytest.mark.django_db(transaction=True)
def test_a_staff_member_uploads_the_part_time_application(live_server, page: Page):
    load_kdla_rules()
    today = timezone.localdate()
    registration = RegistrationFactory(
        user=UserFactory(first_name="Casey"),
        credential_type=current_credential("part-time-initial-application"),
        cycle_start=today,
        cycle_end=today + datetime.timedelta(days=60),
        upload_due_on=today + datetime.timedelta(days=30),
    )
    files_path = f"/registrations/{registration.pk}/files/"
    sign_in(page, live_server, registration.user, files_path)
    expect(page.get_by_role("heading", name="External Files")).to_be_visible()
    expect(page.get_by_text("Initial Part Time Certification")).to_be_visible()
    expect(page.get_by_text("30 days left of the 30")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add new file").click()
    expect(
        page.get_by_role("heading", name="Fill all information below and submit your file")
    ).to_be_visible()
    assert_accessible(page)

    # A program renamed to .pdf is refused by its content.
    page.get_by_label("Document type").select_option(label=PART_TIME_APPLICATION)
    page.get_by_label("Short description").fill("Signed application")
    page.get_by_label("File").set_input_files(file_payload("application.pdf", ELF_PROGRAM_BYTES))
    page.get_by_role("button", name="Submit").click()
    expect(
        page.locator(".invalid-feedback").get_by_text(
            "“application.pdf” is not a PDF, Word document or image"
        )
    ).to_be_visible()
    assert_refusal_is_announced(page)
    expect(page.locator("[data-error-summary]")).to_contain_text(
        "File: “application.pdf” is not a PDF, Word document or image"
    )
    # The refusal lists the accepted types; the help line saying the same is not repeated.
    upload_field = page.locator("#div_id_upload")
    expect(upload_field.get_by_text("The following document types are accepted")).to_have_count(1)
    assert_accessible(page)
    assert ExternalFile.objects.count() == 0

    page.get_by_label("Document type").select_option(label=PART_TIME_APPLICATION)
    page.get_by_label("Short description").fill("Signed application")
    page.get_by_label("File").set_input_files(file_payload("application.pdf", PDF_BYTES))
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="External Files")).to_be_visible()
    expect(page).to_have_url(re.compile(f"{files_path}$"))
    row = page.get_by_role("row").filter(has_text="Signed application")
    expect(row).to_contain_text(PART_TIME_APPLICATION)
    expect(row.get_by_role("link", name="application.pdf")).to_be_visible()
    expect(row).to_contain_text("Awaiting review")
    expect(page.get_by_text("Your file is awaiting KDLA review")).to_be_visible()
    assert_accessible(page)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING_REVIEW


@pytest.mark.django_db(transaction=True)
def test_a_staff_member_requests_credit_for_the_annual_summation(live_server, page: Page):
    load_kdla_rules()
    cycle_start = timezone.localdate() - datetime.timedelta(days=100)
    registration = RegistrationFactory(
        credential_type=current_credential("part-time-renewal-credits"),
        cycle_start=cycle_start,
        cycle_end=cycle_start + datetime.timedelta(days=5 * 365 + 1),
    )
    sign_in(page, live_server, registration.user, "/credits/new/")
    heading = "Fill all information below and submit for request your credits"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert_accessible(page)

    def fill_request(activity_date: datetime.date) -> None:
        page.get_by_label("Activity Date").fill(activity_date.strftime("%m/%d/%Y"))
        page.get_by_label("Course").fill("Annual Summation")
        page.get_by_label("Description").fill("CE Activities")
        page.get_by_label("Credentials to count against").select_option(
            label=(
                f"Part Time Certification- Renewal credits ({cycle_start:%m/%d/%Y} – "
                f"{registration.cycle_end:%m/%d/%Y})"
            )
        )
        page.get_by_label("Requested Credits").fill("15")
        page.get_by_label("Documentation").set_input_files(
            file_payload("annual-summation.pdf", PDF_BYTES)
        )
        page.get_by_role("button", name="Request Credit").click()

    fill_request(timezone.localdate() - datetime.timedelta(days=7))
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(
        page.get_by_text(
            "Your request for 15 credits for “Annual Summation” was sent to KDLA for review."
        )
    ).to_be_visible()
    assert_accessible(page)
    assert CreditRequest.objects.get().status == CreditRequest.Status.PENDING

    visit(page, f"{live_server.url}/credits/new/")
    fill_request(cycle_start - datetime.timedelta(days=1))
    # The error names the chosen credential's cycle; the rule stays the field's help text.
    error = page.locator(".invalid-feedback").filter(
        has_text=f"Enter an Activity Date from {cycle_start:%m/%d/%Y} to "
        f"{registration.cycle_end:%m/%d/%Y}, the Start and End Date of "
        "Part Time Certification- Renewal credits."
    )
    expect(error).to_be_visible()
    expect(page.get_by_text(ACTIVITY_DATE_OUTSIDE_CYCLE)).to_have_count(1)
    # The chosen file is gone after the refusal, and the form says so.
    expect(page.locator("#div_id_documentation .invalid-feedback")).to_contain_text(
        "Choose the file again: “annual-summation.pdf” was not kept"
    )
    expect(page.locator("[data-error-summary]")).to_contain_text(
        "Documentation: Choose the file again"
    )
    expect(page.get_by_label("Activity Date")).to_have_class(re.compile("is-invalid"))
    assert_refusal_is_announced(page)
    assert_accessible(page)
    assert CreditRequest.objects.count() == 1
