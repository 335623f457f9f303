"""Required files a person uploads for a registration (the External Files page)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from certifications.lifecycle import Event, can_transition, registration_transition
from certifications.models import DocumentType, ExternalFile, Registration
from documents.stored_files import file_removed_on_failure
from documents.upload_checks import CheckedUpload, check_document_upload

NOT_FOUND = "This credential was not found among your registrations."
AWAITING_REVIEW = (
    "Your file is awaiting KDLA review. You can add another file once KDLA has reviewed it "
    "or asks you for one."
)
# Files that count toward completing a registration's requirements.
COUNTING_FILE_STATUSES = (ExternalFile.Status.PENDING, ExternalFile.Status.APPROVED)


def upload_window_closed_on(*, registration: Registration) -> datetime.date | None:
    """The last day files were accepted, when the window has passed (else None).

    The window stays open through the end of the local day ``upload_due_on``: with a 30-day
    window, day 30 is still open and day 31 is not.
    """
    due = registration.upload_due_on
    if due is not None and timezone.localdate() > due:
        return due
    return None


def upload_days_left(*, registration: Registration) -> int | None:
    """Whole days after today that the window stays open (0 on the last day)."""
    if registration.upload_due_on is None:
        return None
    return max((registration.upload_due_on - timezone.localdate()).days, 0)


def upload_refusal_reason(*, registration: Registration) -> str | None:
    """Why no file can be added to this registration now, in words for the person; None when
    uploads are open. Reads only the registration and its credential type (no queries beyond
    those the page has loaded)."""
    credential = registration.credential_type
    label = credential.display_label
    status = registration.status
    if status == Registration.Status.COMPLETED:
        return f"{label} is COMPLETED; no more files are needed."
    if status == Registration.Status.PENDING_REVIEW:
        return AWAITING_REVIEW
    closed_on = upload_window_closed_on(registration=registration)
    if closed_on is not None:
        days = credential.upload_window_days or (closed_on - registration.cycle_start).days
        return (
            f"The {days}-day upload window for {label} closed on {closed_on:%m/%d/%Y}. "
            "Register again to start a new application."
        )
    if status == Registration.Status.LAPSED:
        lapsed = f" on {registration.lapsed_on:%m/%d/%Y}" if registration.lapsed_on else ""
        return f"{label} lapsed{lapsed}; files can no longer be added to it."
    return None


def registration_submit_file(
    *,
    registration: Registration,
    document_type: DocumentType,
    description: str,
    upload: UploadedFile | None,
    actor: User,
) -> ExternalFile:
    """Store a required file for the person's own open registration.

    When every required document type then has a file awaiting review or approved, the
    registration moves to PENDING REVIEW. Either everything is stored or nothing is: a refusal
    leaves no row and no file in storage. (Called inside a caller's larger transaction, the
    caller is responsible for the file if it later rolls back.)
    """
    checked = _check_upload(upload)
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": "Enter a short description of the file."})
    external_file = ExternalFile(
        document_type=document_type,
        description=description[:255],
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor,
    )
    with file_removed_on_failure(external_file.file), transaction.atomic():
        locked = _lock_own_registration(registration=registration, actor=actor)
        _check_accepts_upload(registration=locked, document_type=document_type)
        external_file.registration = locked
        # The file is written last, just before its row: any failure up to the commit
        # deletes it again, so storage never keeps a file without its row.
        external_file.file.save(checked.content.name, checked.content, save=False)
        external_file.save()
        _mark_pending_review_when_complete(registration=locked)
    registration.status = locked.status
    return external_file


def _check_upload(upload: UploadedFile | None) -> CheckedUpload:
    try:
        return check_document_upload(upload)
    except ValidationError as error:
        raise ValidationError({"upload": error.messages}) from error


def _lock_own_registration(*, registration: Registration, actor: User) -> Registration:
    locked = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("credential_type")
        .filter(pk=registration.pk, user=actor)
        .first()
    )
    if locked is None:
        raise ValidationError(NOT_FOUND, code="not_found")
    return locked


def _check_accepts_upload(*, registration: Registration, document_type: DocumentType) -> None:
    reason = upload_refusal_reason(registration=registration)
    if reason is not None:
        raise ValidationError(reason, code="closed")
    label = registration.credential_type.display_label
    required = list(registration.credential_type.required_document_types.all())
    if not required:
        raise ValidationError(f"{label} needs no files.", code="none_required")
    if document_type not in required:
        names = ", ".join(f"“{required_type.name}”" for required_type in required)
        raise ValidationError(
            {"document_type": f"{label} does not require “{document_type.name}”. Choose {names}."}
        )


def _mark_pending_review_when_complete(*, registration: Registration) -> None:
    required_ids = set(
        registration.credential_type.required_document_types.values_list("pk", flat=True)
    )
    covered_ids = set(
        ExternalFile.objects.filter(
            registration=registration, status__in=COUNTING_FILE_STATUSES
        ).values_list("document_type_id", flat=True)
    )
    if (
        required_ids
        and required_ids <= covered_ids
        and can_transition(registration, Event.FILES_SUBMITTED)
    ):
        registration_transition(registration, Event.FILES_SUBMITTED)
