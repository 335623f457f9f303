"""Pages for asynchronous training: the public list of approved sources and courses, the
Asynchronous Course Approval Submission Form, and proof of completion. Thin: the rules are in
training.services."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods

from certifications.file_views import may_see_stored_file, stored_file_response
from courses.models import AsyncCompletion, CourseApprovalRequest
from training.forms import AsyncCompletionForm, CourseApprovalRequestForm
from training.selectors import (
    approved_async_courses,
    approved_async_providers,
    async_completions_for_user,
    course_approval_requests_for_user,
    get_async_completion_for_user,
    get_course_approval_request_for_user,
)
from training.services import (
    UnapprovedSourceError,
    async_completion_submit,
    course_approval_submit,
)

SEARCH_MAX_LENGTH = 100
APPROVAL_PREFILL_FIELDS = (
    "provider_name",
    "provider_url",
    "course_title",
    "course_url",
    "length_hours",
)


@require_GET
def async_training(request: HttpRequest) -> HttpResponse:
    """Public: no sign-in needed to read KDLA's list."""
    search = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    context = {
        "search": search,
        "providers": list(approved_async_providers(search=search)),
        "courses": list(approved_async_courses(search=search)),
    }
    return render(request, "training/training.html", context)


@login_required
@require_GET
def async_my_courses(request: HttpRequest) -> HttpResponse:
    context = {
        "approval_requests": list(course_approval_requests_for_user(user=request.user)),
        "completions": list(async_completions_for_user(user=request.user)),
    }
    return render(request, "training/mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def async_course_approval_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = CourseApprovalRequestForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                approval_request = course_approval_submit(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, "Your course approval request was sent to KDLA for review."
                )
                return redirect("async_course_approval_detail", pk=approval_request.pk)
    else:
        prefill = {
            name: request.GET[name] for name in APPROVAL_PREFILL_FIELDS if name in request.GET
        }
        form = CourseApprovalRequestForm(initial=prefill)
    return render(request, "training/approval_form.html", {"form": form})


@login_required
@require_GET
def async_course_approval_detail(request: HttpRequest, pk: int) -> HttpResponse:
    approval_request = get_course_approval_request_for_user(user=request.user, pk=pk)
    return render(
        request,
        "training/approval_detail.html",
        {"approval_request": approval_request},
    )


@login_required
@require_http_methods(["GET", "POST"])
def async_completion_new(request: HttpRequest) -> HttpResponse:
    approval_link = None
    if request.method == "POST":
        form = AsyncCompletionForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                completion = async_completion_submit(user=request.user, **form.cleaned_data)
            except UnapprovedSourceError as error:
                form.add_error(None, error)
                query = urlencode(error.approval_prefill)
                approval_link = f"{reverse('async_course_approval_new')}?{query}"
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Your proof of completion was sent to KDLA for review.")
                return redirect("async_completion_detail", pk=completion.pk)
    else:
        # "Report completion" on a catalogue card names the approved course.
        form = AsyncCompletionForm(user=request.user, initial={"course": request.GET.get("course")})
    context = {
        "form": form,
        "approval_link": approval_link,
        "approved_providers": list(approved_async_providers()),
    }
    return render(request, "training/completion_form.html", context)


@login_required
@require_GET
def async_completion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    completion = get_async_completion_for_user(user=request.user, pk=pk)
    return render(request, "training/completion_detail.html", {"completion": completion})


def _may_see(request: HttpRequest, row: CourseApprovalRequest | AsyncCompletion) -> bool:
    permission = f"courses.view_{row._meta.model_name}"
    return may_see_stored_file(request.user, owner_id=row.user_id, permission=permission)


@login_required
@require_GET
@xframe_options_sameorigin
def async_course_approval_syllabus(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner, or reviewers with the view permission; ``?inline=1`` previews."""
    approval_request = get_object_or_404(CourseApprovalRequest.objects.exclude(syllabus=""), pk=pk)
    if not _may_see(request, approval_request):
        raise Http404("No file found.")
    return stored_file_response(
        request,
        field_file=approval_request.syllabus,
        filename=approval_request.syllabus_name,
        content_type=approval_request.syllabus_content_type,
    )


@login_required
@require_GET
@xframe_options_sameorigin
def async_completion_proof(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner, or reviewers with the view permission; ``?inline=1`` previews."""
    completion = get_object_or_404(AsyncCompletion, pk=pk)
    if not _may_see(request, completion):
        raise Http404("No file found.")
    return stored_file_response(
        request,
        field_file=completion.proof,
        filename=completion.proof_name,
        content_type=completion.proof_content_type,
    )
