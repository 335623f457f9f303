"""Pieces shared by the review site's queues (files, credit requests): how dates show, where the
stored file is previewed, and the behaviour every queue has in common."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from certifications.models import Registration
from review.admin_decisions import DecisionOnlyAdminMixin

PREVIEW_CONTENT_TYPES = {"application/pdf": "pdf", "image/jpeg": "image", "image/png": "image"}
PENDING_QUERY = "?status__exact=PENDING"


def us_date(value: datetime.date | datetime.datetime | None) -> str:
    """MM/DD/YYYY, as the agency writes dates (datetimes in Kentucky's local time)."""
    if value is None:
        return "-"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return value.strftime("%m/%d/%Y")


def us_datetime(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%m/%d/%Y %I:%M %p") if value else "-"


def days_since(moment: Any) -> int:
    return (timezone.localdate() - timezone.localdate(moment)).days


def cycle_text(registration: Registration) -> str:
    return f"{registration.cycle_start:%m/%d/%Y} – {registration.cycle_end:%m/%d/%Y}"


def stored_file_urls(url_name: str, pk: int) -> tuple[str, str]:
    """The permission-checked download URL of a stored file and its inline preview URL."""
    try:
        download = reverse(url_name, kwargs={"pk": pk})
    except NoReverseMatch:
        return "", ""
    return download, f"{download}?inline=1"


def refusal_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class ReviewQueueAdminMixin(DecisionOnlyAdminMixin):
    """A review queue: the pending rows oldest first under ``queue_title``, the uploaded file
    shown inline on the change page, and decisions only through their own URLs (services) —
    the row itself is never added, edited or deleted by hand.

    Subclasses set ``pending_status``, ``queue_title``, ``received_field`` (when the item
    arrived) and ``file_url_name``, and implement ``stored_file`` and ``decision_context``.
    Every item is made for a registration (a cycle or an application): the columns person,
    library, credential, cycle and decided are the same in every queue (``list_select_related``
    should hold ``registration__user__library`` and ``registration__credential_type``).
    """

    pending_status: str
    queue_title: str
    received_field: str
    file_url_name: str

    def stored_file(self, item: Model) -> tuple[str, str]:
        """The uploaded file's (original name, content type)."""
        raise NotImplementedError

    def decision_context(self, request: HttpRequest, item: Model) -> dict[str, Any]:
        """What the decision panel of the change page needs."""
        raise NotImplementedError

    @admin.display(description="person", ordering="registration__user__last_name")
    def person(self, item: Model) -> str:
        return item.registration.user.full_name

    @admin.display(description="library")
    def library(self, item: Model) -> str:
        library = item.registration.user.library
        return library.name if library else ""

    @admin.display(description="credential")
    def credential(self, item: Model) -> str:
        return item.registration.credential_type.display_label

    @admin.display(description="cycle")
    def cycle(self, item: Model) -> str:
        return cycle_text(item.registration)

    @admin.display(description="decided")
    def decided(self, item: Model) -> str:
        return us_datetime(item.decided_at)

    def is_queue(self, request: HttpRequest) -> bool:
        return request.GET.get("status__exact") == self.pending_status

    def get_ordering(self, request: HttpRequest) -> tuple[str, ...]:
        if self.is_queue(request):
            return (self.received_field, "pk")
        return (f"-{self.received_field}", "-pk")

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> Any:
        if self.is_queue(request):
            extra_context = {**(extra_context or {}), "title": self.queue_title}
        return super().changelist_view(request, extra_context)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The stored file itself is shown only through the permission-checked view.
        return self.fields

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> Any:
        item = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if item is not None:
            download_url, preview_url = stored_file_urls(self.file_url_name, item.pk)
            file_name, content_type = self.stored_file(item)
            opts = self.model._meta
            context.update(
                download_url=download_url,
                preview_url=preview_url,
                preview_kind=PREVIEW_CONTENT_TYPES.get(content_type),
                file_name=file_name,
                queue_url=reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
                + PENDING_QUERY,
                **self.decision_context(request, item),
            )
        return super().change_view(request, object_id, form_url, context)
