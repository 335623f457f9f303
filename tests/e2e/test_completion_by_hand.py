"""A reviewer records a course completion by hand in real Chromium (a paper sign-in sheet):
a refusal is announced and focused, the recorded completion is confirmed, and the staff member
finds the hours on the dashboard and the completion marked on the transcript."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from accounts.reviewers import add_to_reviewers
from courses.models import Enrollment
from courses.services.enrollments import course_register
from tests.certifications.kdla_history import open_renewal_cycle
from tests.e2e.accessibility import assert_accessible, visit
from tests.e2e.test_reviewer import sign_in_to_review_site
from tests.factories import PASSWORD, CourseFactory, UserFactory

KENTUCKY = ZoneInfo("America/New_York")
SHEET = "Sign-in sheet of the 03/04/2027 workshop in Frankfort"


def focused_role(page: Page) -> str | None:
    return page.evaluate("document.activeElement && document.activeElement.getAttribute('role')")


@pytest.mark.django_db(transaction=True)
def test_a_reviewer_records_a_completion_from_a_sign_in_sheet(
    live_server, page: Page, migration_installed_data
):
    with time_machine.travel(datetime.datetime(2027, 3, 10, 9, 0, tzinfo=KENTUCKY), tick=True):
        base = live_server.url
        add_to_reviewers(
            UserFactory(email="robin@example.org", first_name="Robin", last_name="Reyes")
        )
        casey = UserFactory(email="casey@example.org", first_name="Casey", last_name="Jones")
        open_renewal_cycle(casey, cycle_start=datetime.date(2026, 1, 5))
        course = CourseFactory(title="Weeding the Collection", contact_hours=Decimal("3"))
        enrollment = course_register(user=casey, course=course)

        sign_in_to_review_site(page, base, "robin@example.org")
        visit(page, f"{base}/admin/courses/enrollment/{enrollment.pk}/change/")
        assert_accessible(page)
        page.get_by_label("Completed on").fill("03/04/2027")
        page.get_by_role("button", name="Record completion by hand").click()
        page.wait_for_load_state()
        expect(page.get_by_role("status")).to_contain_text(
            "Say why the completion is recorded by hand"
        )
        assert focused_role(page) == "status"  # the refusal is read out where focus is
        expect(page.get_by_label("Completed on")).to_have_value("03/04/2027")  # kept
        assert Enrollment.objects.get(pk=enrollment.pk).status == "REGISTERED"

        page.get_by_label("Completed on").fill("03/04/2027")
        page.get_by_label("Reason").fill(SHEET)
        page.get_by_role("button", name="Record completion by hand").click()
        page.wait_for_load_state()
        expect(page.get_by_role("status")).to_contain_text(
            "Casey Jones's completion of Weeding the Collection on 03/04/2027 was recorded"
        )
        expect(page.locator(".record-completion")).to_contain_text(
            f"recorded by hand by Robin Reyes. Reason: {SHEET}"
        )
        assert_accessible(page)

        staff = page.context.browser.new_page()
        visit(staff, f"{base}/accounts/login/")
        staff.get_by_label("Email address").fill("casey@example.org")
        staff.get_by_label("Password").fill(PASSWORD)
        staff.locator("form [type=submit]").click()
        staff.wait_for_load_state()
        expect(staff.locator(".my-courses-completed")).to_contain_text(
            "Weeding the Collection completed 03/04/2027 · 3 contact hours"
        )
        visit(staff, f"{base}/transcript/")
        expect(staff.locator("main")).to_contain_text(
            f"Learning Portal course — recorded by hand by KDLA: {SHEET}"
        )
        assert_accessible(staff)
