import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import assert_accessible, visit
from tests.factories import PASSWORD, UserFactory


@pytest.mark.django_db(transaction=True)
def test_it_signs_in_through_a_real_browser(live_server, page: Page):
    UserFactory(email="pat@example.org", first_name="Pat")
    visit(page, f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Sign in to the Learning Portal")).to_be_visible()
    page.get_by_label("Email address").fill("pat@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_it_shows_a_clear_message_for_a_wrong_password(live_server, page: Page):
    UserFactory(email="pat@example.org")
    visit(page, f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill("pat@example.org")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Please enter a correct email address and password")).to_be_visible()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_it_signs_up_a_new_staff_member(live_server, page: Page):
    from tests.factories import LibraryFactory

    LibraryFactory(name="Boyd County Public Library", county="Boyd")
    visit(page, f"{live_server.url}/accounts/signup/")
    page.get_by_label("First name").fill("Casey")
    page.get_by_label("Last name").fill("Jones")
    page.get_by_label("Email address").fill("casey@example.org")
    page.get_by_label("Library").select_option(label="Boyd County Public Library (Boyd County)")
    page.get_by_label("Hours worked per month").fill("60")
    page.locator("#id_password1").fill("reading-is-fun-2026")
    page.get_by_label("Password confirmation").fill("reading-is-fun-2026")
    page.get_by_role("button", name="Create account").click()
    expect(
        page.get_by_text("Thank you. We have sent an email to casey@example.org.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email address").fill("casey@example.org")
    page.get_by_label("Password").fill("reading-is-fun-2026")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    assert_accessible(page)
