"""Requests for credit for activities outside the portal ("Request new Credit")."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from certifications.models import Registration
from certifications.services.earned import (
    ACCEPTING_REGISTRATIONS,
    before_first_registration_refusal,
    collecting_cycles_q,
)
from courses.input_limits import EARLIEST_ACTIVITY_DATE, activity_date_error
from credits.models import MAX_REQUESTED_CREDITS, CreditRequest
from documents.stored_files import file_removed_on_failure
from documents.upload_checks import CheckedUpload, check_document_upload

CREDIT_STEP = Decimal("0.5")
ACTIVITY_DATE_OUTSIDE_CYCLE = (
    "The Activity Date must be within the Start and End Date of the selected Credential in "
    "order to count towards its completion."
)
REGISTRATION_NOT_FOUND = (
    f"This credential was not found among your renewal credentials that accept credits. "
    f"{ACCEPTING_REGISTRATIONS}"
)


def open_renewal_registrations(*, user: User) -> QuerySet[Registration]:
    """The person's renewal-credits cycles that can still count credits, newest first."""
    return (
        Registration.objects.filter(collecting_cycles_q(), user=user)
        .select_related("credential_type")
        .order_by("-cycle_start", "-pk")
    )


def activity_date_outside_cycle(registration: Registration) -> str:
    """The refusal names the chosen credential's cycle; the rule itself is the field's help."""
    return (
        f"Enter an Activity Date from {registration.cycle_start:%m/%d/%Y} to "
        f"{registration.cycle_end:%m/%d/%Y}, the Start and End Date of "
        f"{registration.credential_type.display_label}."
    )


def credit_request_submit(
    *,
    user: User,
    registration: Registration,
    activity_date: datetime.date,
    course: str,
    description: str,
    requested_credits: Decimal,
    documentation: UploadedFile | None,
) -> CreditRequest:
    """Record a request for KDLA to review. A refusal stores nothing (no row, no file)."""
    checked = _check_documentation(documentation)
    course = (course or "").strip()
    description = (description or "").strip()
    _check_text(course=course, description=description)
    _check_requested_credits(requested_credits)
    if activity_date < EARLIEST_ACTIVITY_DATE:
        raise ValidationError(
            {"activity_date": activity_date_error(activity_date, what="The Activity Date")}
        )
    if activity_date > timezone.localdate():
        raise ValidationError(
            {
                "activity_date": "The Activity Date cannot be in the future. Request credit after "
                "the activity has taken place."
            }
        )
    credit_request = CreditRequest(
        user=user,
        activity_date=activity_date,
        course=course,
        description=description,
        requested_credits=requested_credits,
        documentation_name=checked.original_name,
        documentation_content_type=checked.content_type,
    )
    with file_removed_on_failure(credit_request.documentation), transaction.atomic():
        # Locked so a cycle closing at the same moment cannot accept a late request.
        locked = _lock_open_renewal_registration(user=user, registration=registration)
        if not locked.cycle_start <= activity_date <= locked.cycle_end:
            raise ValidationError({"activity_date": _outside_cycle_message(locked, activity_date)})
        credit_request.registration = locked
        # The file is written last, just before its row: any failure up to the commit
        # deletes it again, so storage never keeps a file without its row.
        credit_request.documentation.save(checked.content.name, checked.content, save=False)
        credit_request.save()
    return credit_request


def _outside_cycle_message(registration: Registration, activity_date: datetime.date) -> str:
    """An activity dated before the person's first registration can count nowhere: say so
    first, then which dates this credential accepts."""
    before_first = before_first_registration_refusal(
        user_id=registration.user_id, day=activity_date, what="The Activity Date"
    )
    outside = activity_date_outside_cycle(registration)
    return f"{before_first} {outside}" if before_first else outside


def _check_documentation(documentation: UploadedFile | None) -> CheckedUpload:
    try:
        return check_document_upload(documentation)
    except ValidationError as error:
        raise ValidationError({"documentation": error.messages}) from error


def _check_text(*, course: str, description: str) -> None:
    errors = {}
    if not course:
        errors["course"] = "Enter the course or activity, e.g. “Annual Summation”."
    if not description:
        errors["description"] = "Describe the activity, e.g. “CE Activities”."
    if errors:
        raise ValidationError(errors)


def _check_requested_credits(requested_credits: Decimal) -> None:
    not_a_number = ValidationError(
        {"requested_credits": "Enter the Requested Credits as a number, e.g. 15."}
    )
    try:
        credits = Decimal(requested_credits)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise not_a_number from error
    if not credits.is_finite():
        raise not_a_number
    if credits <= 0:
        message = "Requested Credits must be more than 0."
    elif credits > MAX_REQUESTED_CREDITS:
        message = (
            f"Requested Credits cannot be more than {MAX_REQUESTED_CREDITS} in one request. "
            "Split a longer activity into several requests."
        )
    elif credits % CREDIT_STEP != 0:
        message = "Requested Credits must be in whole or half hours, e.g. 1, 1.5 or 2."
    else:
        return
    raise ValidationError({"requested_credits": message})


def _lock_open_renewal_registration(*, user: User, registration: Registration) -> Registration:
    locked = (
        open_renewal_registrations(user=user)
        .select_for_update(of=("self",))
        .filter(pk=getattr(registration, "pk", None))
        .first()
    )
    if locked is None:
        raise ValidationError({"registration": REGISTRATION_NOT_FOUND})
    return locked
