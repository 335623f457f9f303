from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods

from certifications.file_views import may_see_stored_file, stored_file_response
from credits.forms import CreditRequestForm
from credits.models import CreditRequest
from credits.services.requests import credit_request_submit


@login_required
@require_http_methods(["GET", "POST"])
def credit_request_new(request: HttpRequest) -> HttpResponse:
    form = CreditRequestForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"registration": request.GET.get("registration")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            credit_request = credit_request_submit(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Your request for {floatformat(credit_request.requested_credits, -1)} credits for "
                f"“{credit_request.course}” was sent to KDLA for review.",
            )
            return redirect("dashboard")
    form.note_refused_uploads()
    context = {"form": form, "has_open_renewal": form.fields["registration"].queryset.exists()}
    return render(request, "credits/credit_request_form.html", context)


@login_required
@require_GET
@xframe_options_sameorigin
def credit_request_documentation(request: HttpRequest, pk: int) -> HttpResponse:
    credit_request = get_object_or_404(CreditRequest, pk=pk)
    if not may_see_stored_file(
        request.user, owner_id=credit_request.user_id, permission="credits.view_creditrequest"
    ):
        raise Http404("No file found.")
    return stored_file_response(
        request,
        field_file=credit_request.documentation,
        filename=credit_request.documentation_name,
        content_type=credit_request.documentation_content_type,
    )
