import pytest


@pytest.fixture(autouse=True)
def _e2e_marker(request):
    request.node.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _no_content_security_policy_violations(request):
    """Fail a browser test when the Content-Security-Policy refused anything on any page it
    opened: an inline script or style left in a template would otherwise break silently."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations: list[str] = []

    def watch(message) -> None:
        # Scripts the test itself evaluates (axe-core) have no URL: their own doings are not
        # the portal's. Anything a page's markup or static files did names that page or file.
        if "Content Security Policy" in message.text and message.location.get("url"):
            violations.append(f"{message.location['url']}: {message.text}")

    page.context.on("console", watch)
    yield violations
    assert not violations, "\n".join(violations)
