"""Credit requests in the review site: approve all, some or none of the credits.

Each decision is its own admin URL (POST with CSRF) calling ``credit_request_decide``. A
decided request can be decided again only the same way, so History keeps both decisions;
the decision fields are never edited in the change form.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.defaultfilters import floatformat
from django.urls import reverse

from accounts.admin import county_filter
from accounts.history_admin import ReadOnlyHistoryAdmin
from certifications.admin import credential_type_filter
from credits.models import CreditRequest
from credits.services.reviews import credit_request_decide
from review.admin_decisions import decision_urls, item_to_decide
from review.admin_queue import PENDING_QUERY, ReviewQueueAdminMixin, refusal_text, us_date


class DecisionForm(forms.Form):
    """What a reviewer sends; ``seen_decided_at`` is the decision they saw (empty while
    pending), so a decision made meanwhile by someone else is not silently replaced."""

    approved_credits = forms.DecimalField(
        label="Approved credits", required=False, max_digits=5, decimal_places=1
    )
    note = forms.CharField(label="Note to the person", required=False, widget=forms.Textarea)
    seen_decided_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)


def seen_value(credit_request: CreditRequest) -> str:
    """The decision time as ISO 8601 with microseconds, which the form reads back exactly."""
    return credit_request.decided_at.isoformat() if credit_request.decided_at else ""


@admin.register(CreditRequest)
class CreditRequestAdmin(ReviewQueueAdminMixin, ReadOnlyHistoryAdmin):
    """Every credit request; "Credit requests awaiting review" is this list filtered to
    pending requests, oldest first."""

    queue_title = "Credit requests awaiting review"
    file_url_name = "credit_request_documentation"

    change_form_template = "admin/credits/creditrequest/review_form.html"
    list_display = (
        "course",
        "person",
        "library",
        "credential",
        "cycle",
        "request_date",
        "age_in_days",
        "requested_credits",
        "still_needed",
        "status",
        "approved_credits",
    )
    list_select_related = ("registration__user__library", "registration__credential_type")
    list_filter = (
        "status",
        "registration__credential_type__level",
        credential_type_filter("registration__credential_type"),
        "user__library",
        county_filter("user__library__county"),
        "submitted_at",
        "activity_date",
        "decided_at",
    )
    search_fields = (
        "user__email",
        "user__first_name",
        "user__last_name",
        "user__library__name",
        "course",
        "description",
    )
    raw_id_fields = ("user", "registration", "decided_by")
    fields = (
        "user",
        "registration",
        "activity",
        "course",
        "description",
        "requested_credits",
        "documentation_name",
        "request_date",
        "status",
        "approved_credits",
        "reviewer_note",
        "decided_by",
        "decided",
    )
    show_full_result_count = False
    actions = ["approve_selected"]

    @admin.display(description="request date", ordering="submitted_at")
    def request_date(self, credit_request: CreditRequest) -> str:
        return us_date(credit_request.submitted_at)

    @admin.display(description="activity date")
    def activity(self, credit_request: CreditRequest) -> str:
        return us_date(credit_request.activity_date)

    @admin.display(description="cycle still needs")
    def still_needed(self, credit_request: CreditRequest) -> Decimal:
        registration = credit_request.registration
        return max(registration.credential_type.required_credits - registration.earned_credits, 0)

    def stored_file(self, credit_request: CreditRequest) -> tuple[str, str]:
        return credit_request.documentation_name, credit_request.documentation_content_type

    def decision_context(self, request: HttpRequest, credit_request: CreditRequest) -> dict:
        return {
            "can_decide": self.has_change_permission(request, credit_request),
            "seen_decided_at": seen_value(credit_request),
        }

    def get_urls(self) -> list:
        views = {
            "approve-all": self.approve_all_view,
            "approve-some": self.approve_some_view,
            "approve-none": self.approve_none_view,
        }
        return [*decision_urls(self, views), *super().get_urls()]

    def _request_to_decide(
        self, request: HttpRequest, object_id: str
    ) -> tuple[CreditRequest, DecisionForm]:
        credit_request = item_to_decide(self, request, object_id)
        form = DecisionForm(request.POST)
        form.is_valid()
        # The service compares this with the stored decision (see DecisionForm).
        seen: datetime.datetime | None = form.cleaned_data.get("seen_decided_at")
        credit_request.decided_at = seen
        return credit_request, form

    def _decide(
        self,
        request: HttpRequest,
        credit_request: CreditRequest,
        *,
        approved_credits: Any,
        note: str,
    ) -> HttpResponseRedirect:
        try:
            decided = credit_request_decide(
                credit_request=credit_request,
                approved_credits=approved_credits,
                note=note,
                reviewer=request.user,
            )
        except ValidationError as error:
            messages.error(request, refusal_text(error))
            return redirect(reverse("admin:credits_creditrequest_change", args=[credit_request.pk]))
        messages.success(
            request,
            f"{decided.get_status_display().capitalize()}: "
            f"{floatformat(decided.approved_credits, -1)} of "
            f"{floatformat(decided.requested_credits, -1)} credits for “{decided.course}”.",
        )
        return redirect(reverse("admin:credits_creditrequest_changelist") + PENDING_QUERY)

    def approve_all_view(self, request: HttpRequest, object_id: str) -> HttpResponseRedirect:
        credit_request, form = self._request_to_decide(request, object_id)
        return self._decide(
            request,
            credit_request,
            approved_credits=credit_request.requested_credits,
            note=form.cleaned_data.get("note", ""),
        )

    def approve_some_view(self, request: HttpRequest, object_id: str) -> HttpResponseRedirect:
        credit_request, form = self._request_to_decide(request, object_id)
        approved = form.cleaned_data.get("approved_credits")
        if approved is None:
            messages.error(request, "Enter how many credits you approve, e.g. 12 or 12.5.")
            return redirect(reverse("admin:credits_creditrequest_change", args=[credit_request.pk]))
        if approved in (0, credit_request.requested_credits):
            messages.error(
                request,
                "To approve some credits, enter more than 0 and fewer than the "
                f"{floatformat(credit_request.requested_credits, -1)} requested; "
                "otherwise use “Approve all” or “Approve none”.",
            )
            return redirect(reverse("admin:credits_creditrequest_change", args=[credit_request.pk]))
        return self._decide(
            request,
            credit_request,
            approved_credits=approved,
            note=form.cleaned_data.get("note", ""),
        )

    def approve_none_view(self, request: HttpRequest, object_id: str) -> HttpResponseRedirect:
        credit_request, form = self._request_to_decide(request, object_id)
        return self._decide(
            request,
            credit_request,
            approved_credits=Decimal("0"),
            note=form.cleaned_data.get("note", ""),
        )

    @admin.action(description="Approve selected (all requested credits)", permissions=["change"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        approved, skipped = 0, []
        for credit_request in queryset.order_by("submitted_at", "pk"):
            if credit_request.status != CreditRequest.Status.PENDING:
                skipped.append(f"“{credit_request.course}” was already decided.")
                continue
            try:
                credit_request_decide(
                    credit_request=credit_request,
                    approved_credits=credit_request.requested_credits,
                    note="",
                    reviewer=request.user,
                )
            except ValidationError as error:
                skipped.append(f"“{credit_request.course}”: {refusal_text(error)}")
            else:
                approved += 1
        messages.success(
            request, f"Approved {approved} credit request{'s' if approved != 1 else ''} in full."
        )
        if skipped:
            messages.warning(request, f"Skipped {len(skipped)}: " + " ".join(skipped))
