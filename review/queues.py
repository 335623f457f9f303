"""The registry of review queues: every kind of submission a KDLA reviewer decides.

Each app registers its queue in its ``AppConfig.ready``; the review site's overview, the
reviewers' daily digest and the agency statistics iterate the registry, so a new kind of
submission appears in all three by registering. A queue names its model by label, so this
module imports none of the apps that register.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Model, QuerySet
from django.urls import reverse

PENDING = "PENDING"


@dataclass(frozen=True)
class ReviewQueue:
    title: str  # on the overview, e.g. "Files awaiting review"
    digest_title: str  # a heading in the digest, e.g. "Files"
    noun: tuple[str, str]  # one and many, for the digest's subject: ("file", "files")
    model_label: str  # "certifications.ExternalFile"
    received_field: str  # when the item came in
    describe: Callable[[Model], str]  # one digest line: who and what (the date is added)
    select_related: tuple[str, ...] = field(default_factory=tuple)
    order: int = 100

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)

    @property
    def view_permission(self) -> str:
        opts = self.model._meta
        return f"{opts.app_label}.view_{opts.model_name}"

    @property
    def changelist_url(self) -> str:
        opts = self.model._meta
        return (
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            + f"?status__exact={PENDING}"
        )

    def pending(self) -> QuerySet:
        return self.model._default_manager.filter(status=PENDING)

    def waiting_since(self, moment: datetime.datetime) -> QuerySet:
        """Pending items that came in before ``moment``, oldest first."""
        return (
            self.pending()
            .filter(**{f"{self.received_field}__lt": moment})
            .select_related(*self.select_related)
            .order_by(self.received_field, "pk")
        )


_QUEUES: dict[str, ReviewQueue] = {}


def register_queue(queue: ReviewQueue) -> None:
    """Add (or replace, on a second ``ready()``) the queue for ``queue.model_label``."""
    _QUEUES[queue.model_label] = queue


def registered_queues() -> list[ReviewQueue]:
    return sorted(_QUEUES.values(), key=lambda queue: (queue.order, queue.title))


def queue_for(model_label: str) -> ReviewQueue:
    return _QUEUES[model_label]
