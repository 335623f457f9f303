"""Bounds on what a person or a reviewer may enter for an activity: its date and its hours.
Shared by course completions, asynchronous completions, credit requests and the catalogue, so
each refuses absurd input with the same words."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

EARLIEST_ACTIVITY_DATE = datetime.date(1900, 1, 1)


def activity_date_error(day: datetime.date, *, what: str = "The date") -> str | None:
    """Why ``day`` cannot be the date of an activity, or None."""
    if day < EARLIEST_ACTIVITY_DATE:
        shown = f"{day.month:02d}/{day.day:02d}/{day.year:04d}"
        return f"{what} {shown} is before 1900. Check the year."
    if day > timezone.localdate():
        return f"{what} cannot be in the future."
    return None


def max_course_hours() -> Decimal:
    return Decimal(settings.MAX_COURSE_HOURS)


def course_hours_error(hours: Decimal) -> str | None:
    """Why ``hours`` cannot be one course's contact hours, or None."""
    limit = max_course_hours()
    if hours > limit:
        return (
            f"One course can count at most {limit.normalize():f} contact hours; "
            f"{hours.normalize():f} is more. Check the number."
        )
    return None
