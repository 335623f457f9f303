"""The agency's statewide statistics in the review site: the page, one CSV and one XLSX per
table, and the printable annual report. Reviewers only."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.reviewers import REVIEWERS_GROUP
from portal.statistics import StatewideStatistics, statewide_statistics, statistics_table
from portal.statistics_charts import draw_chart
from portal.statistics_exports import XLSX_CONTENT_TYPE, table_csv, table_xlsx


def is_reviewer(user) -> bool:
    return (
        user.is_active
        and user.is_staff
        and (user.is_superuser or user.groups.filter(name=REVIEWERS_GROUP).exists())
    )


def reviewers_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-out visitors and staff without review-site access go to the review site's sign-in
    (the admin's own check); signed-in people outside the reviewers group get 403."""

    @wraps(view)
    def checked(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not is_reviewer(request.user):
            raise PermissionDenied("Only KDLA reviewers see the statewide statistics.")
        return view(request, *args, **kwargs)

    return admin.site.admin_view(checked)


def _context(request: HttpRequest, statistics: StatewideStatistics, title: str) -> dict:
    return {
        **admin.site.each_context(request),
        "title": title,
        "statistics": statistics,
        "sections": [
            {"table": table, "drawn": draw_chart(table.chart) if table.chart else None}
            for table in statistics.tables
        ],
    }


@require_GET
@reviewers_only
def statewide_page(request: HttpRequest) -> HttpResponse:
    statistics = statewide_statistics()
    return render(
        request,
        "portal/statistics/statewide.html",
        _context(request, statistics, "Statewide statistics"),
    )


@require_GET
@reviewers_only
def annual_report(request: HttpRequest) -> HttpResponse:
    statistics = statewide_statistics()
    return render(
        request,
        "portal/statistics/annual_report.html",
        _context(request, statistics, f"Annual report {statistics.today.year}"),
    )


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@reviewers_only
def table_export(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    table = statistics_table(slug)
    if table is None:
        raise Http404("No such table.")
    name = f"kdla-{slug}"
    if file_format == "csv":
        response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
        return _attachment(response, f"{name}.csv")
    if file_format == "xlsx":
        response = HttpResponse(table_xlsx(table), content_type=XLSX_CONTENT_TYPE)
        return _attachment(response, f"{name}.xlsx")
    raise Http404("No such format.")
