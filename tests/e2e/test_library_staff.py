import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import assert_accessible, visit
from tests.factories import (
    PASSWORD,
    LibraryFactory,
    LibraryRoleFactory,
    RegistrationFactory,
    UserFactory,
)


@pytest.mark.django_db(transaction=True)
def test_it_shows_a_director_only_their_librarys_staff(live_server, page: Page):
    library = LibraryFactory(name="Boyd County Public Library", county="Boyd")
    director = UserFactory(email="dana@example.org", library=library, last_name="Director")
    LibraryRoleFactory(user=director, library=library)
    colleague = UserFactory(library=library, first_name="Casey", last_name="Jones")
    ends = timezone.localdate() + datetime.timedelta(days=45)
    RegistrationFactory(
        user=colleague,
        cycle_start=ends - datetime.timedelta(days=5 * 365),
        cycle_end=ends,
        earned_credits=Decimal("7.5"),
    )
    UserFactory(first_name="Oscar", last_name="Outside")

    visit(page, f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill("dana@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.get_by_role("link", name="Library staff").click()

    expect(page.get_by_role("heading", name="Staff of Boyd County Public Library")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("rowheader", name="Casey Jones")).to_be_visible()
    expect(table.get_by_text("Within 90 days")).to_be_visible()
    expect(table.get_by_text("Oscar Outside")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Cycle ends").select_option(label="Within 90 days")
    page.get_by_role("button", name="Apply").click()
    expect(table.get_by_role("rowheader")).to_have_count(1)
    assert_accessible(page)
