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


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy to every response and ``Cache-Control: no-store`` to every
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
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response
