"""Certificates in the review site: read-only rows, and revocation with a reason through its
own URL (POST with CSRF) that calls ``certificate_revoke``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from accounts.history_admin import ReadOnlyHistoryAdmin
from certificates.forms import RevocationForm
from certificates.models import Certificate, NameChangeRequest
from certificates.name_changes import name_change_approve, name_change_reject
from certificates.services import certificate_revoke
from review.admin_decisions import DecisionOnlyAdminMixin, decision_urls, item_to_decide
from review.admin_queue import ReviewQueueAdminMixin, refusal_text, us_date


@admin.register(Certificate)
class CertificateAdmin(DecisionOnlyAdminMixin, ReadOnlyHistoryAdmin):
    change_form_template = "admin/certificates/certificate/change_form.html"
    list_display = ("holder_name", "level", "issued", "valid_until_on", "status", "code")
    list_filter = ("status", "level", "issued_on", "valid_until")
    list_select_related = ("user",)
    search_fields = ("holder_name", "code", "user__email", "user__last_name")
    ordering = ("-issued_on", "-pk")
    show_full_result_count = False
    fields = (
        "holder_name",
        "user",
        "level",
        "credential_name",
        "issued_on",
        "valid_until",
        "code",
        "status",
        "issued_by",
        "superseded_by",
        "superseded_at",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
    )
    readonly_fields = fields

    @admin.display(description="issued", ordering="issued_on")
    def issued(self, certificate: Certificate) -> str:
        return us_date(certificate.issued_on)

    @admin.display(description="valid until", ordering="valid_until")
    def valid_until_on(self, certificate: Certificate) -> str:
        return us_date(certificate.valid_until)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> Any:
        context = {
            **(extra_context or {}),
            "can_revoke": self.has_change_permission(request),
            "revocation_form": RevocationForm(),
        }
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self) -> list:
        return [*decision_urls(self, {"revoke": self.revoke_view}), *super().get_urls()]

    def revoke_view(self, request: HttpRequest, object_id: str) -> HttpResponseRedirect:
        certificate = item_to_decide(self, request, object_id)
        form = RevocationForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        change_url = reverse("admin:certificates_certificate_change", args=[certificate.pk])
        try:
            certificate_revoke(certificate=certificate, reviewer=request.user, reason=reason)
        except ValidationError as error:
            messages.error(request, refusal_text(error))
            return redirect(change_url)
        messages.success(request, f"Revoked the certificate of {certificate.holder_name}.")
        return redirect(change_url)


@admin.register(NameChangeRequest)
class NameChangeRequestAdmin(ReviewQueueAdminMixin, ReadOnlyHistoryAdmin):
    """Name changes; "Name changes awaiting review" is this list filtered to pending requests,
    oldest first. Approve or reject through their own URLs (services)."""

    queue_title = "Name changes awaiting review"
    person_path = "user"
    change_form_template = "admin/certificates/namechangerequest/change_form.html"
    list_display = (
        "current_name",
        "new_name",
        "library",
        "requested",
        "age_in_days",
        "status",
    )
    list_filter = ("status", "submitted_at")
    list_select_related = ("user__library",)
    search_fields = ("current_name", "new_first_name", "new_last_name", "user__email")
    fields = (
        "user",
        "current_name",
        "new_first_name",
        "new_last_name",
        "proof_name",
        "submitted_at",
        "status",
        "reviewer_note",
        "decided_by",
        "decided_at",
    )

    @admin.display(description="requested", ordering="submitted_at")
    def requested(self, name_change: NameChangeRequest) -> str:
        return us_date(name_change.submitted_at)

    def decision_context(self, request: HttpRequest, name_change: NameChangeRequest) -> dict:
        return {"can_decide": self.has_change_permission(request, name_change)}

    def get_urls(self) -> list:
        return [
            *decision_urls(self, {"approve": self.approve_view, "reject": self.reject_view}),
            *super().get_urls(),
        ]

    def _change_url(self, name_change: NameChangeRequest) -> str:
        return reverse("admin:certificates_namechangerequest_change", args=[name_change.pk])

    def approve_view(self, request: HttpRequest, object_id: str) -> HttpResponseRedirect:
        name_change = item_to_decide(self, request, object_id)
        try:
            name_change_approve(name_change=name_change, reviewer=request.user)
        except ValidationError as error:
            messages.error(request, refusal_text(error))
        else:
            messages.success(request, f"Approved the name {name_change.new_name}.")
        return redirect(self._change_url(name_change))

    def reject_view(self, request: HttpRequest, object_id: str) -> HttpResponseRedirect:
        name_change = item_to_decide(self, request, object_id)
        try:
            name_change_reject(
                name_change=name_change, reviewer=request.user, note=request.POST.get("note", "")
            )
        except ValidationError as error:
            messages.error(request, refusal_text(error))
        else:
            messages.success(request, f"Rejected the name change of {name_change.current_name}.")
        return redirect(self._change_url(name_change))
