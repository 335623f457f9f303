"""The Content-Security-Policy is enforced by the browser, and the browser tests notice."""

import pytest
from playwright.sync_api import Page, Route

pytestmark = pytest.mark.django_db(transaction=True)

MARKUP_WITH_INLINE_CODE = """<!doctype html><html lang="en"><head><title>Sign in</title>
<script>window.inlineRan = true;</script></head>
<body><p style="color: red">Sign in</p></body></html>"""


def test_the_browser_refuses_inline_script_and_style_and_the_tests_see_it(
    live_server, page: Page, _no_content_security_policy_violations
):
    """The sign-in page, with its real headers, given markup holding inline code."""
    violations = _no_content_security_policy_violations

    def with_inline_code(route: Route) -> None:
        real = route.fetch()
        route.fulfill(response=real, body=MARKUP_WITH_INLINE_CODE)

    page.route("**/accounts/login/", with_inline_code)
    page.goto(f"{live_server.url}/accounts/login/")
    page.wait_for_timeout(500)  # console messages arrive after the load

    assert page.evaluate("() => window.inlineRan === undefined")
    assert any("script-src" in violation for violation in violations), violations
    assert any("style-src" in violation for violation in violations), violations
    violations.clear()  # seen on purpose: the watch must not fail this test
