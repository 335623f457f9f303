"""Earned contact hours of renewal-credits cycles, and the completion they lead to.

Earned credits = hours of completed portal/live courses whose completion date lies inside the
cycle + approved credits of credit requests for that cycle (dated inside it) + approved
asynchronous course hours reported for that cycle (dated inside it, capped by the credential
type's ``max_async_hours``). The total is stored on the registration (``earned_credits``) so
pages and jobs read one column; every event that can change it calls
``registrations_refresh_earned`` for the registrations it touches.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import (
    Case,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from certifications.models import CredentialType, Registration
from courses.models import AsyncCompletion, Course, Enrollment

COUNTED_COURSE_FORMATS = (Course.Format.PORTAL, Course.Format.LIVE)
# Cycles that still collect hours: an open cycle, or one already complete (extra hours still
# show on the transcript). Lapsed cycles are closed.
COLLECTING_STATUSES = (Registration.Status.ACTIVE, Registration.Status.COMPLETED)
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=7, decimal_places=1))


def approved_credit_statuses() -> tuple[str, ...]:
    from credits.models import CreditRequest

    return (CreditRequest.Status.APPROVED, CreditRequest.Status.PARTIALLY_APPROVED)


def _course_hours_subquery() -> Subquery:
    hours = (
        Enrollment.objects.filter(
            user=OuterRef("user"),
            status=Enrollment.Status.COMPLETED,
            completed_on__gte=OuterRef("cycle_start"),
            completed_on__lte=OuterRef("cycle_end"),
            course__format__in=COUNTED_COURSE_FORMATS,
        )
        .order_by()
        .values("user")
        .annotate(total=Sum("course__contact_hours"))
        .values("total")
    )
    return Subquery(hours, output_field=DecimalField(max_digits=7, decimal_places=1))


def _approved_credits_subquery() -> Subquery:
    from credits.models import CreditRequest

    credits = (
        CreditRequest.objects.filter(
            registration=OuterRef("pk"),
            status__in=approved_credit_statuses(),
            activity_date__gte=OuterRef("cycle_start"),
            activity_date__lte=OuterRef("cycle_end"),
        )
        .order_by()
        .values("registration")
        .annotate(total=Sum("approved_credits"))
        .values("total")
    )
    return Subquery(credits, output_field=DecimalField(max_digits=7, decimal_places=1))


def _approved_async_hours_subquery() -> Subquery:
    hours = (
        AsyncCompletion.objects.filter(
            registration=OuterRef("pk"),
            status=AsyncCompletion.Status.APPROVED,
            completed_on__gte=OuterRef("cycle_start"),
            completed_on__lte=OuterRef("cycle_end"),
        )
        .order_by()
        .values("registration")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return Subquery(hours, output_field=DecimalField(max_digits=7, decimal_places=1))


def _counted_async_hours() -> Case:
    """Approved asynchronous hours reported for the registration, capped by the credential
    type's ``max_async_hours`` when it has one."""
    reported = Coalesce(_approved_async_hours_subquery(), ZERO)
    return Case(
        When(
            credential_type__max_async_hours__lt=reported,
            then=F("credential_type__max_async_hours"),
        ),
        default=reported,
        output_field=DecimalField(max_digits=7, decimal_places=1),
    )


def with_computed_earned(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotate ``computed_earned``: the total from the sources, in one query."""
    return registrations.annotate(
        computed_earned=Coalesce(_course_hours_subquery(), ZERO)
        + Coalesce(_approved_credits_subquery(), ZERO)
        + _counted_async_hours()
    )


def renewal_cycles_collecting_on(*, user_id: int, day: datetime.date) -> QuerySet[Registration]:
    return Registration.objects.filter(
        user_id=user_id,
        credential_type__kind=CredentialType.Kind.RENEWAL_CREDITS,
        status__in=COLLECTING_STATUSES,
        cycle_start__lte=day,
        cycle_end__gte=day,
    )


@transaction.atomic
def registrations_refresh_earned(*, registration_ids: Iterable[int]) -> list[Registration]:
    """Recompute earned credits and complete (or re-open) renewal-credits cycles.

    Rows are locked first, so two decisions about one person never interleave. Each change is
    saved through the model so the history (who, when, what) records it.
    """
    ids = sorted(set(registration_ids))
    if not ids:
        return []
    locked = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, credential_type__kind=CredentialType.Kind.RENEWAL_CREDITS)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    changed = []
    rows = with_computed_earned(
        Registration.objects.filter(pk__in=locked).select_related("credential_type")
    )
    for registration in rows:
        if _apply_earned(registration, registration.computed_earned):
            changed.append(registration)
    return changed


def _apply_earned(registration: Registration, earned: Decimal) -> bool:
    fields = []
    if registration.earned_credits != earned:
        registration.earned_credits = earned
        fields.append("earned_credits")
    required = registration.credential_type.required_credits
    if registration.status == Registration.Status.ACTIVE and earned >= required:
        registration.status = Registration.Status.COMPLETED
        registration.compliance = Registration.Compliance.COMPLIANT
        registration.completed_at = timezone.now()
        fields += ["status", "compliance", "completed_at"]
    elif registration.status == Registration.Status.COMPLETED and earned < required:
        # A reviewer's new decision lowered the total: the cycle is open again.
        registration.status = Registration.Status.ACTIVE
        registration.compliance = Registration.Compliance.NOT_COMPLIANT
        registration.completed_at = None
        fields += ["status", "compliance", "completed_at"]
    if fields:
        registration.save(update_fields=fields)
    return bool(fields)


def refresh_earned_after_course_completion(*, user_id: int, completed_on: datetime.date) -> None:
    """A completed portal course counts toward every collecting cycle containing its date."""
    ids = renewal_cycles_collecting_on(user_id=user_id, day=completed_on).values_list(
        "pk", flat=True
    )
    registrations_refresh_earned(registration_ids=list(ids))


def open_registrations_q() -> Q:
    return Q(status__in=Registration.OPEN_STATUSES)
