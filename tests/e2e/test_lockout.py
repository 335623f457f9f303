import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import assert_accessible, visit
from tests.factories import PASSWORD, UserFactory


def submit_sign_in(page: Page, *, email: str, password: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_it_shows_an_accessible_page_when_sign_in_is_paused(live_server, page: Page):
    UserFactory(email="pat@example.org")
    visit(page, f"{live_server.url}/accounts/login/")
    for _ in range(4):
        submit_sign_in(page, email="pat@example.org", password="wrong-password")
        expect(
            page.get_by_text("Please enter a correct email address and password")
        ).to_be_visible()

    submit_sign_in(page, email="pat@example.org", password="wrong-password")
    expect(page.get_by_role("heading", name="Sign-in paused")).to_be_visible()

    visit(page, f"{live_server.url}/accounts/login/")
    submit_sign_in(page, email="pat@example.org", password=PASSWORD)
    expect(page.get_by_role("heading", name="Sign-in paused")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(
        "Too many failed sign-in attempts. For your security, sign-in for this account is "
        "paused for 15 minutes. You can reset your password."
    )

    page.get_by_role("link", name="reset your password").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    assert_accessible(page)
