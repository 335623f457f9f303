"""Floor pages for the page benchmark: the least work a response of each kind can be.

- ``/floor/bare/`` — ``HttpResponse("ok")`` through the portal's middleware;
- ``/floor/template/`` — a page of about 16 KB that extends ``base.html`` (like every portal
  page) and renders a table from data in memory: template rendering, no SQL.

The portal's own URLs stay mounted so the ``{% url %}`` tags of ``base.html`` resolve.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

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


@csrf_exempt  # like the commit endpoint, whose signed key stands in for the CSRF token
@require_POST
def floor_commit(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body)
    return JsonResponse({"result": isinstance(body, dict), "errorCode": 0})


urlpatterns = [
    path("floor/bare/", floor_bare, name="floor_bare"),
    path("floor/template/", floor_template, name="floor_template"),
    path("floor/commit/", floor_commit, name="floor_commit"),
    *portal_urlpatterns,
]
