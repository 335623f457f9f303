"""Register for Course (the catalogue), course pages, registering and completing courses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from courses.forms import CatalogueFilterForm, CourseCompleteForm
from courses.models import Course, Enrollment
from courses.selectors import (
    catalogue_categories,
    catalogue_courses,
    catalogue_credentials,
    enrollments_by_course,
    get_catalogue_course,
    get_enrollment_for_user,
)
from courses.services.enrollments import course_complete, course_register

COURSES_PER_PAGE = 20


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
        "courses/catalogue.html",
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


def _course_page(
    request: HttpRequest, course: Course, form: CourseCompleteForm, *, status: int = 200
) -> HttpResponse:
    enrollment = Enrollment.objects.filter(user=request.user, course=course).first()
    return render(
        request,
        "courses/course_detail.html",
        {"course": course, "enrollment": enrollment, "form": form},
        status=status,
    )


@login_required
@require_GET
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_catalogue_course(pk=pk)
    if (
        not course.active
        and not Enrollment.objects.filter(user=request.user, course=course).exists()
    ):
        raise Http404("No such course.")
    return _course_page(request, course, CourseCompleteForm())


@login_required
@require_POST
def course_register_view(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_catalogue_course(pk=pk)
    try:
        course_register(user=request.user, course=course)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if not course.active:
            return redirect("course_catalogue")
        return redirect("course_detail", pk=course.pk)
    messages.success(
        request,
        f"You are registered for {course.title}. Mark the course complete when you finish it.",
    )
    return redirect("course_detail", pk=course.pk)


@login_required
@require_POST
def course_complete_view(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = get_enrollment_for_user(user=request.user, pk=pk)
    form = CourseCompleteForm(request.POST)
    if not form.is_valid():
        return _course_page(request, enrollment.course, form, status=400)
    try:
        course_complete(enrollment=enrollment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("course_detail", pk=enrollment.course_id)
    hours = f"{enrollment.course.contact_hours.normalize():f}"
    messages.success(request, f"You completed {enrollment.course.title} ({hours} contact hours).")
    return redirect("dashboard")
