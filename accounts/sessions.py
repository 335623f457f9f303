"""Sessions end after ``SESSION_IDLE_MINUTES`` without a request (docs/security.md, V3).

Django's session lasts ``SESSION_COOKIE_AGE`` from its last save. Saving on every request
(``SESSION_SAVE_EVERY_REQUEST``) would write the session row each time; instead a signed-in
person's session is saved again once ``SESSION_REFRESH_SECONDS`` have passed since the last
save, which moves its end. A session therefore ends between ``SESSION_IDLE_MINUTES`` minus
``SESSION_REFRESH_SECONDS`` and ``SESSION_IDLE_MINUTES`` after the last request.
"""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REFRESHED_AT_KEY = "kdla_session_refreshed_at"


def mark_session_refreshed(*, request: HttpRequest | None, **kwargs: Any) -> None:
    """At sign-in the session is new: start its idle clock (receiver of ``user_logged_in``)."""
    if request is not None and hasattr(request, "session"):
        request.session[REFRESHED_AT_KEY] = int(time.time())


class IdleSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            refreshed_at = request.session.get(REFRESHED_AT_KEY, 0)
            if now - refreshed_at >= settings.SESSION_REFRESH_SECONDS:
                request.session[REFRESHED_AT_KEY] = now  # saved, with a new end, on the way out
        return self.get_response(request)
