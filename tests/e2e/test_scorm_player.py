"""A course manager uploads SCORM 2004 and SCORM 1.2 packages (one of them of two SCOs) in the
review site; a staff member plays them through, leaving halfway and coming back, in real Chromium."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from accounts.reviewers import add_to_reviewers
from courses.models import CourseModule, Enrollment, ScormAttempt, ScormInteraction
from tests.e2e.accessibility import assert_accessible, visit
from tests.factories import PASSWORD, CourseFactory, UserFactory
from tests.fixtures.scorm_packages import scorm_package_zip, scorm_two_sco_zip


def sign_in(page: Page, url: str, email: str) -> None:
    visit(page, url)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form [type=submit]").click()
    page.wait_for_load_state()


def upload_package(page: Page, base_url: str, module: CourseModule, zip_path) -> None:
    visit(page, f"{base_url}/admin/courses/scormpackage/add/")
    page.get_by_label("Module").select_option(label=str(module))
    page.get_by_label("SCORM package (.zip)").set_input_files(str(zip_path))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was added successfully")).to_be_visible()


def package_frame(page: Page):
    """The package's frame once its script has started (a click before would be lost)."""
    frame = page.frame_locator("#scorm-frame")
    expect(frame.locator("html[data-sco-ready]")).to_have_count(1)
    return frame


def play_to_the_end(page: Page, *, pages_left: int) -> None:
    frame = package_frame(page)
    for _ in range(pages_left):
        on_page = frame.locator("section:not([hidden]) h2").inner_text()
        frame.get_by_role("button", name="Next").click()
        expect(frame.locator("section:not([hidden]) h2")).not_to_have_text(on_page)
    frame.get_by_role("button", name="Finish", exact=True).click()
    expect(frame.get_by_text("Finished.")).to_be_visible()
    expect(page.get_by_text("Your progress was saved.")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_a_learner_plays_scorm_2004_and_12_packages_through(
    live_server, browser, tmp_path, migration_installed_data
):
    base = live_server.url
    course = CourseFactory(title="Customer Service in Practice")
    modern = CourseModule.objects.create(
        course=course, position=1, title="Service scenarios", kind=CourseModule.Kind.SCORM
    )
    classic = CourseModule.objects.create(
        course=course, position=2, title="Service refresher", kind=CourseModule.Kind.SCORM
    )
    add_to_reviewers(UserFactory(email="manager@example.org"))
    UserFactory(email="casey@example.org", first_name="Casey")
    for standard in ("2004", "1.2"):
        (tmp_path / f"package-{standard}.zip").write_bytes(
            scorm_package_zip(standard=standard, title=f"Service course {standard}")
        )

    manager = browser.new_page()
    sign_in(manager, f"{base}/admin/login/", "manager@example.org")
    upload_package(manager, base, modern, tmp_path / "package-2004.zip")
    upload_package(manager, base, classic, tmp_path / "package-1.2.zip")
    manager.close()

    context = browser.new_context()
    page = context.new_page()
    sign_in(page, f"{base}/accounts/login/", "casey@example.org")
    visit(page, f"{base}/courses/{course.pk}/")
    page.get_by_role("button", name="Register for Customer Service in Practice").click()

    # SCORM 2004: one page on, then the tab is closed halfway.
    page.get_by_role("link", name="Continue with Service scenarios").click()
    frame = package_frame(page)
    expect(frame.get_by_role("heading", name="Page 1 of 3: Welcome")).to_be_visible()
    assert_accessible(page)
    frame.get_by_role("button", name="Next").click()
    expect(frame.get_by_role("heading", name="Page 2 of 3: Listening")).to_be_visible()
    page.close()

    # Launching again resumes on page 2.
    page = context.new_page()
    visit(page, f"{base}/courses/{course.pk}/")
    page.get_by_role("link", name="Continue with Service scenarios").click()
    frame = package_frame(page)
    expect(frame.get_by_role("heading", name="Page 2 of 3: Listening")).to_be_visible()
    play_to_the_end(page, pages_left=1)
    page.get_by_role("link", name="Back to Customer Service in Practice").click()
    expect(page.get_by_text("1 of 2 modules done.")).to_be_visible()

    # SCORM 1.2, straight through.
    page.get_by_role("link", name="Continue with Service refresher").click()
    play_to_the_end(page, pages_left=2)
    page.get_by_role("link", name="Back to Customer Service in Practice").click()
    expect(page.get_by_text("The course is complete.")).to_be_visible()
    expect(page.locator(".module-list")).to_contain_text("Done (90%)")
    assert_accessible(page)

    enrollment = Enrollment.objects.get(user__email="casey@example.org")
    assert enrollment.status == Enrollment.Status.COMPLETED
    attempts = {a.module_id: a for a in ScormAttempt.objects.filter(enrollment=enrollment)}
    assert attempts[modern.pk].completion_status == "completed"
    assert attempts[modern.pk].success_status == "passed"
    assert attempts[classic.pk].lesson_status == "passed"
    # The check question, as scorm-again committed it, stored as a row of each attempt.
    stored = {
        row.attempt_id: row
        for row in ScormInteraction.objects.filter(attempt__in=attempts.values())
    }
    for attempt, response_time in (
        (attempts[modern.pk], "2026-12-03T10:15:03.0-05:00"),
        (attempts[classic.pk], "10:15:03"),
    ):
        row = stored[attempt.pk]
        assert (row.index, row.interaction_id, row.interaction_type) == (
            0,
            "follow-through",
            "choice",
        )
        assert (row.learner_response, row.result) == ("check_back", "correct")
        assert (row.correct_responses, row.objective_ids) == (["check_back"], ["service"])
        assert (row.weighting, row.timestamp_text) == (1, response_time)
    assert stored[attempts[modern.pk].pk].description == "How do you follow through?"
    assert stored[attempts[modern.pk].pk].timestamp == datetime.datetime(
        2026, 12, 3, 15, 15, 3, tzinfo=datetime.UTC
    )
    context.close()


@pytest.mark.django_db(transaction=True)
def test_a_learner_plays_a_two_sco_package_through_and_resumes_the_second_sco(
    live_server, browser, tmp_path, migration_installed_data
):
    base = live_server.url
    course = CourseFactory(title="Service at the Desk")
    module = CourseModule.objects.create(
        course=course, position=1, title="Desk skills", kind=CourseModule.Kind.SCORM
    )
    add_to_reviewers(UserFactory(email="manager@example.org"))
    UserFactory(email="casey@example.org", first_name="Casey")
    (tmp_path / "desk.zip").write_bytes(scorm_two_sco_zip(standard="2004"))
    manager = browser.new_page()
    sign_in(manager, f"{base}/admin/login/", "manager@example.org")
    upload_package(manager, base, module, tmp_path / "desk.zip")
    manager.close()

    context = browser.new_context()
    page = context.new_page()
    sign_in(page, f"{base}/accounts/login/", "casey@example.org")
    visit(page, f"{base}/courses/{course.pk}/")
    page.get_by_role("button", name="Register for Service at the Desk").click()

    # The first SCO opens, marked as the current one in the list of the package's SCOs.
    page.get_by_role("link", name="Continue with Desk skills").click()
    parts = page.get_by_role("navigation", name="Parts of Desk skills")
    expect(parts.locator("[aria-current=page]")).to_have_text("Greeting patrons")
    expect(page.locator("#scorm-frame")).to_have_attribute(
        "title", "Greeting patrons, part 1 of 2 of Desk skills (SCORM package)"
    )
    package_frame(page)
    assert_accessible(page)
    play_to_the_end(page, pages_left=2)
    expect(page.locator("#scorm-status")).to_contain_text(
        "Choose “Next: Answering questions” below the package to go on."
    )

    # By keyboard to the next unfinished SCO; one page on, then the tab is closed.
    next_sco = page.get_by_role("link", name="Next: Answering questions")
    next_sco.focus()
    page.keyboard.press("Enter")
    expect(parts.locator("[aria-current=page]")).to_have_text("Answering questions")
    expect(parts).to_contain_text("Greeting patrons (done)")
    frame = package_frame(page)
    expect(frame.get_by_role("heading", name="Answering questions", exact=True)).to_be_visible()
    frame.get_by_role("button", name="Next").click()
    expect(frame.get_by_role("heading", name="Page 2 of 3: Listening")).to_be_visible()
    page.close()

    # Coming back resumes the second SCO where it was left.
    page = context.new_page()
    visit(page, f"{base}/courses/{course.pk}/")
    page.get_by_role("link", name="Continue with Desk skills").click()
    parts = page.get_by_role("navigation", name="Parts of Desk skills")
    expect(parts.locator("[aria-current=page]")).to_have_text("Answering questions")
    frame = package_frame(page)
    expect(frame.get_by_role("heading", name="Page 2 of 3: Listening")).to_be_visible()
    assert_accessible(page)
    play_to_the_end(page, pages_left=1)
    page.get_by_role("link", name="Back to Service at the Desk").click()
    expect(page.get_by_text("The course is complete.")).to_be_visible()
    expect(page.locator(".module-list")).to_contain_text("Done (90%)")

    enrollment = Enrollment.objects.get(user__email="casey@example.org")
    assert enrollment.status == Enrollment.Status.COMPLETED
    attempts = ScormAttempt.objects.filter(enrollment=enrollment).order_by("sco__order")
    assert [(a.completion_status, a.success_status) for a in attempts] == [
        ("completed", "passed"),
        ("completed", "passed"),
    ]
    context.close()
