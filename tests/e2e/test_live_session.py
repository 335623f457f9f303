"""A live session in real Chromium: a learner registers for a workshop, and the attendance is
recorded by the session's trainer on their roster in the review site or by the learner with the
code the trainer gives out; the course is then complete. A full workshop has a waiting list: a learner
who cancels (by keyboard alone) gives the seat to the first person waiting, who is emailed once,
and a reviewer who removes someone on the roster does the same."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.reviewers import add_to_reviewers
from accounts.trainers import add_to_trainers
from courses.models import (
    Course,
    CourseModule,
    Enrollment,
    LiveSession,
    LiveSessionRegistration,
)
from courses.services.enrollments import course_register
from courses.services.live_sessions import live_session_register
from notifications.models import OutboxMessage
from tests.e2e.accessibility import assert_accessible, visit
from tests.e2e.keyboard import KeyboardUser
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
    jordan = UserFactory(email="jordan@example.org", first_name="Jordan")
    add_to_trainers(jordan)
    LiveSession.objects.create(
        module=module,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Boyd County Public Library, meeting room",
        capacity=12,
        trainer=jordan,
    )
    # Another trainer's session the day before, with someone on its roster.
    other_trainer = UserFactory(email="sam@example.org")
    add_to_trainers(other_trainer)
    other = LiveSession.objects.create(
        module=module,
        starts_at=starts - datetime.timedelta(days=1),
        ends_at=starts - datetime.timedelta(days=1, hours=-2),
        place="Pike County Public Library District",
        capacity=12,
        trainer=other_trainer,
    )
    live_session_register(
        enrollment=course_register(user=UserFactory(), course=course), session=other
    )
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

    # The session takes place; its trainer records attendance on their roster, which holds
    # their own session only.
    with time_machine.travel(starts + datetime.timedelta(hours=1), tick=True):
        trainer = browser.new_page()
        sign_in(trainer, f"{base}/admin/login/", "jordan@example.org")
        visit(trainer, f"{base}/admin/courses/livesessionregistration/")
        assert_accessible(trainer)
        expect(trainer.locator("#result_list tbody tr")).to_have_count(1)
        expect(trainer.locator("#result_list")).to_contain_text("Casey")
        expect(trainer.get_by_label("Action:").locator("option")).not_to_contain_text(
            ["Remove from the session (promotes the waiting list)"]
        )
        trainer.locator("input[name=_selected_action]").first.check()
        trainer.get_by_label("Action:").select_option(label="Record as attended")
        trainer.get_by_role("button", name="Go").click()
        expect(trainer.get_by_text("Attendance recorded for 1 person.")).to_be_visible()
        assert_accessible(trainer)

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


def register_for_the_session(page: Page, base: str, course: Course, day: str) -> None:
    """On the course page: register for the course, open its live session, take a seat (or a
    place on the waiting list)."""
    visit(page, f"{base}/courses/{course.pk}/")
    page.get_by_role("button", name=f"Register for {course.title}").click()
    page.get_by_role("link", name="Continue with De-escalation workshop").click()
    page.get_by_role("button", name=f"Register for the session of {day}").click()
    page.wait_for_load_state()


def emails_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


@pytest.mark.django_db(transaction=True)
def test_a_cancelled_seat_goes_to_the_waiting_list_in_order_with_one_email_each(
    live_server, page: Page, browser: Browser, migration_installed_data
):
    base = live_server.url
    course = CourseFactory(title="Solving Difficult Situations in the Library")
    module = CourseModule.objects.create(
        course=course, position=1, title="De-escalation workshop", kind=CourseModule.Kind.LIVE
    )
    starts = timezone.now() + datetime.timedelta(days=3)
    LiveSession.objects.create(
        module=module,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Boyd County Public Library, meeting room",
        capacity=1,
    )
    day = f"{timezone.localtime(starts):%m/%d/%Y}"
    add_to_reviewers(UserFactory(email="robin@example.org", first_name="Robin"))
    for first_name, last_name in [("Alex", "Adams"), ("Blake", "Brown"), ("Casey", "Clark")]:
        UserFactory(
            email=f"{first_name.lower()}@example.org", first_name=first_name, last_name=last_name
        )
    module_url = f"{base}/courses/{course.pk}/modules/{module.pk}/"
    status = page.locator(".live-registration")

    # Alex takes the only seat; Blake and then Casey join the waiting list and are told their place.
    sign_in(page, f"{base}/accounts/login/", "alex@example.org")
    register_for_the_session(page, base, course, day)
    expect(status).to_contain_text(f"You are registered for the session of {day}")
    blake = browser.new_page()
    sign_in(blake, f"{base}/accounts/login/", "blake@example.org")
    register_for_the_session(blake, base, course, day)
    expect(blake.get_by_role("status")).to_contain_text(
        f"The session of {day} is full; you are number 1 on its waiting list."
    )
    expect(blake.locator(".live-registration")).to_contain_text(
        f"You are number 1 on the waiting list of the session of {day}"
    )
    expect(blake.get_by_role("cell", name="1 seat, 1 taken")).to_be_visible()
    assert_accessible(blake)
    casey = browser.new_page()
    sign_in(casey, f"{base}/accounts/login/", "casey@example.org")
    register_for_the_session(casey, base, course, day)
    expect(casey.locator(".live-registration")).to_contain_text("You are number 2 on the waiting")

    # Alex cancels with the keyboard alone; the confirmation takes focus in the status region.
    # A second tab, opened before, still offers the button: its refusal is announced the same way.
    second_tab = page.context.new_page()
    second_tab.goto(module_url)
    alex = KeyboardUser(page)
    page.goto(module_url)
    alex.skip_to_main()
    alex.activate(page.get_by_role("button", name="Cancel my registration"))
    message = page.locator("[data-page-message]")
    expect(message).to_be_focused()
    expect(message).to_have_attribute("role", "status")
    expect(message).to_contain_text(
        f"Your registration for the session of {day} is cancelled. You may register for "
        "another session."
    )
    expect(page.get_by_role("button", name=f"Register for the session of {day}")).to_be_visible()
    assert_accessible(page)
    in_second_tab = KeyboardUser(second_tab)
    in_second_tab.skip_to_main()
    in_second_tab.activate(second_tab.get_by_role("button", name="Cancel my registration"))
    expect(second_tab.locator("[data-page-message]")).to_be_focused()
    expect(second_tab.get_by_role("status")).to_contain_text(
        "This registration was already cancelled."
    )
    alex.assert_focus_was_visible()
    in_second_tab.assert_focus_was_visible()

    # Blake, first in line, has the seat and one email saying so; Casey moves up.
    visit(blake, module_url)
    expect(blake.locator(".live-registration")).to_contain_text(
        f"You are registered for the session of {day}"
    )
    expect(blake.get_by_role("button", name="Cancel my registration")).to_be_visible()
    [email] = emails_to("blake@example.org")
    assert email.subject == f"A seat is yours: De-escalation workshop on {day}"
    assert f"{module_url.removeprefix(base)}" in email.body
    visit(casey, module_url)
    expect(casey.locator(".live-registration")).to_contain_text("You are number 1 on the waiting")
    assert emails_to("casey@example.org") == []
    assert emails_to("alex@example.org") == []

    # A reviewer removes Blake on the roster in the review site; Casey gets the seat.
    reviewer = browser.new_page()
    sign_in(reviewer, f"{base}/admin/login/", "robin@example.org")
    visit(reviewer, f"{base}/admin/courses/livesessionregistration/")
    reviewer.locator("#result_list tbody tr", has_text="Blake Brown").locator(
        "input[name=_selected_action]"
    ).check()
    reviewer.get_by_label("Action:").select_option(
        label="Remove from the session (promotes the waiting list)"
    )
    with reviewer.expect_navigation():
        reviewer.get_by_role("button", name="Go").click()
    expect(
        reviewer.get_by_text(
            "Removed 1 person and emailed them; 1 promoted from the waiting list and emailed."
        )
    ).to_be_visible()
    assert_accessible(reviewer)
    expect(reviewer.locator("#result_list tbody tr")).to_have_count(1)
    expect(reviewer.locator("#result_list tbody tr")).to_contain_text("Casey Clark")

    visit(casey, module_url)
    expect(casey.locator(".live-registration")).to_contain_text(
        f"You are registered for the session of {day}"
    )
    visit(blake, module_url)
    expect(blake.get_by_role("button", name=f"Register for the session of {day}")).to_be_visible()
    [seat_for_casey] = emails_to("casey@example.org")
    assert seat_for_casey.subject == f"A seat is yours: De-escalation workshop on {day}"
    # Blake still has the one email about the seat, and now one saying it was taken away.
    assert [email.subject for email in emails_to("blake@example.org")] == [
        f"A seat is yours: De-escalation workshop on {day}",
        f"Your place in De-escalation workshop on {day} is cancelled",
    ]
    assert emails_to("alex@example.org") == []
    promoted = OutboxMessage.objects.filter(kind="live_session_promoted")
    assert sorted(promoted.values_list("to", flat=True)) == [
        "blake@example.org",
        "casey@example.org",
    ]
    assert not promoted.filter(sent_at__isnull=True).exists()
    registration = LiveSessionRegistration.objects.get()
    assert registration.enrollment.user.email == "casey@example.org"
    assert registration.status == LiveSessionRegistration.Status.REGISTERED
