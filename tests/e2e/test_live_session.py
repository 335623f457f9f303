"""A live session in real Chromium: a learner registers for a workshop, and the attendance is
recorded by a reviewer on the roster in the review site or by the learner with the code the
trainer gives out; the course is then complete."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.reviewers import add_to_reviewers
from courses.models import CourseModule, Enrollment, LiveSession
from tests.e2e.accessibility import assert_accessible, visit
from tests.factories import PASSWORD, CourseFactory, UserFactory


def sign_in(page: Page, url: str, email: str) -> None:
    visit(page, url)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form [type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_a_learner_attends_a_workshop_recorded_on_the_roster(
    live_server, browser, migration_installed_data
):
    base = live_server.url
    course = CourseFactory(title="Solving Difficult Situations Workshop")
    module = CourseModule.objects.create(
        course=course, position=1, title="De-escalation workshop", kind=CourseModule.Kind.LIVE
    )
    starts = timezone.now() + datetime.timedelta(days=3)
    LiveSession.objects.create(
        module=module,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Boyd County Public Library, meeting room",
        capacity=12,
    )
    add_to_reviewers(UserFactory(email="robin@example.org"))
    UserFactory(email="casey@example.org", first_name="Casey")

    page = browser.new_page()
    sign_in(page, f"{base}/accounts/login/", "casey@example.org")
    visit(page, f"{base}/courses/{course.pk}/")
    page.get_by_role("button", name=f"Register for {course.title}").click()
    page.get_by_role("link", name="Continue with De-escalation workshop").click()
    assert_accessible(page)
    day = f"{timezone.localtime(starts):%m/%d/%Y}"
    page.get_by_role("button", name=f"Register for the session of {day}").click()
    expect(page.locator(".live-registration")).to_contain_text(
        f"You are registered for the session of {day}"
    )
    assert_accessible(page)

    # The session takes place; the reviewer records attendance on the roster.
    with time_machine.travel(starts + datetime.timedelta(hours=1), tick=True):
        reviewer = browser.new_page()
        sign_in(reviewer, f"{base}/admin/login/", "robin@example.org")
        visit(reviewer, f"{base}/admin/courses/livesessionregistration/")
        reviewer.locator("input[name=_selected_action]").first.check()
        reviewer.get_by_label("Action:").select_option(label="Record as attended")
        reviewer.get_by_role("button", name="Go").click()
        expect(reviewer.get_by_text("Attendance recorded for 1 person.")).to_be_visible()

    visit(page, f"{base}/courses/{course.pk}/")
    expect(page.get_by_text("The course is complete.")).to_be_visible()
    assert Enrollment.objects.get(user__email="casey@example.org").status == "COMPLETED"


@pytest.mark.django_db(transaction=True)
def test_a_learner_enters_the_attendance_code_the_trainer_gives_out(
    live_server, browser, migration_installed_data
):
    base = live_server.url
    course = CourseFactory(title="Customer Service Webinar")
    module = CourseModule.objects.create(
        course=course, position=1, title="Customer service webinar", kind=CourseModule.Kind.LIVE
    )
    starts = timezone.now() + datetime.timedelta(days=2)
    LiveSession.objects.create(
        module=module,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        link="https://meet.example.org/kdla-webinar",
        capacity=30,
    )
    add_to_reviewers(UserFactory(email="robin@example.org"))
    UserFactory(email="casey@example.org", first_name="Casey")

    page = browser.new_page()
    sign_in(page, f"{base}/accounts/login/", "casey@example.org")
    visit(page, f"{base}/courses/{course.pk}/")
    page.get_by_role("button", name=f"Register for {course.title}").click()
    page.get_by_role("link", name="Continue with Customer service webinar").click()
    day = f"{timezone.localtime(starts):%m/%d/%Y}"
    page.get_by_role("button", name=f"Register for the session of {day}").click()
    expect(page.locator(".live-registration")).to_contain_text("You are registered")
    expect(page.get_by_label("Attendance code")).to_have_count(0)

    with time_machine.travel(starts + datetime.timedelta(minutes=30), tick=True):
        # The trainer reads the code off the session's page in the review site.
        reviewer = browser.new_page()
        sign_in(reviewer, f"{base}/admin/login/", "robin@example.org")
        visit(reviewer, f"{base}/admin/courses/livesession/")
        reviewer.get_by_role("link", name="Customer service webinar").click()
        reviewer.wait_for_load_state()
        assert_accessible(reviewer)
        code = reviewer.locator(".field-attendance_code .readonly").inner_text().strip()
        assert len(code) == 6

        # Signed in again: an 8-hour idle session would not last until the session.
        learner = browser.new_page()
        sign_in(learner, f"{base}/accounts/login/", "casey@example.org")
        visit(learner, f"{base}/courses/{course.pk}/modules/{module.pk}/")
        assert code not in learner.content()
        learner.get_by_label("Attendance code").fill("WRONG9")
        learner.get_by_role("button", name="Record my attendance").click()
        expect(learner.get_by_text("(4 tries left)")).to_be_visible()
        learner.get_by_label("Attendance code").fill(code.lower())
        learner.get_by_role("button", name="Record my attendance").click()
        expect(
            learner.get_by_text("Your attendance is recorded; the module is complete.")
        ).to_be_visible()
        assert_accessible(learner)
        visit(learner, f"{base}/courses/{course.pk}/")
        expect(learner.get_by_text("The course is complete.")).to_be_visible()
    assert Enrollment.objects.get(user__email="casey@example.org").status == "COMPLETED"
