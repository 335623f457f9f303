"""Register for Course (the catalogue), course pages and registering for courses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from courses.forms import CatalogueFilterForm
from courses.models import Course, Enrollment
from courses.selectors import (
    catalogue_categories,
    catalogue_courses,
    catalogue_credentials,
    course_modules,
    enrollments_by_course,
    get_catalogue_course,
    module_completions,
)
from courses.services.enrollments import course_register

COURSES_PER_PAGE = 20
REGISTERED_NEXT_STEP = (
    "Work through its modules below; the course is complete when every required module is."
)


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


def _course_page(request: HttpRequest, course: Course) -> HttpResponse:
    enrollment = Enrollment.objects.filter(user=request.user, course=course).first()
    modules = course_modules(course=course)
    completions = module_completions(enrollment=enrollment)
    module_rows = [(module, completions.get(module.pk)) for module in modules]
    next_module = next(
        (module for module, done in module_rows if done is None and module.required), None
    )
    return render(
        request,
        "courses/course_detail.html",
        {
            "course": course,
            "enrollment": enrollment,
            "module_rows": module_rows,
            "modules_done": sum(done is not None for _, done in module_rows),
            "next_module": next_module,
        },
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
    return _course_page(request, course)


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
    messages.success(request, f"You are registered for {course.title}. {REGISTERED_NEXT_STEP}")
    return redirect("course_detail", pk=course.pk)
