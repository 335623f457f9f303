"""The staff pages at desktop and phone widths, with the demo data.

Each page must render and pass the accessibility check at both widths. With
``KDLA_SCREENSHOTS=1`` the pages are also saved as PNGs in docs/screenshots/ (shown in the
README):

    KDLA_SCREENSHOTS=1 .venv/bin/python -m pytest tests/e2e/test_screenshots.py
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from certifications.selectors import current_credential_types
from certifications.services.registrations import credential_register
from courses.kdla_catalogue import PART_TIME_REQUIRED_COURSES
from courses.models import Course
from courses.services.enrollments import course_complete, course_register
from portal.demo.people import DEMO_PASSWORD, DEMO_STAFF_EMAIL
from tests.e2e.accessibility import assert_accessible, visit
from tests.factories import PASSWORD, UserFactory

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def sign_in(page: Page, base_url: str, email: str, password: str) -> None:
    visit(page, f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def new_applicant() -> User:
    """A staff member who finished the four courses and registered for the initial
    application, so the upload form has something to upload for."""
    user = UserFactory(email="casey@example.org", first_name="Casey", last_name="Jones")
    for course in Course.objects.filter(title__in=PART_TIME_REQUIRED_COURSES):
        enrollment = course_register(user=user, course=course)
        course_complete(
            enrollment=enrollment, completed_on=timezone.localdate() - datetime.timedelta(days=3)
        )
    initial = current_credential_types(on=timezone.localdate()).get(
        code="part-time-initial-application"
    )
    credential_register(user=user, credential_type=initial)
    return user


def capture(page: Page, name: str) -> None:
    """Check the page at each width; save it when screenshots are asked for."""
    for width_name, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        assert_accessible(page)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways at {width_name} width"
        if os.environ.get("KDLA_SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width_name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_the_staff_pages_at_desktop_and_phone_widths(live_server, page: Page):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    applicant = new_applicant()

    sign_in(page, live_server.url, DEMO_STAFF_EMAIL, DEMO_PASSWORD)
    expect(page.get_by_text("Complete 2 more courses to apply")).to_be_visible()
    capture(page, "dashboard")

    visit(page, f"{live_server.url}/courses/?category=kdla-certifications")
    capture(page, "catalogue-kdla-certifications")
    visit(page, f"{live_server.url}/courses/")
    capture(page, "catalogue")

    page.context.clear_cookies()
    sign_in(page, live_server.url, applicant.email, PASSWORD)
    capture(page, "dashboard-upload-missing-files")
    page.set_viewport_size(WIDTHS["desktop"])
    page.locator("table.credentials-table").get_by_role("link", name="Upload Missing Files").click()
    page.get_by_role("link", name="Add new file").click()
    expect(page.get_by_label("Document type")).to_be_visible()
    capture(page, "upload-form")


@pytest.mark.django_db(transaction=True)
def test_the_error_summary_and_the_focus_style_at_desktop_and_phone_widths(live_server, page: Page):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    applicant = new_applicant()
    sign_in(page, live_server.url, applicant.email, PASSWORD)
    registration = applicant.registrations.get(credential_code="part-time-initial-application")
    visit(page, f"{live_server.url}/registrations/{registration.pk}/files/add/")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    capture(page, "error-summary")

    # The focus ring on a text field, on a primary button and on the navy bar.
    page.get_by_label("Short description").focus()
    page.keyboard.press("Tab")
    capture(page, "focus-style")
