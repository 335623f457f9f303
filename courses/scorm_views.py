"""The SCORM player page, the runtime's commit endpoint and the package files."""

from __future__ import annotations

import json
import mimetypes
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from courses.models import CourseModule, Enrollment, ScormAttempt, ScormPackage
from courses.services.scorm_packages import scorm_package_file_path
from courses.services.scorm_runtime import (
    StaleCommit,
    scorm_attempt_to_play,
    scorm_commit,
    scorm_commit_key,
    scorm_commit_key_valid,
    scorm_module_attempts,
    scorm_next_unfinished,
)

# The package's own pages run the authoring tool's scripts (often inline) but may reach
# nothing outside the portal: no other origin, no plugins, framed only by the player.
PACKAGE_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'none'; frame-ancestors 'self'"
)
SCORM_ERROR_GENERAL = 101


def _unavailable(
    request: HttpRequest, enrollment: Enrollment, module: CourseModule, error: ValidationError
) -> HttpResponse:
    return render(
        request,
        "courses/module_scorm.html",
        {"module": module, "enrollment": enrollment, "unavailable": " ".join(error.messages)},
    )


def _sco_address(module: CourseModule, attempt: ScormAttempt) -> str:
    url = reverse("course_module", args=[module.course_id, module.pk])
    return f"{url}?{urlencode({'sco': attempt.sco.order})}"


def _requested_sco(request: HttpRequest) -> int | None:
    requested = request.GET.get("sco", "")
    if not requested:
        return None
    if not requested.isdigit():
        raise Http404("No such SCO in this package.")
    return int(requested)


def scorm_player(
    request: HttpRequest, enrollment: Enrollment, module: CourseModule
) -> HttpResponse:
    """The player; for a package of several SCOs, one SCO at a time (``?sco=<order>``) with
    the list of them and a link to the next unfinished one."""
    sco_order = _requested_sco(request)
    try:
        attempts = scorm_module_attempts(enrollment=enrollment, module=module)
    except ValidationError as error:
        return _unavailable(request, enrollment, module, error)
    try:
        attempt = scorm_attempt_to_play(attempts=attempts, sco_order=sco_order)
    except ValidationError as error:
        raise Http404(" ".join(error.messages)) from error
    package, sco = attempt.package, attempt.sco
    following = scorm_next_unfinished(attempts=attempts, current=attempt)
    multi_sco = len(attempts) > 1
    return render(
        request,
        "courses/module_scorm.html",
        {
            "module": module,
            "enrollment": enrollment,
            "attempt": attempt,
            "package": package,
            "sco": sco,
            "multi_sco": multi_sco,
            "sco_links": [
                {"attempt": other, "url": _sco_address(module, other), "current": other == attempt}
                for other in attempts
            ]
            if multi_sco
            else [],
            "next_sco": {"attempt": following, "url": _sco_address(module, following)}
            if multi_sco and following is not None
            else None,
            "launch_url": reverse("scorm_package_file", args=[package.pk, sco.launch_path])
            + sco.launch_parameters,
            "commit_url": reverse("scorm_commit", args=[attempt.pk])
            + "?"
            + urlencode({"key": scorm_commit_key(attempt=attempt)}),
            "runtime_data": attempt.runtime_data,
            "learner": {"id": str(request.user.pk), "name": request.user.get_full_name()},
        },
    )


def _refusal(message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"result": False, "errorCode": SCORM_ERROR_GENERAL, "message": message}, status=status
    )


@csrf_exempt  # the commit key stands in for the CSRF token (see scorm_commit_key)
@login_required
@require_POST
def scorm_commit_view(request: HttpRequest, pk: int) -> JsonResponse:
    if not scorm_commit_key_valid(attempt_id=pk, user=request.user, key=request.GET.get("key", "")):
        return _refusal("This SCORM attempt is not yours, or it does not exist.", 403)
    if b"\\u0000" in request.body:
        # PostgreSQL stores no NUL character in JSON; no SCORM value needs one.
        return _refusal("The commit holds a NUL character (\\u0000), which SCORM data cannot.", 400)
    try:
        body = json.loads(request.body)
        sequence = int(body["sequence"])
        cmi = body["cmi"]
        total_time = int(body.get("total_time_seconds") or 0)
    except (ValueError, KeyError, TypeError):
        return _refusal("The commit is not a SCORM runtime commit (sequence and cmi).", 400)
    try:
        scorm_commit(
            attempt_id=pk,
            user=request.user,
            sequence=sequence,
            cmi=cmi,
            total_time_seconds=total_time,
        )
    except StaleCommit as error:
        return _refusal(" ".join(error.messages), 409)
    except ValidationError as error:
        return _refusal(" ".join(error.messages), 403)
    return JsonResponse({"result": True, "errorCode": 0})


def _may_open_package(request: HttpRequest, package: ScormPackage) -> bool:
    user = request.user
    if user.is_staff and user.has_perm("courses.view_coursemodule"):
        return True
    return Enrollment.objects.filter(user=user, course_id=package.module.course_id).exists()


@login_required
@require_GET
def scorm_package_file(request: HttpRequest, pk: int, path: str) -> FileResponse:
    """A file of the package, only to people enrolled in its course and to reviewers; each
    package under a path of its own."""
    package = get_object_or_404(ScormPackage.objects.select_related("module"), pk=pk)
    if not _may_open_package(request, package):
        raise Http404("No such package.")
    name = scorm_package_file_path(package=package, path=path)
    if name is None or not default_storage.exists(name):
        raise Http404("No such file in the package.")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["Content-Security-Policy"] = PACKAGE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response
