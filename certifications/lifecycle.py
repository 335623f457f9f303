"""The states of a registration and the events that move it, in one table.

Every status change of a registration goes through ``registration_transition``; services
decide *when* an event happens (a file approved, hours met, a cycle ended short), this module
decides *what* it does to the row. The table is the whole lifecycle (see
docs/decisions/0009-certification-lifecycle.md):

    initial application  ACTIVE ─files submitted→ PENDING_REVIEW ─approved→ COMPLETED
                         PENDING_REVIEW ─file rejected→ ACTIVE ─upload window closed→ LAPSED
    renewal credits      ACTIVE ─hours met→ COMPLETED ─hours lowered→ ACTIVE
                         ACTIVE ─cycle ended short→ LAPSED (next step: apply again as initial)
    renewal application  as the initial application; approval starts the next renewal-credits
                         cycle the day after the current one ends.

The sweep (certifications/services/deadlines.py) lapses many rows in one UPDATE for speed;
it moves exactly the ``CYCLE_ENDED_SHORT`` / ``UPLOAD_WINDOW_CLOSED`` edges of this table.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone

from certifications.models import CredentialType, Registration

Status = Registration.Status
Kind = CredentialType.Kind
APPLICATION_KINDS = frozenset({Kind.INITIAL_APPLICATION, Kind.RENEWAL_APPLICATION})
CREDIT_KINDS = frozenset({Kind.RENEWAL_CREDITS})


class Event(models.TextChoices):
    FILES_SUBMITTED = "FILES_SUBMITTED", "All required files submitted"
    FILE_REJECTED = "FILE_REJECTED", "A file was rejected"
    APPLICATION_APPROVED = "APPLICATION_APPROVED", "Application approved"
    UPLOAD_WINDOW_CLOSED = "UPLOAD_WINDOW_CLOSED", "Upload window closed"
    HOURS_MET = "HOURS_MET", "Required contact hours earned"
    HOURS_LOWERED = "HOURS_LOWERED", "Earned contact hours fell below the requirement"
    RENEWED_WITH_HOURS = "RENEWED_WITH_HOURS", "Renewal approved while the cycle was open"
    CYCLE_ENDED_SHORT = "CYCLE_ENDED_SHORT", "Cycle ended short of hours"


# event: (kinds it applies to, {status before: status after})
TRANSITIONS: dict[str, tuple[frozenset[str], dict[str, str]]] = {
    Event.FILES_SUBMITTED: (
        APPLICATION_KINDS | CREDIT_KINDS,
        {Status.ACTIVE: Status.PENDING_REVIEW},
    ),
    Event.FILE_REJECTED: (APPLICATION_KINDS | CREDIT_KINDS, {Status.PENDING_REVIEW: Status.ACTIVE}),
    Event.APPLICATION_APPROVED: (
        APPLICATION_KINDS,
        {Status.ACTIVE: Status.COMPLETED, Status.PENDING_REVIEW: Status.COMPLETED},
    ),
    Event.UPLOAD_WINDOW_CLOSED: (APPLICATION_KINDS | CREDIT_KINDS, {Status.ACTIVE: Status.LAPSED}),
    Event.HOURS_MET: (CREDIT_KINDS, {Status.ACTIVE: Status.COMPLETED}),
    Event.HOURS_LOWERED: (CREDIT_KINDS, {Status.COMPLETED: Status.ACTIVE}),
    # A renewal approved while the cycle is still open (its hours are met, but e.g. one of its
    # files still awaits review): the cycle is complete and the next one follows it.
    Event.RENEWED_WITH_HOURS: (
        CREDIT_KINDS,
        {Status.ACTIVE: Status.COMPLETED, Status.PENDING_REVIEW: Status.COMPLETED},
    ),
    Event.CYCLE_ENDED_SHORT: (
        CREDIT_KINDS,
        {Status.ACTIVE: Status.LAPSED, Status.PENDING_REVIEW: Status.LAPSED},
    ),
}


class TransitionNotAllowed(Exception):
    """A programming error: a service asked for an edge the table does not have."""


def next_status(*, kind: str, status: str, event: str) -> str | None:
    """The status ``event`` leads to from ``status`` for a credential of ``kind``, or None when
    the table has no such edge."""
    kinds, edges = TRANSITIONS[event]
    if kind not in kinds:
        return None
    return edges.get(status)


def can_transition(registration: Registration, event: str) -> bool:
    return (
        next_status(kind=registration.credential_type.kind, status=registration.status, event=event)
        is not None
    )


def registration_transition(
    registration: Registration,
    event: str,
    *,
    today: datetime.date | None = None,
    save: bool = True,
) -> list[str]:
    """Move the registration along ``event`` and set the timestamps that go with its new
    status; returns the changed field names (saved unless ``save`` is False, so a caller can
    save them with other fields in one write). The caller holds the row's lock and sets
    ``_history_user`` when a person caused the event."""
    after = next_status(
        kind=registration.credential_type.kind, status=registration.status, event=event
    )
    if after is None:
        raise TransitionNotAllowed(
            f"{event} is not allowed for a {registration.credential_type.kind} "
            f"registration in {registration.status}."
        )
    registration.status = after
    fields = ["status"]
    if after == Status.COMPLETED:
        registration.compliance = Registration.Compliance.COMPLIANT
        registration.completed_at = timezone.now()
        fields += ["compliance", "completed_at"]
    elif after == Status.LAPSED:
        registration.compliance = Registration.Compliance.NOT_COMPLIANT
        registration.lapsed_on = today or timezone.localdate()
        fields += ["compliance", "lapsed_on"]
    elif event == Event.HOURS_LOWERED:
        registration.compliance = Registration.Compliance.NOT_COMPLIANT
        registration.completed_at = None
        fields += ["compliance", "completed_at"]
    if save:
        registration.save(update_fields=fields)
    return fields


def next_cycle_start(*, previous: Registration | None, today: datetime.date) -> datetime.date:
    """Where the next renewal-credits cycle of a chain starts: the day after the previous
    cycle ends (no gap, no overlap), or today when there is none or it ended long ago."""
    if previous is None:
        return today
    return max(today, previous.cycle_end + datetime.timedelta(days=1))


def renewal_opens_on(registration: Registration) -> datetime.date | None:
    """The first day a renewal application may be registered for this renewal-credits
    cycle, or None when the credential has no early-renewal window (renewal opens as soon as
    the hours are met)."""
    window = registration.credential_type.renewal_window_days
    if window is None:
        return None
    return registration.cycle_end - datetime.timedelta(days=window)


def lapses_after(registration: Registration) -> datetime.date:
    """The last day a short cycle is still open: its end plus the credential's grace period."""
    return registration.cycle_end + datetime.timedelta(
        days=registration.credential_type.grace_period_days
    )
