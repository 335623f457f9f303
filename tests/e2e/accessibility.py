"""The accessibility check every end-to-end test runs on every page it visits."""

from __future__ import annotations

from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


# Checked at the test's own size (desktop, 1280 px), on a phone (360 px) and at 200 % zoom, which
# for a 1280 px window is a 640 px CSS viewport (WCAG 1.4.4 and 1.4.10 reflow).
PHONE = {"width": 360, "height": 740}
ZOOM_200 = {"width": 640, "height": 360}
# Best-practice rules beyond WCAG that keep landmarks and scroll regions usable.
BEST_PRACTICE_RULES = ["landmark-unique", "scrollable-region-focusable"]


def _violations(page: Page) -> list[dict]:
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}})
    found = results.response.get("violations", [])
    extra = _axe.run(page, options={"runOnly": {"type": "rule", "values": BEST_PRACTICE_RULES}})
    return found + extra.response.get("violations", [])


# The phone and zoomed sizes are checked once per page state (path and title) in a test run:
# re-checking an identical page at every visit only makes the suite slower.
_checked_narrow: set[tuple[str, str]] = set()


def assert_accessible(page: Page) -> None:
    """Run axe-core (shipped offline in axe-playwright-python) at desktop size, at 360 px and at
    200 % zoom, and fail on any WCAG 2.x A/AA violation or broken landmark/scroll region,
    listing each rule, the size and the elements it found."""
    violations: list[tuple[str, dict]] = []
    original = page.viewport_size
    sizes = [("desktop", original)]
    state = (urlsplit(page.url).path, page.title())
    if state not in _checked_narrow:
        _checked_narrow.add(state)
        sizes += [("360 px", PHONE), ("200 % zoom", ZOOM_200)]
    try:
        for size_name, size in sizes:
            if size is not None and size != page.viewport_size:
                page.set_viewport_size(size)
            violations += [(size_name, violation) for violation in _violations(page)]
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 1:
                violations.append(
                    (
                        size_name,
                        {
                            "id": "page-scrolls-sideways",
                            "impact": "serious",
                            "help": f"the page scrolls sideways by {overflow}px (WCAG 1.4.10)",
                            "nodes": [],
                        },
                    )
                )
    finally:
        if original is not None and page.viewport_size != original:
            page.set_viewport_size(original)
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
        for size_name, violation in violations:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
            lines.append(
                f"- [{size_name}] {violation['id']} ({violation['impact']}): "
                f"{violation['help']} -> {targets}"
            )
        raise AssertionError("\n".join(lines))


def visit(page: Page, url: str) -> None:
    """Open a page and check it."""
    page.goto(url)
    assert_accessible(page)
