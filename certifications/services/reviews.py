"""KDLA's decisions about uploaded files, and what an approved application leads to.

Each decision locks the registration and then the file (always in that order, so two
reviewers never deadlock), checks that the file still awaits review, applies every
consequence in one transaction and emails the person once the transaction has committed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from certifications.lifecycle import (
    Event,
    can_transition,
    next_cycle_start,
    registration_transition,
)
from certifications.models import CredentialType, ExternalFile, Registration
from certifications.selectors import current_credential_types
from certifications.services.earned import registrations_refresh_earned
from certifications.services.registrations import cycle_end_for
from certifications.signals import application_granted
from kdla_portal.mail import queue_email
from review.decisions import lock_pending_for_decision, record_decision

REJECTION_NOTE_REQUIRED = "Write a note telling the person what is needed."


def renewal_type_for(application_type: CredentialType) -> CredentialType | None:
    """The version in force today of the renewal-credits credential an application leads
    to (rules change by version; a new cycle starts under today's rules)."""
    leads_to = application_type.leads_to
    if leads_to is None:
        return None
    current = current_credential_types(on=timezone.localdate()).filter(code=leads_to.code)
    return current.first() or leads_to


def _lock_pending_file(
    external_file: ExternalFile, *, reviewer: User
) -> tuple[Registration, ExternalFile]:
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("credential_type", "user")
        .get(pk=external_file.registration_id)
    )
    locked = lock_pending_for_decision(
        external_file, reviewer=reviewer, select_related=("registration", "document_type")
    )
    return registration, locked


def _all_required_files_approved(registration: Registration) -> bool:
    required = set(
        registration.credential_type.required_document_types.values_list("pk", flat=True)
    )
    approved = set(
        registration.external_files.filter(status=ExternalFile.Status.APPROVED).values_list(
            "document_type_id", flat=True
        )
    )
    return required <= approved


def _close_open_cycles(*, user: User, credential_code: str, reviewer: User) -> None:
    """The database allows one open cycle per person and credential. A renewal application
    is accepted only once the cycle is complete, so normally nothing is open here; if a later
    decision lowered the hours in the meantime, the cycle ends now (completed if its hours are
    reached, otherwise lapsed) and the next one still starts after its end."""
    open_cycles = Registration.objects.select_for_update(of=("self",)).filter(
        user=user, credential_code=credential_code, status__in=Registration.OPEN_STATUSES
    )
    for cycle in open_cycles.select_related("credential_type"):
        cycle._history_user = reviewer
        if cycle.earned_credits >= cycle.credential_type.required_credits:
            registration_transition(cycle, Event.RENEWED_WITH_HOURS)
        else:
            registration_transition(cycle, Event.CYCLE_ENDED_SHORT)


def latest_cycle_of(*, user: User, credential_code: str) -> Registration | None:
    """The person's newest cycle of one credential (its chain's last link)."""
    return (
        Registration.objects.select_related("credential_type")
        .filter(user=user, credential_code=credential_code)
        .order_by("-cycle_end", "-pk")
        .first()
    )


def _enroll_in_renewal_credits(*, application: Registration, reviewer: User) -> Registration | None:
    """Enroll the person in the renewal-credits credential the application leads to, once:
    the next cycle of the chain, starting the day after the previous cycle ends (today for a
    first cycle, or when the previous one ended long ago).

    ``source_registration`` is one-to-one, so a second enrollment for the same application
    cannot be stored even if this check were bypassed.
    """
    renewal_type = renewal_type_for(application.credential_type)
    if (
        renewal_type is None
        or Registration.objects.filter(source_registration=application).exists()
    ):
        return None
    _close_open_cycles(user=application.user, credential_code=renewal_type.code, reviewer=reviewer)
    previous = latest_cycle_of(user=application.user, credential_code=renewal_type.code)
    cycle_start = next_cycle_start(previous=previous, today=timezone.localdate())
    renewal = Registration(
        user=application.user,
        credential_type=renewal_type,
        credential_code=renewal_type.code,
        status=Registration.Status.ACTIVE,
        compliance=Registration.Compliance.NOT_COMPLIANT,
        cycle_start=cycle_start,
        cycle_end=cycle_end_for(credential_type=renewal_type, cycle_start=cycle_start),
        source_registration=application,
    )
    renewal._history_user = reviewer
    renewal.save()
    # Hours already dated inside the new cycle (e.g. a course finished today) count at once.
    registrations_refresh_earned(registration_ids=[renewal.pk])
    renewal.refresh_from_db()
    return renewal


def _complete_application(*, registration: Registration, reviewer: User) -> Registration | None:
    registration._history_user = reviewer
    registration_transition(registration, Event.APPLICATION_APPROVED)
    return _enroll_in_renewal_credits(application=registration, reviewer=reviewer)


def _queue_file_email(*, template: str, external_file_id: int) -> None:
    """Written in the decision's transaction: the email exists exactly when the decision does."""
    external_file = ExternalFile.objects.select_related(
        "registration__user", "registration__credential_type", "document_type"
    ).get(pk=external_file_id)
    registration = external_file.registration
    renewal = (
        Registration.objects.filter(source_registration=registration)
        .select_related("credential_type")
        .first()
    )
    queue_email(
        key=f"{template}:{external_file.pk}:{external_file.decided_at.isoformat()}",
        template=template,
        to=[registration.user.email],
        context={
            "user": registration.user,
            "external_file": external_file,
            "registration": registration,
            "renewal": renewal,
            "files_path": reverse("registration_files", kwargs={"pk": registration.pk}),
            "window_closed": registration.upload_due_on is not None
            and registration.upload_due_on < timezone.localdate(),
            "catalogue_path": reverse("course_catalogue"),
        },
    )


@transaction.atomic
def external_file_approve(*, external_file: ExternalFile, reviewer: User) -> ExternalFile:
    """Approve a file awaiting review. When it was the last required file of an
    application, the application is COMPLETED / COMPLIANT and the person is enrolled in
    the renewal-credits credential that follows."""
    registration, locked = _lock_pending_file(external_file, reviewer=reviewer)
    record_decision(locked, status=ExternalFile.Status.APPROVED, reviewer=reviewer, note="")
    if (
        registration.credential_type.is_application
        and registration.status in Registration.OPEN_STATUSES
        and _all_required_files_approved(registration)
    ):
        _complete_application(registration=registration, reviewer=reviewer)
        # Certificates (above this app) issue the certificate in this transaction.
        application_granted.send(sender=Registration, application=registration, reviewer=reviewer)
    _queue_file_email(template="file_approved", external_file_id=locked.pk)
    return locked


@transaction.atomic
def external_file_reject(*, external_file: ExternalFile, reviewer: User, note: str) -> ExternalFile:
    """Reject a file with a note telling the person what is needed. The registration opens
    again so a corrected file can be uploaded while its upload window lasts."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(REJECTION_NOTE_REQUIRED)
    registration, locked = _lock_pending_file(external_file, reviewer=reviewer)
    record_decision(locked, status=ExternalFile.Status.REJECTED, reviewer=reviewer, note=note)
    if can_transition(registration, Event.FILE_REJECTED):
        registration._history_user = reviewer
        registration_transition(registration, Event.FILE_REJECTED)
    _queue_file_email(template="file_rejected", external_file_id=locked.pk)
    return locked
