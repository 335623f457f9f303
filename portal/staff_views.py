"""The staff member's own pages that read across apps: the dashboard (credentials, courses,
credit requests, certificates), the transcript and its CSV, and the catalogue (courses and the
credential applications open for registration)."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import LibraryRole
from certificates.selectors import certificates_for_user
from certifications.selectors import catalogue_credentials
from courses.forms import CatalogueFilterForm
from courses.selectors import catalogue_categories, catalogue_courses, enrollments_by_course
from portal.dashboard import build_dashboard
from portal.transcript import build_transcript, transcript_csv_rows

COURSES_PER_PAGE = 20


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return redirect("login")


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/dashboard.html",
        {
            "dashboard": build_dashboard(user=request.user),
            "certificates": certificates_for_user(user=request.user),
            "today": timezone.localdate(),
            "library_role": LibraryRole.objects.filter(user=request.user)
            .order_by("library__name")
            .first(),
        },
    )


@login_required
@require_GET
def transcript(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/transcript.html",
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


@login_required
@require_GET
def course_catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None, categories=list(catalogue_categories()))
    category, search = form.chosen_category(), form.search_text()
    page = Paginator(
        catalogue_courses(category=category, search=search), COURSES_PER_PAGE
    ).get_page(request.GET.get("page"))
    # Credentials are few; they lead the first page.
    credentials = (
        list(catalogue_credentials(category=category, search=search)) if page.number == 1 else []
    )
    enrollments = enrollments_by_course(
        user=request.user, course_ids=[course.pk for course in page.object_list]
    )
    course_cards = [(course, enrollments.get(course.pk)) for course in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/catalogue.html",
        {
            "form": form,
            "page": page,
            "course_cards": course_cards,
            "credentials": credentials,
            "chosen_category": category,
            "search": search,
            "page_query": query.urlencode(),
        },
    )
