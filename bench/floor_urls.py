"""Floor pages for the page benchmark: the least work a response of each kind can be.

- ``/floor/bare/`` — ``HttpResponse("ok")`` through the portal's middleware;
- ``/floor/template/`` — a page of about 16 KB that extends ``base.html`` (like every portal
  page) and renders a table from data in memory: template rendering, no SQL.

The portal's own URLs stay mounted so the ``{% url %}`` tags of ``base.html`` resolve.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from kdla_portal.urls import urlpatterns as portal_urlpatterns

FLOOR_TABLE_ROWS = 80
FLOOR_TABLE = [
    {
        "title": f"Continuing education course {number}",
        "completed_on": datetime.date(2025, 1, 1) + datetime.timedelta(days=number),
        "contact_hours": Decimal("1.5") + number % 4,
        "status": "COMPLETED" if number % 3 else "REGISTERED",
    }
    for number in range(FLOOR_TABLE_ROWS)
]


def floor_bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def floor_template(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/floor_page.html", {"rows": FLOOR_TABLE})


urlpatterns = [
    path("floor/bare/", floor_bare, name="floor_bare"),
    path("floor/template/", floor_template, name="floor_template"),
    *portal_urlpatterns,
]
