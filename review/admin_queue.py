"""The review site's queues, the same for every kind of submission: the pending items oldest
first under the queue's title, how many days each has waited, who it is about and their
library, the stored file previewed on the change page, and decisions only through their own
URLs (services) — the row itself is never added, edited or deleted by hand. History comes
from ``accounts.history_admin.ReadOnlyHistoryAdmin``, which every queue's admin also
inherits.

A queue whose decisions need a note (approve / reject with one note box) adds
:class:`DecisionPageAdminMixin`: one page per decision, GET shows it, POST decides.

Also here: how the review site writes dates (MM/DD/YYYY, Kentucky's local time).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html

from review.admin_decisions import DecisionOnlyAdminMixin, decision_urls, item_to_decide
from review.models import PENDING

PREVIEW_CONTENT_TYPES = {"application/pdf": "pdf", "image/jpeg": "image", "image/png": "image"}
PENDING_QUERY = f"?status__exact={PENDING}"
SHOW_ALL = "all"


def us_date(value: datetime.date | datetime.datetime | None) -> str:
    """MM/DD/YYYY, as the agency writes dates (datetimes in Kentucky's local time)."""
    if value is None:
        return "-"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return value.strftime("%m/%d/%Y")


def us_datetime(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%m/%d/%Y %I:%M %p") if value else "-"


def days_since(moment: datetime.datetime) -> int:
    return (timezone.localdate() - timezone.localdate(moment)).days


def cycle_text(registration: Any) -> str:
    """A registration's cycle, e.g. "01/06/2026 – 01/05/2031"."""
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


def _follow(item: Model, path: str) -> Any:
    for name in path.split("__"):
        item = getattr(item, name)
    return item


class PendingFirstStatusFilter(admin.SimpleListFilter):
    """A queue that opens on what awaits review; reviewers can still look at everything."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [*model_admin.model._meta.get_field("status").choices, (SHOW_ALL, "All")]

    def choices(self, changelist: ChangeList) -> Iterator[dict]:
        current = self.value() or PENDING
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value() or PENDING
        if value == SHOW_ALL:
            return queryset
        return queryset.filter(status=value)


class ReviewQueueAdminMixin(DecisionOnlyAdminMixin):
    """A review queue of ``review.models.ReviewedSubmission`` rows.

    Subclasses set ``queue_title``; ``person_path`` when the person is not the item's
    registration's (``"user"``); ``file_url_name`` and ``stored_file`` for the change page's
    preview; ``decision_context`` for its decision panel. The columns person, library,
    credential, cycle, age in days and decided are the same in every queue
    (``list_select_related`` should reach the person's library).
    """

    pending_status: str = PENDING
    queue_title: str = ""
    received_field = "submitted_at"
    person_path = "registration__user"
    file_url_name = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # The person column sorts by the person's last name wherever the person is found.
        if "person_path" in cls.__dict__:

            @admin.display(description="person", ordering=f"{cls.person_path}__last_name")
            def person(self: ReviewQueueAdminMixin, item: Model) -> str:
                return self.person_of(item).full_name

            cls.person = person

    def person_of(self, item: Model) -> Any:
        return _follow(item, self.person_path)

    @admin.display(description="person", ordering="registration__user__last_name")
    def person(self, item: Model) -> str:
        return self.person_of(item).full_name

    @admin.display(description="library")
    def library(self, item: Model) -> str:
        library = self.person_of(item).library
        return library.name if library else ""

    @admin.display(description="credential")
    def credential(self, item: Model) -> str:
        return item.registration.credential_type.display_label

    @admin.display(description="cycle")
    def cycle(self, item: Model) -> str:
        return cycle_text(item.registration)

    @admin.display(description="age in days", ordering="submitted_at")
    def age_in_days(self, item: Model) -> int:
        """Days waited for a decision (counted to today, also once decided)."""
        return days_since(item.submitted_at)

    @admin.display(description="decided")
    def decided(self, item: Model) -> str:
        return us_datetime(item.decided_at)

    def stored_file(self, item: Model) -> tuple[str, str]:
        """The uploaded file's (original name, content type), for the preview."""
        return "", ""

    def decision_context(self, request: HttpRequest, item: Model) -> dict[str, Any]:
        """What the decision panel of the change page needs."""
        return {}

    def is_queue(self, request: HttpRequest) -> bool:
        if request.GET.get("status__exact") == self.pending_status:
            return True
        opens_on_pending = PendingFirstStatusFilter in self.list_filter
        return opens_on_pending and request.GET.get("status") in (None, self.pending_status)

    def get_ordering(self, request: HttpRequest) -> tuple[str, ...]:
        if self.is_queue(request):
            return (self.received_field, "pk")
        return (f"-{self.received_field}", "-pk")

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> Any:
        if self.is_queue(request):
            extra_context = {**(extra_context or {}), "title": self.queue_title}
        return super().changelist_view(request, extra_context)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # Everything is shown, nothing edited; a stored file only through its checked view.
        return tuple(self.fields)

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
            context.update(self._preview_context(item), **self.decision_context(request, item))
        return super().change_view(request, object_id, form_url, context)

    def _preview_context(self, item: Model) -> dict[str, Any]:
        if not self.file_url_name:
            return {}
        download_url, preview_url = stored_file_urls(self.file_url_name, item.pk)
        file_name, content_type = self.stored_file(item)
        opts = self.model._meta
        return {
            "download_url": download_url,
            "preview_url": preview_url,
            "preview_kind": PREVIEW_CONTENT_TYPES.get(content_type),
            "file_name": file_name,
            "queue_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            + PENDING_QUERY,
        }


class DecisionNoteForm(forms.Form):
    note = forms.CharField(
        label="Note to the person",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )


class DecisionPageAdminMixin:
    """Approve or reject on a page of its own with one note box (required to reject, as the
    service says). Subclasses implement ``decide`` (calls the service) and may list what the
    page shows of the item in ``decision_summary``."""

    decision_template = "review/decision_page.html"

    def decide(self, item: Model, *, approve: bool, note: str, reviewer: Any) -> None:
        raise NotImplementedError

    def decision_summary(self, item: Model) -> list[tuple[str, str]]:
        return []

    def get_urls(self) -> list:
        views = {"approve": self.approve_view, "reject": self.reject_view}
        return [*decision_urls(self, views, post_only=False), *super().get_urls()]

    @admin.display(description="Decision")
    def review_actions(self, item: Model) -> str:
        if item.status != PENDING:
            return f"{item.get_status_display()} by {item.decided_by} on {us_date(item.decided_at)}"
        opts = self.model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        return format_html(
            '<a class="button review-action" href="{}">Approve</a> '
            '<a class="button review-action" href="{}">Reject with a note</a>',
            reverse(f"{name}_approve", args=[item.pk]),
            reverse(f"{name}_reject", args=[item.pk]),
        )

    def approve_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._decision_view(request, object_id, approve=True)

    def reject_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._decision_view(request, object_id, approve=False)

    def _decision_view(
        self, request: HttpRequest, object_id: str, *, approve: bool
    ) -> HttpResponse:
        item = item_to_decide(self, request, object_id)
        form = DecisionNoteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                self.decide(
                    item, approve=approve, note=form.cleaned_data["note"], reviewer=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                verb = "approved" if approve else "not approved"
                messages.success(request, f"“{item}” was {verb}; the person will be emailed.")
                opts = self.model._meta
                return redirect(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": item,
            "title": f"{'Approve' if approve else 'Reject'}: {item}",
            "approve": approve,
            "form": form,
            "summary": self.decision_summary(item),
        }
        return TemplateResponse(request, self.decision_template, context)
