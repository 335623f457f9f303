"""Registering a person for a credential: one cycle under the rules in force today.

An initial application needs its prerequisite courses completed; a renewal application needs a
completed cycle of the credential it renews; nobody holds two open cycles of one credential
(also a database constraint). Registrations are free: registering is the whole checkout.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from certifications.lifecycle import renewal_opens_on
from certifications.models import CredentialType, Registration
from certifications.selectors import current_credential_types
from courses.models import Enrollment


def add_calendar_years(day: datetime.date, years: int) -> datetime.date:
    """The same month and day ``years`` later; February 29 becomes February 28."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def cycle_end_for(*, credential_type: CredentialType, cycle_start: datetime.date) -> datetime.date:
    return add_calendar_years(cycle_start, credential_type.cycle_length_years) + datetime.timedelta(
        days=credential_type.cycle_length_days
    )


def upload_due_for(
    *, credential_type: CredentialType, cycle_start: datetime.date
) -> datetime.date | None:
    """The last day the required files may be uploaded (day 30 of a 30-day window is open)."""
    if credential_type.upload_window_days is None:
        return None
    if not credential_type.required_document_types.exists():
        return None
    return cycle_start + datetime.timedelta(days=credential_type.upload_window_days)


def current_version_of(*, credential_type: CredentialType, on: datetime.date) -> CredentialType:
    current = current_credential_types(on=on).filter(code=credential_type.code).first()
    if current is None:
        raise ValidationError(f"{credential_type.name} is not open for registration.")
    return current


def _open_cycle_message(registration: Registration) -> str:
    return (
        f"You are already registered for {registration.credential_type.name} "
        f"(cycle {registration.cycle_start:%m/%d/%Y} – {registration.cycle_end:%m/%d/%Y})."
    )


def missing_prerequisite_titles(*, user: User, credential_type: CredentialType) -> list[str]:
    """Titles of the prerequisite courses the person has not completed, in the agency's order."""
    completed = Enrollment.objects.filter(user=user, status=Enrollment.Status.COMPLETED).values(
        "course_id"
    )
    return list(
        credential_type.prerequisite_courses.exclude(pk__in=completed)
        .order_by("pk")
        .values_list("title", flat=True)
    )


def registration_refusal(*, user: User, credential_type: CredentialType) -> str | None:
    """Why the person cannot register for this credential version now, or None."""
    missing = missing_prerequisite_titles(user=user, credential_type=credential_type)
    if missing:
        return f"Complete these courses first: {', '.join(missing)}"
    required = credential_type.requires_completed
    if required is not None:
        refusal = renewal_refusal(user=user, credential_type=credential_type, renews=required)
        if refusal:
            return refusal
    open_cycle = (
        Registration.objects.filter(
            user=user,
            credential_code=credential_type.code,
            status__in=Registration.OPEN_STATUSES,
        )
        .select_related("credential_type")
        .first()
    )
    if open_cycle is not None:
        return _open_cycle_message(open_cycle)
    return None


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _latest_cycle(*, user: User, credential_code: str) -> Registration | None:
    return (
        Registration.objects.select_related("credential_type")
        .filter(user=user, credential_code=credential_code)
        .order_by("-cycle_end", "-pk")
        .first()
    )


def renewal_refusal(
    *, user: User, credential_type: CredentialType, renews: CredentialType
) -> str | None:
    """Why the person cannot apply for renewal yet, or None. A renewal renews the newest cycle
    of the chain: it must have its hours (and be inside the early-renewal window, when the
    credential has one); a lapsed cycle is not renewed, the person applies again as initial."""
    cycle = _latest_cycle(user=user, credential_code=renews.code)
    if cycle is None:
        return (
            f"You can register for {credential_type.name} once your {renews.display_label} "
            f"cycle is complete (all {_hours(renews.required_credits)} contact hours earned)."
        )
    label = cycle.credential_type.display_label
    required = cycle.credential_type.required_credits
    if cycle.status == Registration.Status.LAPSED:
        return (
            f"Your {label} cycle lapsed on {(cycle.lapsed_on or cycle.cycle_end):%m/%d/%Y}, so it "
            "cannot be renewed. Apply again with the initial application."
        )
    if cycle.status != Registration.Status.COMPLETED:
        missing = max(required - cycle.earned_credits, Decimal("0"))
        return (
            f"You can register for {credential_type.name} once your {label} cycle is complete: "
            f"{_hours(missing)} more contact hours are missing ({_hours(cycle.earned_credits)} "
            f"of {_hours(required)} earned by {cycle.cycle_end:%m/%d/%Y})."
        )
    opens_on = renewal_opens_on(cycle)
    if opens_on is not None and timezone.localdate() < opens_on:
        return (
            f"Your {label} cycle is complete. {credential_type.name} opens on "
            f"{opens_on:%m/%d/%Y}, {cycle.credential_type.renewal_window_days} days before the "
            f"cycle ends on {cycle.cycle_end:%m/%d/%Y}."
        )
    return None


@transaction.atomic
def credential_register(*, user: User, credential_type: CredentialType) -> Registration:
    """Register the person for the current version of the credential, starting today."""
    # One registration at a time per person, so two clicks cannot both pass the checks.
    User.objects.select_for_update().filter(pk=user.pk).first()
    today = timezone.localdate()
    current = current_version_of(credential_type=credential_type, on=today)
    refusal = registration_refusal(user=user, credential_type=current)
    if refusal:
        raise ValidationError(refusal)
    registration = Registration(
        user=user,
        credential_type=current,
        credential_code=current.code,
        cycle_start=today,
        cycle_end=cycle_end_for(credential_type=current, cycle_start=today),
        upload_due_on=upload_due_for(credential_type=current, cycle_start=today),
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:
        open_cycle = (
            Registration.objects.select_related("credential_type")
            .filter(user=user, credential_code=current.code, status__in=Registration.OPEN_STATUSES)
            .first()
        )
        if open_cycle is None:
            raise
        raise ValidationError(_open_cycle_message(open_cycle)) from error
    return registration
