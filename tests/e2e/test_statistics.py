"""A KDLA reviewer opens the statewide statistics in real Chromium: the charts render, the page
passes axe, and the CSV downloaded from it holds the numbers the page shows."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.reviewers import add_to_reviewers
from certifications.models import Registration
from tests.e2e.test_reviewer import click_and_check, sign_in_to_review_site
from tests.factories import LibraryFactory, RegistrationFactory, UserFactory


def certified_staff(library, *, count: int, hours_met: bool) -> None:
    ends = timezone.localdate() + datetime.timedelta(days=400)
    for _ in range(count):
        RegistrationFactory(
            user=UserFactory(library=library),
            status=Registration.Status.COMPLETED if hours_met else Registration.Status.ACTIVE,
            compliance=(
                Registration.Compliance.COMPLIANT
                if hours_met
                else Registration.Compliance.NOT_COMPLIANT
            ),
            cycle_start=ends - datetime.timedelta(days=5 * 365),
            cycle_end=ends,
            earned_credits=Decimal("15") if hours_met else Decimal("4"),
        )


def table_rows(page: Page, slug: str) -> list[list[str]]:
    return page.locator(f'table[data-table="{slug}"] tbody tr').evaluate_all(
        "rows => rows.map(row => Array.from(row.cells, cell => cell.textContent.trim()))"
    )


@pytest.mark.django_db(transaction=True)
def test_a_reviewer_opens_the_statewide_statistics_and_downloads_the_csv(
    live_server, page: Page, migration_installed_data
):
    cache.clear()  # the live server shares this process's cache
    boyd = LibraryFactory(name="Boyd County Public Library", county="Boyd")
    certified_staff(boyd, count=6, hours_met=True)
    certified_staff(boyd, count=5, hours_met=False)
    pike = LibraryFactory(name="Pike County Public Library District", county="Pike")
    certified_staff(pike, count=2, hours_met=False)
    reviewer = UserFactory(email="robin@kdla.example.org", library=None)
    add_to_reviewers(reviewer)

    sign_in_to_review_site(page, live_server.url, reviewer.email)
    click_and_check(page, page.get_by_role("link", name="Statewide statistics"))

    expect(page.get_by_role("heading", name="Statewide statistics")).to_be_visible()
    chart = page.get_by_role("img", name="Chart: Certified staff with hours met, by county")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["height"] > 100
    expect(page.locator("svg.statistics-chart")).to_have_count(5)
    expect(page.locator("svg.statistics-chart rect.chart-bar").first).to_be_visible()
    page_rows = table_rows(page, "compliance-by-library")
    assert ["Boyd County Public Library", "11", "11", "6", "54.5"] in page_rows
    assert [
        "Pike County Public Library District",
        "fewer than 5",
        "fewer than 5",
        "0",
        "not shown",
    ] in page_rows

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV of Compliance by library system").click()
    download = download_info.value
    with open(download.path(), encoding="utf-8") as exported:
        rows = list(csv.reader(io.StringIO(exported.read())))
    assert rows[0][0] == "Library system"
    assert rows[1:] == page_rows

    click_and_check(page, page.get_by_role("link", name="Printable annual report"))
    expect(
        page.get_by_role("heading", name=f"Annual report {timezone.localdate().year}")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Chart: Certified staff by level")).to_be_visible()
