"""Credential rules, registrations and the files KDLA reviews, in the review site.

Decisions about files are separate admin URLs (one action each, POST with CSRF) that call
the services in ``certifications.services.reviews``; nothing about a decision is edited in
a form.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from accounts.admin import SuperuserImportMixin, county_filter
from accounts.history_admin import ReadOnlyHistoryAdmin
from certifications.importers import RegistrationResource
from certifications.models import (
    CredentialType,
    DeadlineExtension,
    DocumentType,
    ExternalFile,
    Registration,
)
from certifications.services.earned import (
    earned_refresh_for_credential_type,
    earned_refresh_for_people,
)
from certifications.services.extensions import extension_refusal, registration_extend_deadline
from certifications.services.reviews import external_file_approve, external_file_reject
from documents.upload_checks import check_document_upload
from review.admin_decisions import decision_urls, item_to_decide
from review.admin_queue import (
    PENDING_QUERY,
    ReviewQueueAdminMixin,
    refusal_text,
    us_date,
    us_datetime,
)


class ReadOnlyAdminMixin:
    """Rows that only services write: visible, never added, changed or deleted by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DocumentTypeAdminForm(forms.ModelForm):
    """The blank form staff download goes through the same content check as every upload."""

    class Meta:
        model = DocumentType
        fields = ("name", "description", "blank_form")

    def clean_blank_form(self) -> Any:
        blank_form = self.cleaned_data.get("blank_form")
        if not isinstance(blank_form, UploadedFile):  # unchanged (the stored file) or cleared
            return blank_form
        return check_document_upload(blank_form).content


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    form = DocumentTypeAdminForm
    list_display = ("name", "has_blank_form")
    search_fields = ("name", "description")

    @admin.display(description="blank form", boolean=True)
    def has_blank_form(self, document_type: DocumentType) -> bool:
        return bool(document_type.blank_form)


@admin.register(CredentialType)
class CredentialTypeAdmin(ReadOnlyHistoryAdmin):
    """A rule change is a new version: "Save as new" with a higher version and a later
    effective date; registrations keep the version they started under."""

    save_as = True
    list_display = (
        "name",
        "code",
        "version",
        "effective_on",
        "kind",
        "level",
        "required_credits",
        "cycle_length_years",
        "upload_window_days",
        "leads_to",
        "active",
    )
    list_select_related = ("leads_to", "category")
    list_filter = ("kind", "level", "active", "category", "effective_on")
    search_fields = ("name", "code", "cycle_label")
    ordering = ("code", "-version")
    # The browser's own selects (these tables are small): the admin's autocomplete has no
    # accessible name while empty (axe "aria-input-field-name"), and its two-box selector
    # puts aria-label on plain spans (axe "aria-prohibited-attr").

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # After the many-to-many fields (prerequisite courses) are saved, in the same
        # transaction: the stored earned hours never lag behind a rule edit.
        super().save_related(request, form, formsets, change)
        if change:
            earned_refresh_for_credential_type(credential_type=form.instance)


class CredentialTypeFilter(admin.SimpleListFilter):
    """Credential types by name and version (a small table), for any model that reaches
    one through ``field_path``."""

    title = "credential type"
    parameter_name = "credential_type"
    field_path = "credential_type"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        types = CredentialType.objects.order_by("name", "version").values_list(
            "pk", "name", "version"
        )
        return [(str(pk), f"{name} (version {version})") for pk, name, version in types]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(**{self.field_path: self.value()})
        return queryset


def credential_type_filter(field_path: str) -> type[admin.SimpleListFilter]:
    return type("CredentialTypeFilter", (CredentialTypeFilter,), {"field_path": field_path})


@admin.register(Registration)
class RegistrationAdmin(SuperuserImportMixin, ReadOnlyHistoryAdmin):
    """Cycles change only through services (registering, uploads, decisions, scheduled
    jobs); superusers may correct a cycle's dates, and History shows who did what."""

    resource_classes = [RegistrationResource]
    list_display = (
        "person",
        "library",
        "credential",
        "cycle_start_on",
        "cycle_end_on",
        "upload_due",
        "required_credits",
        "earned_credits",
        "status",
        "compliance",
    )
    list_select_related = ("user__library", "credential_type")
    list_filter = (
        "status",
        "compliance",
        "credential_type__kind",
        "credential_type__level",
        credential_type_filter("credential_type"),
        "user__library",
        county_filter("user__library__county"),
        "cycle_start",
        "cycle_end",
        "registered_at",
    )
    search_fields = (
        "user__email",
        "user__first_name",
        "user__last_name",
        "user__library__name",
        "credential_type__name",
    )
    ordering = ("-cycle_start", "-pk")
    raw_id_fields = ("user", "credential_type", "source_registration")
    show_full_result_count = False
    editable_by_superusers = ("cycle_start", "cycle_end", "upload_due_on")

    @admin.display(description="person", ordering="user__last_name")
    def person(self, registration: Registration) -> str:
        return registration.user.full_name

    @admin.display(description="library", ordering="user__library__name")
    def library(self, registration: Registration) -> str:
        library = registration.user.library
        return library.name if library else ""

    @admin.display(description="credential", ordering="credential_type__name")
    def credential(self, registration: Registration) -> str:
        return registration.credential_type.display_label

    @admin.display(description="required credits")
    def required_credits(self, registration: Registration) -> Any:
        return registration.credential_type.required_credits

    @admin.display(description="current cycle start", ordering="cycle_start")
    def cycle_start_on(self, registration: Registration) -> str:
        return us_date(registration.cycle_start)

    @admin.display(description="current cycle end", ordering="cycle_end")
    def cycle_end_on(self, registration: Registration) -> str:
        return us_date(registration.cycle_end)

    @admin.display(description="upload due", ordering="upload_due_on")
    def upload_due(self, registration: Registration) -> str:
        return us_date(registration.upload_due_on)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # New dates move hours between the person's cycles: recompute them in this transaction.
        super().save_model(request, obj, form, change)
        earned_refresh_for_people(people_ids=[obj.user_id])

    @admin.display(description="extensions")
    def extend_deadline(self, registration: Registration) -> str:
        if registration.pk is None:
            return ""
        url = reverse("admin:certifications_deadlineextension_add")
        return format_html(
            '<a href="{}?registration={}">Extend this person\'s deadline</a>',
            url,
            registration.pk,
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        every_field = [field.name for field in self.model._meta.concrete_fields]
        every_field.append("extend_deadline")
        if request.user.is_superuser:
            return [name for name in every_field if name not in self.editable_by_superusers]
        return every_field


class DeadlineExtensionForm(forms.ModelForm):
    class Meta:
        model = DeadlineExtension
        fields = ("registration", "deadline", "new_date", "reason")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        registration = cleaned.get("registration")
        if registration is not None and cleaned.get("deadline"):
            refusal = extension_refusal(
                registration=registration,
                deadline=cleaned["deadline"],
                new_date=cleaned.get("new_date"),
            )
            if refusal:
                self.add_error("new_date", refusal)
        return cleaned


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(ReadOnlyHistoryAdmin):
    """Granted through ``registration_extend_deadline``; kept as granted (no edits, no
    deletions), with History."""

    form = DeadlineExtensionForm
    list_display = ("registration", "deadline", "previous_date", "new_date", "granted_by")
    list_select_related = ("registration__user", "registration__credential_type", "granted_by")
    list_filter = ("deadline", "granted_at")
    search_fields = ("registration__user__email", "registration__user__last_name", "reason")
    raw_id_fields = ("registration",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: DeadlineExtension, form: Any, change: bool
    ) -> None:
        try:
            saved = registration_extend_deadline(
                registration=obj.registration,
                deadline=obj.deadline,
                new_date=obj.new_date,
                reason=obj.reason,
                reviewer=request.user,
            )
        except ValidationError as error:
            raise PermissionDenied(refusal_text(error)) from error
        obj.pk = saved.pk


class RejectionForm(forms.Form):
    note = forms.CharField(
        label="Note to the person", widget=forms.Textarea, required=False, strip=True
    )


@admin.register(ExternalFile)
class ExternalFileAdmin(ReviewQueueAdminMixin, ReadOnlyHistoryAdmin):
    """Every uploaded file; "Files awaiting review" is this list filtered to pending files,
    oldest first."""

    queue_title = "Files awaiting review"
    file_url_name = "external_file_download"

    change_form_template = "admin/certifications/externalfile/review_form.html"
    list_display = (
        "file_name",
        "person",
        "library",
        "credential",
        "cycle",
        "document_type",
        "uploaded",
        "age_in_days",
        "status",
    )
    fields = (
        "registration",
        "document_type",
        "description",
        "original_name",
        "content_type",
        "size",
        "uploaded",
        "uploaded_by",
        "status",
        "reviewer_note",
        "decided_by",
        "decided",
    )
    list_select_related = (
        "registration__user__library",
        "registration__credential_type",
        "document_type",
    )
    list_filter = (
        "status",
        "document_type",
        "registration__credential_type__level",
        credential_type_filter("registration__credential_type"),
        "registration__user__library",
        county_filter("registration__user__library__county"),
        "submitted_at",
        "decided_at",
    )
    search_fields = (
        "registration__user__email",
        "registration__user__first_name",
        "registration__user__last_name",
        "registration__user__library__name",
        "original_name",
        "description",
    )
    raw_id_fields = ("registration", "uploaded_by", "decided_by")
    show_full_result_count = False
    actions = ["approve_selected"]

    @admin.display(description="file", ordering="original_name")
    def file_name(self, external_file: ExternalFile) -> str:
        return external_file.description or external_file.original_name

    @admin.display(description="uploaded", ordering="submitted_at")
    def uploaded(self, external_file: ExternalFile) -> str:
        return us_datetime(external_file.submitted_at)

    def stored_file(self, external_file: ExternalFile) -> tuple[str, str]:
        return external_file.original_name, external_file.content_type

    def decision_context(self, request: HttpRequest, external_file: ExternalFile) -> dict:
        return {
            "can_decide": self.has_change_permission(request, external_file)
            and external_file.status == ExternalFile.Status.PENDING,
            "rejection_form": RejectionForm(auto_id="id_rejection_%s"),
        }

    def get_urls(self) -> list:
        return [
            *decision_urls(self, {"approve": self.approve_view, "reject": self.reject_view}),
            *super().get_urls(),
        ]

    def _change_url(self, external_file: ExternalFile) -> str:
        return reverse("admin:certifications_externalfile_change", args=[external_file.pk])

    def approve_view(self, request: HttpRequest, object_id: str) -> HttpResponseRedirect:
        external_file = item_to_decide(self, request, object_id)
        try:
            external_file_approve(external_file=external_file, reviewer=request.user)
        except ValidationError as error:
            messages.error(request, refusal_text(error))
            return redirect(self._change_url(external_file))
        messages.success(request, f"Approved “{external_file.original_name}”.")
        return redirect(reverse("admin:certifications_externalfile_changelist") + PENDING_QUERY)

    def reject_view(self, request: HttpRequest, object_id: str) -> HttpResponseRedirect:
        external_file = item_to_decide(self, request, object_id)
        form = RejectionForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            external_file_reject(external_file=external_file, reviewer=request.user, note=note)
        except ValidationError as error:
            messages.error(request, refusal_text(error))
            return redirect(self._change_url(external_file))
        messages.success(
            request,
            f"Rejected “{external_file.original_name}”. "
            "The person was emailed your note and a link to upload again.",
        )
        return redirect(reverse("admin:certifications_externalfile_changelist") + PENDING_QUERY)

    @admin.action(description="Approve selected", permissions=["change"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        approved, skipped = 0, []
        for external_file in queryset.order_by("submitted_at", "pk"):
            try:
                external_file_approve(external_file=external_file, reviewer=request.user)
            except ValidationError as error:
                skipped.append(f"“{external_file.original_name}”: {refusal_text(error)}")
            else:
                approved += 1
        messages.success(request, f"Approved {approved} file{'s' if approved != 1 else ''}.")
        if skipped:
            messages.warning(request, f"Skipped {len(skipped)}: " + " ".join(skipped))
