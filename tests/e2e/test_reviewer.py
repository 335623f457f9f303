"""A KDLA reviewer at work in the review site (the Django admin), in real Chromium: approve
an application file, approve some of a credit request, reject another file with a note;
then the staff member sees the outcome on the Dashboard."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.reviewers import add_to_reviewers
from certifications.kdla_rules import PART_TIME_APPLICATION, load_kdla_rules
from certifications.models import CredentialType, DocumentType, ExternalFile, Registration
from certifications.services.registrations import cycle_end_for
from credits.models import CreditRequest
from tests.e2e.accessibility import assert_accessible, visit
from tests.factories import PASSWORD, LibraryFactory, UserFactory
from tests.fixtures.documents import PDF, PDF_BYTES


def click_and_check(page: Page, locator) -> None:
    """Click something that opens a page, wait for that page, and check it."""
    with page.expect_navigation():
        locator.click()
    assert_accessible(page)


def application_awaiting_review(person, code: str) -> Registration:
    credential_type = CredentialType.objects.filter(code=code).order_by("-version").first()
    registered_on = timezone.localdate() - datetime.timedelta(days=4)
    registration = Registration.objects.create(
        user=person,
        credential_type=credential_type,
        credential_code=code,
        status=Registration.Status.PENDING_REVIEW,
        cycle_start=registered_on,
        cycle_end=cycle_end_for(credential_type=credential_type, cycle_start=registered_on),
        upload_due_on=registered_on + datetime.timedelta(days=30),
    )
    external_file = ExternalFile(
        registration=registration,
        document_type=credential_type.required_document_types.get(),
        description=f"Application of {person.first_name}",
        original_name=f"{person.first_name.lower()}-application.pdf",
        content_type=PDF,
        size=len(PDF_BYTES),
        uploaded_by=person,
    )
    external_file.file.save("application.pdf", ContentFile(PDF_BYTES), save=False)
    external_file.save()
    return registration


def request_credits(renewal: Registration, *, requested: Decimal) -> CreditRequest:
    credit_request = CreditRequest(
        user=renewal.user,
        registration=renewal,
        activity_date=timezone.localdate(),
        course="Annual Summation",
        description="CE Activities",
        requested_credits=requested,
        documentation_name="annual-summation.pdf",
        documentation_content_type=PDF,
    )
    credit_request.documentation.save("summation.pdf", ContentFile(PDF_BYTES), save=False)
    credit_request.save()
    return credit_request


def sign_in_to_review_site(page: Page, base_url: str, email: str) -> None:
    visit(page, f"{base_url}/admin/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    click_and_check(page, page.get_by_role("button", name="Log in"))
    expect(page.get_by_role("heading", name="Reviewer overview")).to_be_visible()


def open_queue_item(page: Page, queue: str, person_name: str) -> None:
    click_and_check(page, page.get_by_role("link", name=queue))
    expect(page.get_by_role("heading", name=queue)).to_be_visible()
    row = page.locator("#result_list tbody tr", has_text=person_name)
    click_and_check(page, row.locator("th a"))


@pytest.mark.django_db(transaction=True)
def test_a_reviewer_decides_and_the_staff_member_sees_the_outcome(live_server, page: Page):
    load_kdla_rules()
    library = LibraryFactory(name="Boyd County Public Library", county="Boyd")
    pat = UserFactory(
        email="pat@example.org", first_name="Pat", last_name="Example", library=library
    )
    jordan = UserFactory(email="jordan@example.org", first_name="Jordan", last_name="Sample")
    robin = UserFactory(
        email="robin@example.org", first_name="Robin", last_name="Reviewer", library=None
    )
    add_to_reviewers(robin)
    pat_application = application_awaiting_review(pat, "part-time-initial-application")
    jordan_application = application_awaiting_review(jordan, "part-time-initial-application")
    assert DocumentType.objects.filter(name=PART_TIME_APPLICATION).exists()

    # The reviewer approves Pat's application file.
    sign_in_to_review_site(page, live_server.url, "robin@example.org")
    open_queue_item(page, "Files awaiting review", "Pat Example")
    expect(page.get_by_title("Preview of pat-application.pdf")).to_be_visible()
    click_and_check(page, page.get_by_role("button", name="Approve"))
    expect(page.get_by_text("Approved “pat-application.pdf”.")).to_be_visible()

    pat_application.refresh_from_db()
    assert pat_application.status == Registration.Status.COMPLETED
    renewal = Registration.objects.get(source_registration=pat_application)
    request_credits(renewal, requested=Decimal("20"))

    # ... approves 12 of the 20 credits Pat then requested ...
    visit(page, f"{live_server.url}/admin/")
    open_queue_item(page, "Credit requests awaiting review", "Pat Example")
    page.get_by_label("Approved credits").fill("12")
    page.get_by_label("Note to the person (required)").first.fill("good")
    click_and_check(page, page.get_by_role("button", name="Approve some"))
    expect(page.get_by_text("Partially approved: 12 of 20 credits")).to_be_visible()

    # ... and rejects Jordan's file with a note.
    visit(page, f"{live_server.url}/admin/")
    open_queue_item(page, "Files awaiting review", "Jordan Sample")
    page.get_by_label("Note to the person").fill("Please have your director sign page 2.")
    click_and_check(page, page.get_by_role("button", name="Reject"))
    expect(page.get_by_text("Rejected “jordan-application.pdf”.")).to_be_visible()
    click_and_check(page, page.get_by_role("button", name="Log out"))

    # Pat signs in to the Learning Portal.
    visit(page, f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill("pat@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    click_and_check(page, page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()

    credentials = page.locator("table.credentials-table")
    application_row = credentials.locator(
        "tr", has=page.get_by_role("rowheader", name="Initial Part Time Certification")
    )
    expect(application_row).to_contain_text("COMPLETED")
    expect(application_row).to_contain_text("COMPLIANT")
    renewal_row = credentials.locator(
        "tr",
        has=page.get_by_role("rowheader", name="Part Time Certification- Renewal credits"),
    )
    today = timezone.localdate()
    five_years_on = (
        today.replace(year=today.year + 5)
        if not (today.month == 2 and today.day == 29)
        else today.replace(year=today.year + 5, day=28)
    )
    expect(renewal_row).to_contain_text(today.strftime("%m/%d/%Y"))
    expect(renewal_row).to_contain_text(five_years_on.strftime("%m/%d/%Y"))
    expect(renewal_row).to_contain_text("12")
    expect(renewal_row).to_contain_text("ACTIVE")

    request_credits_table = page.locator("table.request-credits-table")
    expect(request_credits_table).to_contain_text("PARTIALLY APPROVED")
    expect(request_credits_table.locator("tbody tr").first).to_contain_text(
        re.compile(r"20\s+12\s+good")
    )

    rejection = next(m for m in mail.outbox if m.to == ["jordan@example.org"])
    assert "Please have your director sign page 2." in rejection.body
    assert f"http://portal.test/registrations/{jordan_application.pk}/files/" in rejection.body
    jordan_application.refresh_from_db()
    assert jordan_application.status == Registration.Status.ACTIVE


@pytest.mark.django_db(transaction=True)
def test_the_review_site_pages_pass_the_accessibility_checks(live_server, page: Page):
    load_kdla_rules()
    pat = UserFactory(email="pat@example.org", first_name="Pat", last_name="Example")
    application = application_awaiting_review(pat, "part-time-initial-application")
    external_file = application.external_files.get()
    administrator = UserFactory(
        email="ada@example.org", first_name="Ada", is_staff=True, is_superuser=True
    )
    renewal_type = CredentialType.objects.get(code="part-time-renewal-credits")
    renewal = Registration.objects.create(
        user=pat,
        credential_type=renewal_type,
        credential_code=renewal_type.code,
        cycle_start=timezone.localdate() - datetime.timedelta(days=30),
        cycle_end=timezone.localdate() + datetime.timedelta(days=1800),
    )
    credit_request = request_credits(renewal, requested=Decimal("6"))
    sign_in_to_review_site(page, live_server.url, administrator.email)
    for path in [
        "/admin/accounts/user/",
        f"/admin/accounts/user/{pat.pk}/change/",
        "/admin/accounts/library/",
        "/admin/accounts/library/import/",
        "/admin/certifications/registration/",
        f"/admin/certifications/registration/{application.pk}/change/",
        f"/admin/certifications/registration/{application.pk}/history/",
        "/admin/certifications/credentialtype/",
        f"/admin/certifications/credentialtype/{renewal_type.pk}/change/",
        f"/admin/certifications/externalfile/{external_file.pk}/history/",
        "/admin/credits/creditrequest/",
        f"/admin/credits/creditrequest/{credit_request.pk}/change/",
        "/admin/courses/course/",
        "/admin/courses/enrollment/",
        "/admin/notifications/outboxmessage/",
    ]:
        visit(page, f"{live_server.url}{path}")
