"""The decision routes every review queue in the review site shares: one URL per decision
under the item's own admin URL (``<id>/approve/`` …, named ``<app>_<model>_approve``), each
behind the admin's sign-in and, for the one-click decisions, POST only; and the lookup that
answers 404 for an unknown item and 403 to a reviewer who may not decide it."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest
from django.urls import URLPattern, path
from django.views.decorators.http import require_POST


def decision_urls(
    model_admin: admin.ModelAdmin, views: dict[str, Callable], *, post_only: bool = True
) -> list[URLPattern]:
    """One URL per decision: ``views`` maps the URL's last segment to its view."""
    opts = model_admin.model._meta
    signed_in = model_admin.admin_site.admin_view
    return [
        path(
            f"<path:object_id>/{segment}/",
            signed_in(require_POST(view) if post_only else view),
            name=f"{opts.app_label}_{opts.model_name}_{segment.replace('-', '_')}",
        )
        for segment, view in views.items()
    ]


def item_to_decide(model_admin: admin.ModelAdmin, request: HttpRequest, object_id: str) -> Model:
    item = model_admin.get_object(request, object_id)
    if item is None:
        raise Http404(f"No such {model_admin.model._meta.verbose_name}.")
    if not model_admin.has_change_permission(request, item):
        raise PermissionDenied
    return item
