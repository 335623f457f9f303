"""Earned contact hours of renewal-credits cycles: the one rule for which hour counts where.

An hour counts toward at most one cycle:
- a completed portal/live course counts toward the person's renewal-credits cycle whose dates
  contain its completion date. Cycles of one credential never overlap (the next one starts the
  day after the previous ends, certifications/lifecycle.py); when cycles of two credentials
  both contain the date, the one registered first takes it;
- a prerequisite course of an initial application the person had approved does not count
  toward renewal: it earned the certification;
- approved credits of a credit request count toward the cycle it was made for, when its
  activity date lies inside that cycle (credits/hours.py; credits sits above certifications and
  adds them as a registered hour source, certifications/hour_sources.py);
- approved asynchronous course hours count toward the cycle they were reported for, dated
  inside it, capped by the credential type's ``max_async_hours``.

``with_computed_earned`` writes this rule once, in SQL; the stored ``earned_credits`` is that
value saved in the same transaction as every event that changes it
(``registrations_refresh_earned``), and the transcript, the sweep and the reminders read it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import (
    Case,
    DecimalField,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from certifications.hour_sources import registered_hour_sources
from certifications.lifecycle import Event, can_transition, registration_transition
from certifications.models import CredentialType, Registration
from courses.models import AsyncCompletion, Course, Enrollment

COUNTED_COURSE_FORMATS = (Course.Format.PORTAL, Course.Format.LIVE)
# Cycles that still collect hours: an open cycle, or one already complete (extra hours still
# show on the transcript). Lapsed cycles are closed.
COLLECTING_STATUSES = (Registration.Status.ACTIVE, Registration.Status.COMPLETED)
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=7, decimal_places=1))


def qualified_an_initial_application() -> Exists:
    """The enrollment's course is a prerequisite of an initial application the person had
    approved: those hours earned the certification, not its renewal."""
    return Exists(
        Registration.objects.filter(
            user_id=OuterRef("user_id"),
            credential_type__kind=CredentialType.Kind.INITIAL_APPLICATION,
            status=Registration.Status.COMPLETED,
            credential_type__prerequisite_courses=OuterRef("course_id"),
        )
    )


def _claimed_by_an_earlier_cycle() -> Exists:
    """Another renewal-credits cycle of the person, registered before this one, contains
    the completion date (only possible across two credentials)."""
    return Exists(
        Registration.objects.filter(
            user_id=OuterRef("user_id"),
            credential_type__kind=CredentialType.Kind.RENEWAL_CREDITS,
            cycle_start__lte=OuterRef("completed_on"),
            cycle_end__gte=OuterRef("completed_on"),
            pk__lt=OuterRef(OuterRef("pk")),
        )
    )


def counted_enrollments_q() -> Q:
    """Completed enrollments whose hours count toward renewal at all."""
    return Q(status=Enrollment.Status.COMPLETED, course__format__in=COUNTED_COURSE_FORMATS)


def _course_hours_subquery() -> Subquery:
    hours = (
        Enrollment.objects.filter(
            counted_enrollments_q(),
            user=OuterRef("user"),
            completed_on__gte=OuterRef("cycle_start"),
            completed_on__lte=OuterRef("cycle_end"),
        )
        .exclude(qualified_an_initial_application())
        .exclude(_claimed_by_an_earlier_cycle())
        .order_by()
        .values("user")
        .annotate(total=Sum("course__contact_hours"))
        .values("total")
    )
    return Subquery(hours, output_field=DecimalField(max_digits=7, decimal_places=1))


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
    total = Coalesce(_course_hours_subquery(), ZERO) + _counted_async_hours()
    for source in registered_hour_sources():
        total = total + Coalesce(source.hours_in_cycle(), ZERO)
    return registrations.annotate(computed_earned=total)


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
    if earned >= required and can_transition(registration, Event.HOURS_MET):
        fields += registration_transition(registration, Event.HOURS_MET, save=False)
    elif earned < required and can_transition(registration, Event.HOURS_LOWERED):
        # A reviewer's new decision or an edit lowered the total: the cycle is open again.
        fields += registration_transition(registration, Event.HOURS_LOWERED, save=False)
    if fields:
        registration.save(update_fields=fields)
    return bool(fields)


def refresh_earned_after_course_completion(*, user_id: int, completed_on: datetime.date) -> None:
    """A completed portal course counts toward the cycle containing its date (whatever its
    status: a lapsed cycle's total still shows what was earned inside it)."""
    ids = Registration.objects.filter(
        user_id=user_id,
        credential_type__kind=CredentialType.Kind.RENEWAL_CREDITS,
        cycle_start__lte=completed_on,
        cycle_end__gte=completed_on,
    ).values_list("pk", flat=True)
    registrations_refresh_earned(registration_ids=list(ids))


def collecting_cycles_q() -> Q:
    """The renewal-credits cycles that accept new hours, the same for credit requests and
    asynchronous completions: ACTIVE, or COMPLETED (extra hours still show on the transcript;
    the date must still lie inside the cycle). A lapsed cycle is closed."""
    return Q(
        credential_type__kind=CredentialType.Kind.RENEWAL_CREDITS,
        status__in=COLLECTING_STATUSES,
    )


# Named in every refusal of a registration for hours, so a person learns where the hours can go.
ACCEPTING_REGISTRATIONS = (
    "Credit requests and asynchronous courses count toward a renewal-credits cycle that is "
    "ACTIVE or COMPLETED, with the date inside the cycle; asynchronous courses also count "
    "toward an initial application that accepts them while it is ACTIVE or PENDING REVIEW."
)


def first_registration_start(*, user_id: int) -> datetime.date | None:
    """The day the person's first registration for a credential started."""
    return Registration.objects.filter(user_id=user_id).aggregate(first=Min("cycle_start"))["first"]


def before_first_registration_refusal(*, user_id: int, day: datetime.date, what: str) -> str | None:
    """Why ``day`` cannot be the date of hours toward renewal: it lies before the person's
    first registration, so no cycle of theirs can contain it. None when it can."""
    first = first_registration_start(user_id=user_id)
    if first is None or day >= first:
        return None
    return (
        f"{what} {day:%m/%d/%Y} is before your first registration with KDLA "
        f"({first:%m/%d/%Y}): no cycle of yours can count it."
    )


def open_registrations_q() -> Q:
    return Q(status__in=Registration.OPEN_STATUSES)


def renewal_cycles_of_people(people_ids: QuerySet) -> QuerySet[Registration]:
    return Registration.objects.filter(
        user_id__in=people_ids, credential_type__kind=CredentialType.Kind.RENEWAL_CREDITS
    )


def earned_refresh_for_people(*, people_ids: QuerySet | Iterable[int]) -> list[Registration]:
    """Recompute every renewal-credits cycle of these people: what an edit that can move hours
    between their cycles (a cycle's dates, a course's hours) calls, in the edit's transaction."""
    ids = renewal_cycles_of_people(people_ids).values_list("pk", flat=True)
    return registrations_refresh_earned(registration_ids=list(ids))


def earned_refresh_for_course(*, course: Course) -> list[Registration]:
    """A course's contact hours or format changed: everyone who completed it."""
    people = Enrollment.objects.filter(course=course, status=Enrollment.Status.COMPLETED).values(
        "user_id"
    )
    return earned_refresh_for_people(people_ids=people)


def earned_refresh_for_credential_type(*, credential_type: CredentialType) -> list[Registration]:
    """A credential's rules changed (required credits, asynchronous cap, prerequisite courses):
    everyone registered under this version."""
    people = Registration.objects.filter(credential_type=credential_type).values("user_id")
    return earned_refresh_for_people(people_ids=people)
