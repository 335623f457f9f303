"""A certificate people can prove, in real Chromium: the reviewer approves Pat's application,
Pat downloads the PDF certificate (its text and QR code are read back), an anonymous visitor
opens the QR code's address and sees VALID, the reviewer revokes it with a reason and the
visitor sees REVOKED, on the page and for the Open Badges credential; after a renewal the old
certificate's page says SUPERSEDED and links to the newer one, which is VALID. Every page
passes axe."""

from __future__ import annotations

import base64
import json
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from joserfc import jws
from joserfc.jwk import KeySet
from playwright.sync_api import Browser, Page, expect

from accounts.reviewers import add_to_reviewers
from certificates.models import Certificate
from certificates.open_badges import (
    ACCEPTED_ALGORITHMS,
    ENVELOPE_PREFIX,
    MAX_UPLOAD_BYTES,
    add_signing_key,
    revoked_indexes,
)
from certifications.kdla_rules import load_kdla_rules
from certifications.models import CredentialType, Registration
from certifications.services.registrations import credential_register
from certifications.services.reviews import external_file_approve
from certifications.services.uploads import registration_submit_file
from credits.services.reviews import credit_request_decide
from tests.certificates.builders import pdf_qr_codes, pdf_text
from tests.e2e.accessibility import assert_accessible, visit
from tests.e2e.test_reviewer import (
    application_awaiting_review,
    click_and_check,
    open_queue_item,
    request_credits,
    sign_in_to_review_site,
)
from tests.factories import PASSWORD, LibraryFactory, UserFactory
from tests.fixtures.documents import PDF, PDF_BYTES


def published_revocations(page: Page, base_url: str) -> set[int]:
    """What any verifier reads: the status list, checked with the issuer's published keys."""
    keys = KeySet.import_key_set(
        page.request.get(f"{base_url}/credentials/issuer/jwks.json").json()
    )
    token = page.request.get(f"{base_url}/credentials/status/1/").text()
    claims = json.loads(
        jws.deserialize_compact(token, keys, algorithms=ACCEPTED_ALGORITHMS).payload
    )
    return revoked_indexes(claims["credentialSubject"]["encodedList"])


def check_credential(page: Page, base_url: str, path) -> None:
    visit(page, f"{base_url}/verify/")
    page.get_by_label("Open Badges credential (.json)").set_input_files(path)
    click_and_check(page, page.get_by_role("button", name="Check credential"))


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
    check_credential(visitor, live_server.url, badge_path)
    expect(visitor.locator("[data-standing]")).to_have_text("VALID")
    expect(visitor.locator("[data-signature]")).to_be_visible()
    expect(visitor.locator("[data-status-list]")).to_contain_text("does not mark")
    assert certificate.pk not in published_revocations(visitor, live_server.url)

    # A copy with another name in it, or a file too large to be a credential, is refused.
    envelope = json.loads(badge_path.read_text())
    header, payload, signature = envelope["id"].removeprefix(ENVELOPE_PREFIX).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    envelope["id"] = ENVELOPE_PREFIX + ".".join([header, forged, signature])
    tampered_path = tmp_path / "tampered.json"
    tampered_path.write_text(json.dumps(envelope))
    check_credential(visitor, live_server.url, tampered_path)
    # The message is in the error summary (a link to the field) and next to the field.
    expect(visitor.get_by_text("The signature does not match")).to_have_count(2)
    expect(
        visitor.get_by_role("link", name=re.compile("The signature does not match"))
    ).to_be_visible()
    expect(visitor.locator("[data-standing]")).to_have_count(0)
    oversized_path = tmp_path / "oversized.json"
    oversized_path.write_bytes(b" " * (MAX_UPLOAD_BYTES + 1))
    check_credential(visitor, live_server.url, oversized_path)
    expect(visitor.get_by_text("This file is larger than any KDLA credential")).to_have_count(2)

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
    assert certificate.pk in published_revocations(visitor, live_server.url)
    check_credential(visitor, live_server.url, badge_path)
    expect(visitor.locator("[data-standing]")).to_have_text("REVOKED")
    expect(visitor.locator("[data-status-list]")).to_contain_text(
        "marks this credential as revoked"
    )

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


def renewal_application_approved(person, *, reviewer) -> Registration:
    """The renewal chain as KDLA runs it, through the services the screens call: the renewal
    cycle earns its 15 contact hours, the person registers for the renewal application and
    uploads it, and the reviewer approves it."""
    cycle = Registration.objects.get(user=person, credential_code="part-time-renewal-credits")
    credit_request_decide(
        credit_request=request_credits(cycle, requested=Decimal("15")),
        approved_credits=Decimal("15"),
        note="",
        reviewer=reviewer,
    )
    renewal = credential_register(
        user=person,
        credential_type=CredentialType.objects.get(code="part-time-renewal-application"),
    )
    upload = registration_submit_file(
        registration=renewal,
        document_type=renewal.credential_type.required_document_types.get(),
        description="Renewal application",
        upload=SimpleUploadedFile("renewal-application.pdf", PDF_BYTES, content_type=PDF),
        actor=person,
    )
    external_file_approve(external_file=upload, reviewer=reviewer)
    return renewal


@pytest.mark.django_db(transaction=True)
def test_a_renewal_supersedes_the_earlier_certificate(live_server, page: Page, settings):
    settings.SITE_URL = live_server.url
    load_kdla_rules()
    pat = UserFactory(email="pat@example.org", first_name="Pat", last_name="Example")
    robin = UserFactory(email="robin@example.org", library=None)
    add_to_reviewers(robin)
    initial = application_awaiting_review(pat, "part-time-initial-application")
    external_file_approve(external_file=initial.external_files.get(), reviewer=robin)
    first = Certificate.objects.get(user=pat)

    renewal = renewal_application_approved(pat, reviewer=robin)

    renewed = Certificate.objects.get(grant=renewal)
    first.refresh_from_db()
    assert first.status == Certificate.Status.SUPERSEDED
    assert first.superseded_by == renewed

    # Anyone opening the first certificate's address learns it was replaced, and by which.
    visit(page, f"{live_server.url}/verify/{first.code}/")
    expect(page.locator("[data-standing]")).to_have_text("SUPERSEDED")
    expect(page.get_by_text("This certificate was replaced by a renewal")).to_be_visible()
    expect(page.get_by_text(first.code)).to_be_visible()
    issued = timezone.localdate().strftime("%m/%d/%Y")
    newer = page.get_by_role("link", name=f"See the newer certificate (issued {issued})")
    click_and_check(page, newer)

    assert page.url == f"{live_server.url}/verify/{renewed.code}/"
    expect(page.locator("[data-standing]")).to_have_text("VALID")
    expect(page.get_by_text(renewed.code)).to_be_visible()
    expect(page.get_by_text("Pat Example")).to_be_visible()
    facts = page.locator(".certificate-facts")
    expect(facts).to_contain_text(re.compile(rf"Valid until\s*{renewed.valid_until:%m/%d/%Y}"))
    expect(facts).to_contain_text(re.compile(rf"Issued\s*{issued}"))
    expect(page.get_by_role("link", name="See the newer certificate")).to_have_count(0)
