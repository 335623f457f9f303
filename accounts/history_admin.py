"""History in the review site is a record, not an editor.

django-simple-history's version page (`…/history/<history_id>/`) shows a version as a change
form and, on POST, saves it back as the current row — even with
``SIMPLE_HISTORY_REVERT_DISABLED``, which only hides the button. Saving an old version would
change a decision without its service (no email, no recount of earned hours, no check), so
every History page here is read-only for everyone, superusers included.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict | None = None,
    ) -> HttpResponse:
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
