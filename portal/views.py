"""The library director's staff roster: one page and its CSV, both read-only."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import LibraryRole
from portal.forms import RosterFilterForm
from portal.roster import (
    RosterRow,
    build_roster,
    first_library_role,
    get_library_role_for_user,
    roster_csv_rows,
)


def _filtered_roster(
    request: HttpRequest, library_pk: int
) -> tuple[LibraryRole, RosterFilterForm, list[RosterRow]]:
    role = get_library_role_for_user(user=request.user, library_pk=library_pk)
    form = RosterFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    rows: list[RosterRow] = build_roster(
        library=role.library,
        status=filters.get("status") or "",
        expiring=filters.get("expiring"),
        sort=filters.get("sort") or "name",
    )
    return role, form, rows


@login_required
@require_GET
def my_library_staff(request: HttpRequest) -> HttpResponse:
    role = first_library_role(user=request.user)
    if role is None:
        raise PermissionDenied("Only a library's director or delegate sees its staff.")
    return redirect("library_staff", library_pk=role.library_id)


@login_required
@require_GET
def library_staff(request: HttpRequest, library_pk: int) -> HttpResponse:
    role, form, rows = _filtered_roster(request, library_pk)
    return render(
        request,
        "portal/library_staff.html",
        {"role": role, "library": role.library, "form": form, "rows": rows},
    )


@login_required
@require_GET
def library_staff_csv(request: HttpRequest, library_pk: int) -> HttpResponse:
    role, _, rows = _filtered_roster(request, library_pk)
    today = timezone.localdate()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="kdla-library-staff-{role.library_id}-{today:%Y-%m-%d}.csv"'
    )
    csv.writer(response).writerows(roster_csv_rows(rows))
    return response
