"""The review site at a 1280 px window with something waiting in every queue: the reviewer
overview on the front page is readable (each heading on one line, no word broken into letters)
and every queue's list of pending items fits the window without sideways scrolling, with the
navigation sidebar closed (as it starts) and open."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from certificates.models import NameChangeRequest
from portal.demo.people import DEMO_PASSWORD, DEMO_REVIEWER_EMAIL, DEMO_STAFF_EMAIL
from portal.demo.review_queue import DEMO_PDF, DEMO_SECOND_STAFF_EMAIL
from review.queues import registered_queues
from tests.asynchronous.factories import (
    AsyncCompletionFactory,
    CourseApprovalRequestFactory,
    renewal_registration,
)
from tests.e2e.accessibility import assert_accessible, visit

WINDOW = {"width": 1280, "height": 900}

# For every heading cell of the overview table: how many lines it takes (its height over its
# line height) and the words whose letters were drawn on more than one line.
_OVERVIEW_HEADINGS_JS = """
() => [...document.querySelectorAll(".reviewer-overview table th")].map((cell) => {
  const style = getComputedStyle(cell);
  const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
  // The text's own height: a cell is as tall as the tallest cell of its row.
  const contents = document.createRange();
  contents.selectNodeContents(cell);
  const inner = contents.getBoundingClientRect().height;
  const broken = [];
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.textContent.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
      if (tops.size > 1) { broken.push(match[0]); }
    }
  }
  return {
    text: cell.innerText.trim(),
    inHead: cell.closest("thead") !== null,
    lines: inner / lineHeight,
    broken,
  };
})
"""

# How far the page, and the list of results inside its box, would scroll sideways.
_SIDEWAYS_JS = """
() => {
  const results = document.querySelector("#changelist .results");
  const table = document.querySelector("#result_list");
  return {
    page: document.documentElement.scrollWidth - window.innerWidth,
    results: results ? results.scrollWidth - results.clientWidth : null,
    table: table && results ? table.getBoundingClientRect().width - results.clientWidth : null,
    rows: document.querySelectorAll("#result_list tbody tr").length,
  };
}
"""


def something_waiting_in_every_queue() -> None:
    """The demo data (a file and a credit request), plus course approval requests, reports of
    asynchronous completions and a name change, with the long names real ones have."""
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    pat = User.objects.get(email=DEMO_STAFF_EMAIL)
    jordan = User.objects.get(email=DEMO_SECOND_STAFF_EMAIL)
    now = timezone.now()
    CourseApprovalRequestFactory(
        user=jordan,
        provider_name="Kentucky Public Library Association Continuing Education",
        provider_url="https://www.kpla.org/continuing-education/",
        course_title="Grant Writing and Reporting for Small and Rural Public Libraries",
        course_url="https://www.kpla.org/continuing-education/grant-writing-and-reporting",
        length_hours=Decimal("12.5"),
        submitted_at=now - datetime.timedelta(days=9),
    )
    registration = renewal_registration(pat)
    for days_ago, title in [
        (6, "Data Literacy for Librarians: Finding, Reading and Explaining Statistics"),
        (1, "Serving Patrons Experiencing Homelessness"),
    ]:
        AsyncCompletionFactory(
            user=pat,
            registration=registration,
            course_title=title,
            hours=Decimal("10.5"),
            submitted_at=now - datetime.timedelta(days=days_ago),
        )
    name_change = NameChangeRequest(
        user=jordan,
        current_name=jordan.full_name,
        new_first_name="Jordan",
        new_last_name="Sample-Whitfield",
        proof_name="marriage-certificate.pdf",
        proof_content_type="application/pdf",
        proof_size=len(DEMO_PDF),
        submitted_at=now - datetime.timedelta(days=4),
    )
    name_change.proof.save("marriage-certificate.pdf", ContentFile(DEMO_PDF), save=False)
    name_change.save()


def sign_in_as_reviewer(browser: Browser, base_url: str) -> Page:
    page = browser.new_context(viewport=WINDOW, locale="en-US").new_page()
    visit(page, f"{base_url}/admin/")
    page.get_by_label("Email address").fill(DEMO_REVIEWER_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Reviewer overview")).to_be_visible()
    return page


@pytest.mark.django_db(transaction=True)
def test_the_overview_and_every_queue_fit_a_1280_px_window(live_server, browser: Browser):
    something_waiting_in_every_queue()
    queues = registered_queues()
    page = sign_in_as_reviewer(browser, live_server.url)
    assert_accessible(page)

    headings = page.evaluate(_OVERVIEW_HEADINGS_JS)
    assert [cell["text"] for cell in headings if not cell["inHead"]] == [
        queue.title for queue in queues
    ]
    for cell in headings:
        assert not cell["broken"], f"{cell['text']!r} breaks {cell['broken']} across lines"
        if cell["inHead"]:
            assert cell["lines"] < 2, (
                f"the heading {cell['text']!r} takes {cell['lines']:.1f} lines"
            )
    overview = page.locator(".reviewer-overview")
    for queue in queues:
        expect(overview.get_by_role("row", name=queue.title)).not_to_contain_text("None waiting")

    for queue in queues:
        visit(page, f"{live_server.url}/admin/")
        with page.expect_navigation():
            overview.get_by_role("link", name=queue.title).click()
        assert page.url == f"{live_server.url}{queue.changelist_url}"
        assert_fits_the_window(page, queue.title)

    # The same with the navigation sidebar open (it starts closed; Django remembers the choice).
    page.get_by_role("button", name="Toggle navigation").click()
    expect(page.locator("#nav-sidebar")).to_be_visible()
    for queue in queues:
        visit(page, f"{live_server.url}{queue.changelist_url}")
        expect(page.locator("#nav-sidebar")).to_be_visible()
        assert_fits_the_window(page, f"{queue.title} (navigation open)")


def assert_fits_the_window(page: Page, name: str) -> None:
    assert_accessible(page)
    sideways = page.evaluate(_SIDEWAYS_JS)
    assert sideways["rows"] >= 1, f"{name}: nothing listed at {page.url}"
    assert sideways["page"] <= 0, f"{name}: the page scrolls sideways: {sideways}"
    assert sideways["results"] <= 0, f"{name}: the list scrolls sideways: {sideways}"
    assert sideways["table"] <= 1, f"{name}: the table is wider than its box: {sideways}"
