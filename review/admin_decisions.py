"""The decision routes every review queue in the review site shares: one URL per decision
under the item's own admin URL (``<id>/approve/`` …, named ``<app>_<model>_approve``), each
behind the admin's sign-in and, for the one-click decisions, POST only; and the lookup that
answers 404 for an unknown item and 403 to a reviewer who may not decide it; and the change page
that reads and decides but never saves."""

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


# The change page's buttons that would save, add or delete the row by hand.
NO_SAVING = {
    "show_save": False,
    "show_save_and_continue": False,
    "show_save_and_add_another": False,
    "show_delete": False,
}


class DecisionOnlyAdminMixin:
    """Rows that change only through decisions made by services: never added, deleted or
    saved by hand in the review site. The change page is for reading and deciding; a POST to
    it is refused (decisions have their own URLs, see :func:`decision_urls`)."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ):
        if request.method == "POST":
            raise PermissionDenied
        context = {**(extra_context or {}), **NO_SAVING}
        return super().change_view(request, object_id, form_url, context)
