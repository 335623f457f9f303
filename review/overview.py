"""What the reviewers' overview on the review site's front page reads, for every registered
queue: how many items wait, the oldest, and how long decisions took over the last 30 days."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    Model,
    QuerySet,
)
from django.utils import timezone

from review.queues import ReviewQueue

MEDIAN_WINDOW_DAYS = 30
SECONDS_PER_DAY = 86400


class MedianDuration(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5)`` over intervals: the median in one query."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


@dataclass(frozen=True)
class QueueSummary:
    waiting: int
    oldest_at: datetime.datetime | None
    median_days_to_decision: float | None

    @property
    def oldest_age_days(self) -> int | None:
        if self.oldest_at is None:
            return None
        return (timezone.localdate() - timezone.localdate(self.oldest_at)).days


def _waiting(pending: QuerySet, *, received_field: str) -> tuple[int, datetime.datetime | None]:
    totals = pending.aggregate(waiting=Count("pk"), oldest=Min(received_field))
    return totals["waiting"], totals["oldest"]


def _days(duration: datetime.timedelta | None) -> float | None:
    if duration is None:
        return None
    return round(duration.total_seconds() / SECONDS_PER_DAY, 1)


def times_to_decision(
    model: type[Model], *, received_field: str, since: datetime.datetime
) -> QuerySet:
    """Decisions made since ``since``, annotated with ``time_to_decision``."""
    return model.objects.filter(decided_at__gte=since).annotate(
        time_to_decision=ExpressionWrapper(
            F("decided_at") - F(received_field), output_field=DurationField()
        )
    )


def median_by_percentile(decided: QuerySet) -> datetime.timedelta | None:
    """PostgreSQL: the median in one aggregate query."""
    return decided.aggregate(median=MedianDuration("time_to_decision"))["median"]


def median_by_sorting(decided: QuerySet) -> datetime.timedelta | None:
    """Any database (the SQLite demo): sort in SQL and read only the one or two middle rows."""
    count = decided.count()
    if count == 0:
        return None
    ordered = decided.order_by("time_to_decision").values_list("time_to_decision", flat=True)
    middle = list(ordered[(count - 1) // 2 : count // 2 + 1])
    return sum(middle, datetime.timedelta()) / len(middle)


def median_days_to_decision(
    model: type[Model], *, received_field: str, since: datetime.datetime
) -> float | None:
    """Median of (decided_at − received) over decisions made since ``since``, in days."""
    decided = times_to_decision(model, received_field=received_field, since=since)
    if connection.vendor == "postgresql":
        return _days(median_by_percentile(decided))
    return _days(median_by_sorting(decided))


def queue_summary(queue: ReviewQueue) -> QueueSummary:
    since = timezone.now() - datetime.timedelta(days=MEDIAN_WINDOW_DAYS)
    waiting, oldest = _waiting(queue.pending(), received_field=queue.received_field)
    median = median_days_to_decision(queue.model, received_field=queue.received_field, since=since)
    return QueueSummary(waiting=waiting, oldest_at=oldest, median_days_to_decision=median)
