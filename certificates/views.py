"""The certificate downloads on the dashboard and the public verification page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from certificates import open_badges
from certificates.forms import CredentialUploadForm, NameChangeForm, VerificationLookupForm
from certificates.models import Certificate, NameChangeRequest
from certificates.name_changes import name_change_request
from certificates.pdf import ISSUER_NAME, certificate_pdf, certificate_pdf_filename
from certificates.verification import (
    certificate_standing,
    normalized_code,
    verification_allowed,
)
from certifications.file_views import may_see_stored_file, stored_file_response
from certifications.models import CredentialType


def _noindex(response: HttpResponse) -> HttpResponse:
    # Verification pages name people: search engines must not list them.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def get_certificate_for_user(request: HttpRequest, pk: int) -> Certificate:
    """The signed-in person's own certificate; anyone else's is 404."""
    return get_object_or_404(Certificate, pk=pk, user=request.user)


@login_required
@require_GET
def certificate_pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_certificate_for_user(request, pk)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{certificate_pdf_filename(certificate)}"'
    )
    return response


def _too_many_lookups(request: HttpRequest) -> HttpResponse:
    response = render(request, "certificates/verify_rate_limited.html", status=429)
    response["Retry-After"] = "60"
    return _noindex(response)


def _not_found(request: HttpRequest) -> HttpResponse:
    return _noindex(render(request, "certificates/verify_not_found.html", status=404))


@require_GET
def verify_lookup(request: HttpRequest) -> HttpResponse:
    """The "Verify a certificate" form: a code typed in opens its verification page."""
    form = VerificationLookupForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("certificate_verify", code=form.cleaned_data["code"])
    context = {"form": form, "lookup_form": form, "upload_form": CredentialUploadForm()}
    return _noindex(render(request, "certificates/verify_lookup.html", context))


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    if not verification_allowed(request):
        return _too_many_lookups(request)
    normalized = normalized_code(code)
    if normalized is None:
        return _not_found(request)
    if normalized != code:
        return redirect("certificate_verify", code=normalized)
    certificate = (
        Certificate.objects.select_related("superseded_by").filter(code=normalized).first()
    )
    if certificate is None:
        return _not_found(request)
    context = {
        "certificate": certificate,
        "standing": certificate_standing(certificate, today=timezone.localdate()),
        "issuer_name": ISSUER_NAME,
    }
    return _noindex(render(request, "certificates/verify.html", context))


@login_required
@require_http_methods(["GET", "POST"])
def name_change_new(request: HttpRequest) -> HttpResponse:
    """ "Request a name change": the new name and a proof KDLA reviews."""
    form = NameChangeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            name_change_request(
                user=request.user,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                proof=form.cleaned_data["proof"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Your name change request was submitted. KDLA will review it."
            )
            return redirect("dashboard")
    pending = NameChangeRequest.objects.filter(
        user=request.user, status=NameChangeRequest.Status.PENDING
    ).first()
    return render(request, "certificates/name_change_form.html", {"form": form, "pending": pending})


@login_required
@require_GET
def name_change_proof(request: HttpRequest, pk: int) -> HttpResponse:
    """The proof, to its owner and to reviewers only (never a public URL)."""
    name_change = get_object_or_404(NameChangeRequest, pk=pk)
    if not may_see_stored_file(
        request.user,
        owner_id=name_change.user_id,
        permission="certificates.view_namechangerequest",
    ):
        raise Http404("No such file.")
    return stored_file_response(
        request,
        field_file=name_change.proof,
        filename=name_change.proof_name,
        content_type=name_change.proof_content_type,
    )


def _json(document: dict, *, content_type: str = "application/json") -> HttpResponse:
    response = JsonResponse(document, json_dumps_params={"indent": 2})
    response["Content-Type"] = content_type
    return response


def _keys_missing() -> HttpResponse:
    return HttpResponse(
        "Open Badges credentials are not set up on this portal yet.",
        status=503,
        content_type="text/plain",
    )


@login_required
@require_GET
def certificate_credential_download(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_certificate_for_user(request, pk)
    try:
        document = open_badges.signed_credential(certificate)
    except open_badges.SigningKeyMissing:
        return _keys_missing()
    response = _json(document, content_type="application/json")
    filename = certificate_pdf_filename(certificate).removesuffix(".pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}-open-badge.json"'
    return response


@require_GET
def open_badges_issuer(request: HttpRequest) -> HttpResponse:
    profile = open_badges.issuer_profile()
    profile["publicKeys"] = settings.SITE_URL + reverse("open_badges_jwks")
    return _json(profile, content_type="application/ld+json")


@require_GET
def open_badges_jwks(request: HttpRequest) -> HttpResponse:
    try:
        return _json(open_badges.public_key_set(), content_type="application/jwk-set+json")
    except open_badges.SigningKeyMissing:
        return _keys_missing()


@require_GET
def open_badges_achievement(request: HttpRequest, level: str) -> HttpResponse:
    levels = {value.lower(): label for value, label in CredentialType.Level.choices}
    if level not in levels:
        raise Http404("No such achievement.")
    return _json(
        {
            "@context": open_badges.CONTEXTS,
            "id": settings.SITE_URL + request.path,
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": f"Kentucky Public Library Staff Certification: {levels[level]}",
            "creator": open_badges.issuer_profile(),
        },
        content_type="application/ld+json",
    )


@require_GET
def open_badges_status_list(request: HttpRequest) -> HttpResponse:
    try:
        token = open_badges.status_list_credential()
    except open_badges.SigningKeyMissing:
        return _keys_missing()
    response = HttpResponse(token, content_type="application/vc+jwt")
    # Verifiers may cache it briefly; a revocation shows within five minutes at most.
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_http_methods(["POST"])
def verify_credential(request: HttpRequest) -> HttpResponse:
    """Check an uploaded Open Badges credential: KDLA's signature, then its status."""
    if not verification_allowed(request):
        return _too_many_lookups(request)
    form = CredentialUploadForm(request.POST, request.FILES)
    context: dict = {"form": form, "upload_form": form, "lookup_form": VerificationLookupForm()}
    if form.is_valid():
        try:
            check = open_badges.verify_uploaded_credential(form.cleaned_data["credential"])
        except open_badges.SigningKeyMissing:
            return _keys_missing()
        except ValidationError as error:
            form.add_error("credential", error)
        else:
            certificate = check.certificate
            context.update(
                certificate=certificate,
                standing=certificate_standing(certificate, today=timezone.localdate()),
                issuer_name=ISSUER_NAME,
                signature_checked=True,
                revoked_in_status_list=check.revoked_in_status_list,
            )
            return _noindex(render(request, "certificates/verify.html", context))
    return _noindex(render(request, "certificates/verify_lookup.html", context, status=400))
