"""The accessibility check every end-to-end test runs on every page it visits."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


def assert_accessible(page: Page) -> None:
    """Run axe-core (shipped offline in axe-playwright-python) and fail on any WCAG 2.x
    A/AA violation, listing each rule and the elements it found."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}})
    violations = results.response.get("violations", [])
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
        for violation in violations:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']} -> {targets}"
            )
        raise AssertionError("\n".join(lines))


def visit(page: Page, url: str) -> None:
    """Open a page and check it."""
    page.goto(url)
    assert_accessible(page)
