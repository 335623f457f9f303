"""The seed-001 how-to and a reviewer's decision with the keyboard only, in real Chromium.

Tab / Shift+Tab move, Enter and Space act, typing fills; locators only read the page. Every
focus ring met on the way must reach 3:1 and 2 px, and every refused submit must be announced
(error summary with role=alert, focused, linking to its fields)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from accounts.reviewers import add_to_reviewers
from certifications.kdla_rules import PART_TIME_APPLICATION, load_kdla_rules
from certifications.models import ExternalFile, Registration
from courses.kdla_catalogue import PART_TIME_REQUIRED_COURSES
from courses.models import Course
from credits.models import CreditRequest
from tests.e2e.accessibility import assert_accessible
from tests.e2e.keyboard import (
    KeyboardUser,
    assert_refusal_is_announced,
    check_every_focus_indicator,
)
from tests.e2e.portal_course import take_portal_course_by_keyboard
from tests.factories import PASSWORD, LibraryFactory, UserFactory
from tests.fixtures.documents import PDF_BYTES

PASSWORD_OF_CASEY = "reading-is-fun-2026"
# Key presses from a queue item's page load to its Approve button: skip link, Enter, Tab.
MAX_KEYS_TO_DECISION = 4


def opened(page: Page, heading: str) -> None:
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    assert_accessible(page)


def assert_focus_is_on_message(page: Page, text: str) -> None:
    message = page.locator("[data-page-message]")
    expect(message).to_contain_text(text)
    assert message.evaluate("element => element === document.activeElement"), (
        "the confirmation was not focused, so a screen reader does not read it"
    )


def take_the_four_part_time_courses(casey: KeyboardUser, base_url: str) -> None:
    """Each course page is opened by its address; then Register, every lesson read to its
    end and every quiz passed, with the keyboard only."""
    page = casey.page
    for course in Course.objects.filter(title__in=PART_TIME_REQUIRED_COURSES):
        page.goto(f"{base_url}{reverse('course_detail', args=[course.pk])}")
        opened(page, course.title)
        casey.activate(page.get_by_role("button", name=f"Register for {course.title}"))
        take_portal_course_by_keyboard(casey, course.title, check=lambda: assert_accessible(page))


@pytest.mark.django_db(transaction=True)
def test_a_keyboard_user_follows_the_how_to_and_a_reviewer_decides(
    live_server, page: Page, browser, tmp_path
):
    load_kdla_rules()
    LibraryFactory(name="Boyd County Public Library", county="Boyd")
    robin = UserFactory(email="robin@example.org", first_name="Robin", library=None)
    add_to_reviewers(robin)
    application_pdf = tmp_path / "part-time-application.pdf"
    application_pdf.write_bytes(PDF_BYTES)
    casey = KeyboardUser(page)

    # Sign up; the first try has passwords that differ and is refused, announced.
    page.goto(f"{live_server.url}/accounts/signup/")
    opened(page, "Create your Learning Portal account")
    casey.fill(page.get_by_label("First name"), "Casey")
    casey.fill(page.get_by_label("Last name"), "Jones")
    casey.fill(page.get_by_label("Email address"), "casey@example.org")
    casey.tab_to(page.get_by_label("Library"))
    casey.type("Boyd")
    casey.fill(page.get_by_label("Hours worked per month"), "60")
    casey.fill(page.locator("#id_password1"), PASSWORD_OF_CASEY)
    casey.fill(page.get_by_label("Password confirmation"), "something-else-2026")
    with page.expect_navigation():
        casey.press("Enter")
    assert_refusal_is_announced(page)
    assert_accessible(page)
    assert not User.objects.filter(email="casey@example.org").exists()
    # The summary's link takes focus to the field in error.
    casey.press("Tab")
    casey.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "id_password2"
    casey.fill(page.locator("#id_password1"), PASSWORD_OF_CASEY)
    casey.fill(page.get_by_label("Password confirmation"), PASSWORD_OF_CASEY)
    with page.expect_navigation():
        casey.press("Enter")
    # The same answer whether or not the address had an account; then Casey signs in.
    opened(page, "Sign in to the Learning Portal")
    expect(page.get_by_role("status")).to_contain_text("Thank you. We have sent an email")
    assert_accessible(page)
    casey.fill(page.get_by_label("Email address"), "casey@example.org")
    casey.fill(page.get_by_label("Password"), PASSWORD_OF_CASEY)
    with page.expect_navigation():
        casey.press("Enter")
    opened(page, "Dashboard")

    take_the_four_part_time_courses(casey, live_server.url)
    page.goto(f"{live_server.url}/dashboard/")

    # Register for Course → All categories: KDLA Certifications → Register → Proceed to
    # Checkout → Go to Dashboard.
    dashboard_actions = page.get_by_role("navigation", name="Dashboard actions")
    casey.activate(dashboard_actions.get_by_role("link", name="Register for Course"))
    opened(page, "Register for Course")
    casey.tab_to(page.get_by_label("All categories", exact=True))
    casey.type("KDLA")
    casey.activate(page.get_by_role("button", name="Search"))
    credential = page.locator(
        "article.credential-card",
        has=page.get_by_role("heading", name="Part-time Certification- Initial Application"),
    )
    casey.activate(credential.get_by_role("link", name="Register"))
    assert_accessible(page)
    casey.activate(page.get_by_role("button", name="Proceed to Checkout"))
    assert_accessible(page)
    casey.activate(page.get_by_role("link", name="Go to Dashboard"))
    opened(page, "Dashboard")

    # Upload Missing Files → Add new file: an empty submit is refused and announced; then the
    # file field is reached from the keyboard and the file chosen on it.
    casey.activate(page.get_by_role("link", name="Upload Missing Files"))
    opened(page, "External Files")
    casey.activate(page.get_by_role("link", name="Add new file"))
    assert_accessible(page)
    casey.activate(page.get_by_role("button", name="Submit"))
    assert_refusal_is_announced(page)
    assert_accessible(page)
    assert ExternalFile.objects.count() == 0
    casey.tab_to(page.get_by_label("Document type"))
    casey.type(PART_TIME_APPLICATION[:20])
    casey.fill(page.get_by_label("Short description"), "Signed application")
    casey.choose_file(page.get_by_label("File"), application_pdf)
    casey.activate(page.get_by_role("button", name="Submit"))
    opened(page, "External Files")
    assert_focus_is_on_message(page, "was submitted. KDLA will review it.")
    casey.assert_focus_was_visible()

    # The reviewer signs in to the review site and approves the file, keyboard only.
    reviewer_page = browser.new_page()
    robin_keys = KeyboardUser(reviewer_page)
    reviewer_page.goto(f"{live_server.url}/admin/")
    assert_accessible(reviewer_page)
    robin_keys.fill(reviewer_page.get_by_label("Email address"), robin.email)
    robin_keys.fill(reviewer_page.get_by_label("Password"), PASSWORD)
    with reviewer_page.expect_navigation():
        robin_keys.press("Enter")
    assert_accessible(reviewer_page)
    robin_keys.skip_to_main()
    robin_keys.activate(reviewer_page.get_by_role("link", name="Files awaiting review").first)
    assert_accessible(reviewer_page)
    robin_keys.skip_to_main()
    robin_keys.activate(
        reviewer_page.locator("#result_list tbody tr", has_text="Casey Jones").locator("th a")
    )
    assert_accessible(reviewer_page)
    robin_keys.presses = 0
    robin_keys.skip_to_main()
    robin_keys.tab_to(reviewer_page.get_by_role("button", name="Approve"))
    assert robin_keys.presses <= MAX_KEYS_TO_DECISION, (
        f"{robin_keys.presses} key presses from the queue item's page load to its decision"
    )
    with reviewer_page.expect_navigation():
        robin_keys.press("Enter")
    expect(reviewer_page.get_by_text("Approved “part-time-application.pdf”.")).to_be_visible()
    assert_accessible(reviewer_page)
    robin_keys.assert_focus_was_visible()
    registration = Registration.objects.get(
        user__email="casey@example.org", credential_code="part-time-initial-application"
    )
    assert registration.status == Registration.Status.COMPLETED

    # Request new Credit: an activity date outside the cycle is refused and announced.
    page.goto(f"{live_server.url}/dashboard/")
    opened(page, "Dashboard")
    casey.activate(dashboard_actions.get_by_role("link", name="Request new Credit"))
    assert_accessible(page)
    last_year = timezone.localdate() - datetime.timedelta(days=400)
    casey.fill(page.get_by_label("Activity Date"), f"{last_year:%m/%d/%Y}")
    casey.fill(page.get_by_label("Course"), "Annual Summation")
    casey.fill(page.get_by_label("Description"), "CE Activities")
    casey.tab_to(page.get_by_label("Credentials to count against"))
    casey.press("ArrowDown")
    casey.fill(page.get_by_label("Requested Credits"), "15")
    casey.choose_file(page.get_by_label("Documentation"), application_pdf)
    casey.activate(page.get_by_role("button", name="Request Credit"))
    assert_refusal_is_announced(page)
    assert_accessible(page)
    assert CreditRequest.objects.count() == 0
    casey.assert_focus_was_visible()


@pytest.mark.django_db(transaction=True)
def test_every_focus_ring_on_the_main_pages_reaches_three_to_one(live_server, page: Page):
    load_kdla_rules()
    person = UserFactory(email="pat@example.org", first_name="Pat")
    today = timezone.localdate()
    Registration.objects.create(
        user=person,
        credential_type_id=load_initial_application_id(),
        credential_code="part-time-initial-application",
        cycle_start=today,
        cycle_end=today + datetime.timedelta(days=60),
        upload_due_on=today + datetime.timedelta(days=30),
    )
    page.goto(f"{live_server.url}/accounts/login/")
    weak = check_every_focus_indicator(page)
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    for path in ["/dashboard/", "/courses/", "/transcript/", "/training/", "/credits/new/"]:
        page.goto(f"{live_server.url}{path}")
        weak += check_every_focus_indicator(page)
    # The phone layout: the menu toggle on the navy bar.
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/dashboard/")
    weak += check_every_focus_indicator(page)
    assert not weak, "Focus indicators under 3:1 or 2px:\n" + "\n".join(weak)


def load_initial_application_id() -> int:
    from certifications.models import CredentialType

    return (
        CredentialType.objects.filter(code="part-time-initial-application")
        .order_by("-version")
        .values_list("pk", flat=True)
        .first()
    )


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_is_announced_on_both_sign_in_pages(live_server, page: Page):
    person = UserFactory(email="pat@example.org", is_staff=True)
    keys = KeyboardUser(page)

    page.goto(f"{live_server.url}/accounts/login/")
    keys.fill(page.get_by_label("Email address"), person.email)
    keys.fill(page.get_by_label("Password"), "not-the-password")
    with page.expect_navigation():
        keys.press("Enter")
    assert_refusal_is_announced(page)
    expect(page.locator("[data-error-summary]")).to_contain_text("Please enter a correct")
    assert_accessible(page)

    page.goto(f"{live_server.url}/admin/login/")
    keys.fill(page.get_by_label("Email address"), person.email)
    keys.fill(page.get_by_label("Password"), "not-the-password")
    with page.expect_navigation():
        keys.press("Enter")
    assert page.title().startswith("Error: ")
    note = page.locator(".errornote")
    expect(note).to_have_attribute("role", "alert")
    expect(note).to_be_focused()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    keys.assert_focus_was_visible()
