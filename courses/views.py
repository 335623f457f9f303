"""Course pages and registering for courses (the catalogue, which also lists credentials, is
``portal.views.course_catalogue``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from courses.models import Course, Enrollment
from courses.selectors import (
    course_modules,
    get_catalogue_course,
    module_completions,
)
from courses.services.enrollments import course_register

REGISTERED_NEXT_STEP = (
    "Work through its modules below; the course is complete when every required module is."
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
