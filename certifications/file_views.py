"""External Files pages and the permission-checked downloads of stored files.

Uploaded files have no public URL: every byte goes through one of these views, which stream
from the default storage (local folder or private S3 bucket) after checking who is asking.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from certifications.forms import ExternalFileForm
from certifications.models import DocumentType, ExternalFile
from certifications.selectors import get_registration_for_user
from certifications.services.uploads import (
    registration_submit_file,
    upload_days_left,
    upload_refusal_reason,
)
from kdla_portal.private_files import proxied_file_response, proxy_may_send

# Types a browser shows safely by itself; anything else is always downloaded.
INLINE_CONTENT_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})


@login_required
@require_GET
def registration_files(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_registration_for_user(user=request.user, pk=pk)
    files = ExternalFile.objects.filter(registration=registration).select_related("document_type")
    context = {
        "registration": registration,
        "required_document_types": registration.credential_type.required_document_types.all(),
        "external_files": files.order_by("-submitted_at", "-pk"),
        "refusal_reason": upload_refusal_reason(registration=registration),
        "days_left": upload_days_left(registration=registration),
    }
    return render(request, "certifications/external_files.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def external_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_registration_for_user(user=request.user, pk=pk)
    refusal_reason = upload_refusal_reason(registration=registration)
    form = ExternalFileForm(request.POST or None, request.FILES or None, registration=registration)
    if request.method == "POST" and refusal_reason is None and form.is_valid():
        try:
            external_file = registration_submit_file(
                registration=registration,
                document_type=form.cleaned_data["document_type"],
                description=form.cleaned_data["description"],
                upload=form.cleaned_data["upload"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Your file “{external_file.original_name}” was submitted. KDLA will review it.",
            )
            return redirect("registration_files", pk=registration.pk)
    form.note_refused_uploads()
    context = {"registration": registration, "form": form, "refusal_reason": refusal_reason}
    return render(request, "certifications/external_file_form.html", context)


@login_required
@require_GET
@xframe_options_sameorigin
def external_file_download(request: HttpRequest, pk: int) -> HttpResponse:
    external_file = get_object_or_404(ExternalFile.objects.select_related("registration"), pk=pk)
    if not may_see_stored_file(
        request.user,
        owner_id=external_file.registration.user_id,
        permission="certifications.view_externalfile",
    ):
        raise Http404("No file found.")
    return stored_file_response(
        request,
        field_file=external_file.file,
        filename=external_file.original_name,
        content_type=external_file.content_type,
    )


@login_required
@require_GET
def document_type_blank_form(request: HttpRequest, pk: int) -> HttpResponse:
    document_type = get_object_or_404(DocumentType.objects.exclude(blank_form=""), pk=pk)
    suffix = PurePath(document_type.blank_form.name).suffix.lower()
    content_type = mimetypes.guess_type(f"form{suffix}")[0] or "application/octet-stream"
    return stored_file_response(
        request,
        field_file=document_type.blank_form,
        filename=f"{document_type.name}{suffix}",
        content_type=content_type,
        inline_allowed=False,
    )


def may_see_stored_file(user: User, *, owner_id: int, permission: str) -> bool:
    """The owner, or KDLA staff with the model's view permission (the reviewers)."""
    if user.pk == owner_id:
        return True
    return user.is_active and user.is_staff and user.has_perm(permission)


def stored_file_response(
    request: HttpRequest,
    *,
    field_file: FieldFile,
    filename: str,
    content_type: str,
    inline_allowed: bool = True,
) -> HttpResponse:
    """Stream a stored file (or have the proxy send it, kdla_portal/private_files.py): a download by default; shown in the browser with ``?inline=1``
    for the types a browser renders safely (the reviewers' preview)."""
    try:
        stored = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError as error:
        raise Http404("The stored file is missing.") from error
    inline = (
        inline_allowed and request.GET.get("inline") == "1" and content_type in INLINE_CONTENT_TYPES
    )
    response = FileResponse(
        stored, as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if proxy_may_send(field_file):
        return proxied_file_response(response, field_file=field_file)
    return response
