"""The staff member's dashboard, credential registration (the free checkout) and transcript."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import LibraryRole
from certificates.selectors import certificates_for_user
from certifications.dashboard import build_dashboard
from certifications.models import CredentialType
from certifications.selectors import get_registration_for_user
from certifications.services.registrations import credential_register, registration_refusal
from certifications.transcript import build_transcript, transcript_csv_rows
from courses.selectors import catalogue_credentials


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return redirect("login")


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "certifications/dashboard.html",
        {
            "dashboard": build_dashboard(user=request.user),
            "certificates": certificates_for_user(user=request.user),
            "today": timezone.localdate(),
            "library_role": LibraryRole.objects.filter(user=request.user)
            .order_by("library__name")
            .first(),
        },
    )


def _registrable_credential(pk: int) -> CredentialType:
    """Only the catalogue's credentials (current rule versions of applications) register."""
    return get_object_or_404(
        catalogue_credentials(category=None, search="").prefetch_related("required_document_types"),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def credential_register_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows what the person registers for; POST ("Proceed to Checkout") registers."""
    credential = _registrable_credential(pk)
    if request.method == "POST":
        try:
            registration = credential_register(user=request.user, credential_type=credential)
        except ValidationError as error:
            refusal = " ".join(error.messages)
            return render(
                request,
                "certifications/checkout.html",
                {"credential": credential, "refusal": refusal},
                status=400,
            )
        return redirect("checkout_complete", pk=registration.pk)
    refusal = registration_refusal(user=request.user, credential_type=credential)
    return render(
        request, "certifications/checkout.html", {"credential": credential, "refusal": refusal}
    )


@login_required
@require_GET
def checkout_complete(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_registration_for_user(user=request.user, pk=pk)
    return render(request, "certifications/checkout_complete.html", {"registration": registration})


@login_required
@require_GET
def transcript(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "certifications/transcript.html",
        {"transcript": build_transcript(user=request.user), "today": timezone.localdate()},
    )


@login_required
@require_GET
def transcript_csv(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kdla-transcript-{today:%Y-%m-%d}.csv"'
    csv.writer(response).writerows(transcript_csv_rows(build_transcript(user=request.user)))
    return response
