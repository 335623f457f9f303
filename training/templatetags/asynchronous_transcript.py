"""The "Asynchronous courses" section of the transcript, rendered from its own selector so the
transcript page needs only one line to show it."""

from __future__ import annotations

from django import template

from accounts.models import User
from training.selectors import async_completions_for_transcript

register = template.Library()


@register.inclusion_tag("training/transcript_section.html")
def async_courses_transcript_section(user: User) -> dict:
    return {"async_completions": list(async_completions_for_transcript(user))}
