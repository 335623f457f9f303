"""The reviewers' overview shown on the review site's front page."""

from __future__ import annotations

from django import template
from django.urls import reverse

from certifications.review_overview import credit_queue_summary, file_queue_summary

register = template.Library()

FILES_QUEUE_QUERY = "?status__exact=PENDING"
CREDITS_QUEUE_QUERY = "?status__exact=PENDING"


@register.inclusion_tag("admin/reviewer_overview.html", takes_context=True)
def reviewer_overview(context: template.Context) -> dict:
    user = context["request"].user
    queues = []
    if user.has_perm("certifications.view_externalfile"):
        queues.append(
            {
                "title": "Files awaiting review",
                "url": reverse("admin:certifications_externalfile_changelist") + FILES_QUEUE_QUERY,
                "summary": file_queue_summary(),
            }
        )
    if user.has_perm("credits.view_creditrequest"):
        queues.append(
            {
                "title": "Credit requests awaiting review",
                "url": reverse("admin:credits_creditrequest_changelist") + CREDITS_QUEUE_QUERY,
                "summary": credit_queue_summary(),
            }
        )
    return {"queues": queues}
