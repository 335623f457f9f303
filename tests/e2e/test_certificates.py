"""A certificate people can prove, in real Chromium: the reviewer approves Pat's application,
Pat downloads the PDF certificate (its text and QR code are read back), an anonymous visitor
opens the QR code's address and sees VALID, the reviewer revokes it with a reason and the
visitor sees REVOKED, on the page and for the Open Badges credential. Every page passes axe."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.reviewers import add_to_reviewers
from certificates.models import Certificate
from certificates.open_badges import add_signing_key
from certifications.kdla_rules import load_kdla_rules
from tests.certificates.builders import pdf_qr_codes, pdf_text
from tests.e2e.accessibility import assert_accessible, visit
from tests.e2e.test_reviewer import (
    application_awaiting_review,
    click_and_check,
    open_queue_item,
    sign_in_to_review_site,
)
from tests.factories import PASSWORD, LibraryFactory, UserFactory


def sign_in(page: Page, base_url: str, email: str) -> None:
    visit(page, f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    click_and_check(page, page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_a_certificate_is_downloaded_verified_and_revoked(
    live_server, page: Page, browser: Browser, browser_context_args, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    settings.OPEN_BADGES_KEYS = ""
    settings.OPEN_BADGES_KEY_FILE = str(tmp_path / "open-badges-keys.json")
    add_signing_key(tmp_path / "open-badges-keys.json")
    load_kdla_rules()
    pat = UserFactory(
        email="pat@example.org",
        first_name="Pat",
        last_name="Example",
        library=LibraryFactory(name="Boyd County Public Library", county="Boyd"),
    )
    robin = UserFactory(
        email="robin@example.org", first_name="Robin", last_name="Reviewer", library=None
    )
    add_to_reviewers(robin)
    application_awaiting_review(pat, "part-time-initial-application")

    # The reviewer approves Pat's application file.
    sign_in_to_review_site(page, live_server.url, "robin@example.org")
    open_queue_item(page, "Files awaiting review", "Pat Example")
    click_and_check(page, page.get_by_role("button", name="Approve"))
    certificate = Certificate.objects.get(user=pat)

    # Pat downloads the certificate from the dashboard.
    pat_context = browser.new_context(**browser_context_args)
    pat_page = pat_context.new_page()
    sign_in(pat_page, live_server.url, "pat@example.org")
    expect(pat_page.get_by_role("heading", name="CERTIFICATES")).to_be_visible()
    with pat_page.expect_download() as download_info:
        pat_page.get_by_role("link", name="Download certificate (PDF)").click()
    pdf_path = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf_path)
    pdf = pdf_path.read_bytes()
    text = pdf_text(pdf)
    issued = timezone.localdate().strftime("%m/%d/%Y")
    for expected in (
        "Pat Example",
        "Part-time",
        issued,
        certificate.valid_until.strftime("%m/%d/%Y"),
        certificate.code,
    ):
        assert expected in text
    [verification_url] = pdf_qr_codes(pdf)
    assert verification_url == f"{live_server.url}/verify/{certificate.code}/"
    with pat_page.expect_download() as badge_download:
        pat_page.get_by_role("link", name="Download Open Badge (.json)").click()
    badge_path = tmp_path / "open-badge.json"
    badge_download.value.save_as(badge_path)
    click_and_check(pat_page, pat_page.get_by_role("link", name="Request a name change"))
    expect(pat_page.get_by_label("Proof of the new name")).to_be_visible()
    pat_context.close()

    # Anyone (not signed in) opens the QR code's address.
    visitor_context = browser.new_context(**browser_context_args)
    visitor = visitor_context.new_page()
    visit(visitor, verification_url)
    expect(visitor.locator("[data-standing]")).to_have_text("VALID")
    expect(visitor.get_by_text("Pat Example")).to_be_visible()

    # ... and checks the Open Badges credential Pat sent: KDLA's signature, still valid.
    visit(visitor, f"{live_server.url}/verify/")
    visitor.get_by_label("Open Badges credential (.json)").set_input_files(badge_path)
    click_and_check(visitor, visitor.get_by_role("button", name="Check credential"))
    expect(visitor.locator("[data-standing]")).to_have_text("VALID")
    expect(visitor.locator("[data-signature]")).to_be_visible()

    # The reviewer revokes it with a reason.
    visit(page, f"{live_server.url}/admin/certificates/certificate/{certificate.pk}/change/")
    page.get_by_label("Reason for revoking").fill("Issued in error.")
    click_and_check(page, page.get_by_role("button", name="Revoke certificate"))
    expect(page.get_by_text("Revoked the certificate of Pat Example.")).to_be_visible()

    visit(visitor, verification_url)
    expect(visitor.locator("[data-standing]")).to_have_text("REVOKED")
    expect(visitor.get_by_text(f"revoked this certificate on {issued}")).to_be_visible()

    # The credential Pat sent still carries KDLA's signature, but the status list now says
    # revoked, and the check says so.
    visit(visitor, f"{live_server.url}/verify/")
    visitor.get_by_label("Open Badges credential (.json)").set_input_files(badge_path)
    click_and_check(visitor, visitor.get_by_role("button", name="Check credential"))
    expect(visitor.locator("[data-standing]")).to_have_text("REVOKED")

    # The lookup form, a refused code and an unknown one.
    visit(visitor, f"{live_server.url}/verify/")
    visitor.get_by_label("Verification code").fill("not a code")
    click_and_check(visitor, visitor.get_by_role("button", name="Verify"))
    expect(visitor.get_by_text("There is a problem")).to_be_visible()
    visitor.get_by_label("Verification code").fill("AAAABBBBCCCCDDDD")
    click_and_check(visitor, visitor.get_by_role("button", name="Verify"))
    expect(visitor.get_by_role("heading", name="Certificate not found")).to_be_visible()
    assert_accessible(visitor)
    visitor_context.close()
