"""Response headers every answer of the portal carries (docs/security.md, V14)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# The portal uses none of these browser features; a page (or an uploaded file shown in a
# preview) cannot ask for them. Fullscreen stays open to the portal's own pages (course player).
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "camera=()",
        "display-capture=()",
        "fullscreen=(self)",
        "geolocation=()",
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "usb=()",
    ]
)


# A stored file (PDF, image, Word, CSV) is no page of the portal: it may load nothing and run no
# script. The browser shows a PDF or an image inside a viewer page of its own whose markup
# carries style attributes (Chromium's), which a policy without 'unsafe-inline' styles would
# refuse; styles cannot run code, and nosniff keeps the file from being read as HTML.
FILE_POLICY = "; ".join(
    [
        "default-src 'none'",
        "img-src 'self'",
        "object-src 'self'",
        "style-src 'unsafe-inline'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)


def is_file(response: HttpResponse) -> bool:
    """A download or a previewed file, as opposed to a page of the portal."""
    return "Content-Disposition" in response.headers and not response.headers.get(
        "Content-Type", ""
    ).startswith("text/html")


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy to every response, frame-ancestors 'self' to the policy of a
    response the portal may frame, and ``Cache-Control: no-store`` to every
    response that does not choose its own caching.

    Pages, CSV files and downloads carry personal data and library staff share computers, so
    nothing the portal renders is kept by the browser or a proxy. Static files (WhiteNoise) and
    the few public documents that set their own Cache-Control keep theirs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if is_file(response):
            response.headers["Content-Security-Policy"] = FILE_POLICY
        if response.headers.get("X-Frame-Options") == "SAMEORIGIN":
            # A view that lets the portal frame it (file previews) lets only the portal.
            policy = response.headers.get("Content-Security-Policy", "")
            response.headers["Content-Security-Policy"] = policy.replace(
                "frame-ancestors 'none'", "frame-ancestors 'self'"
            )
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response
