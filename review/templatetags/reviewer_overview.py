"""The reviewers' overview shown on the review site's front page: one row per registered
queue the reviewer may see."""

from __future__ import annotations

from django import template

from review.overview import queue_summary
from review.queues import registered_queues

register = template.Library()


@register.inclusion_tag("admin/reviewer_overview.html", takes_context=True)
def reviewer_overview(context: template.Context) -> dict:
    user = context["request"].user
    queues = [
        {"title": queue.title, "url": queue.changelist_url, "summary": queue_summary(queue)}
        for queue in registered_queues()
        if user.has_perm(queue.view_permission)
    ]
    return {"queues": queues}
