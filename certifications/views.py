"""Registering for a credential (the free checkout). The dashboard and the transcript, which
read across apps, are in ``portal.views``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from certifications.models import CredentialType
from certifications.selectors import catalogue_credentials, get_registration_for_user
from certifications.services.registrations import credential_register, registration_refusal


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
