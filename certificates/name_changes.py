"""Name changes: a person asks with proof, a reviewer approves or rejects. Approval changes the
name on the person's account, which certificates issued afterwards carry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from accounts.models import User
from certificates.models import NameChangeRequest
from documents.stored_files import file_removed_on_failure
from documents.upload_checks import check_document_upload
from kdla_portal.mail import queue_email
from review.decisions import lock_pending_for_decision, record_decision

ALREADY_PENDING = "You already asked for a name change; KDLA will review it first."
SAME_NAME = "This is already the name on your account."
NAME_REQUIRED = "Enter the first and last name to print on your certificates."
REJECTION_NOTE_REQUIRED = "Write a note telling the person what is needed."


@transaction.atomic
def name_change_request(
    *, user: User, first_name: str, last_name: str, proof: UploadedFile | None
) -> NameChangeRequest:
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    if not first_name or not last_name:
        raise ValidationError(NAME_REQUIRED)
    if (first_name, last_name) == (user.first_name, user.last_name):
        raise ValidationError(SAME_NAME)
    checked = check_document_upload(proof)
    if NameChangeRequest.objects.filter(
        user=user, status=NameChangeRequest.Status.PENDING
    ).exists():
        raise ValidationError(ALREADY_PENDING)
    request = NameChangeRequest(
        user=user,
        current_name=user.full_name,
        new_first_name=first_name,
        new_last_name=last_name,
        proof_name=checked.original_name,
        proof_content_type=checked.content_type,
        proof_size=checked.size,
    )
    request._history_user = user
    with file_removed_on_failure(request.proof):
        request.proof.save(checked.original_name, checked.content, save=False)
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError as error:  # a second request sent at the same moment
            raise ValidationError(ALREADY_PENDING) from error
    return request


def _decide(locked: NameChangeRequest, *, status: str, reviewer: User, note: str) -> None:
    record_decision(locked, status=status, reviewer=reviewer, note=note)
    queue_email(
        key=f"name_change_decided:{locked.pk}",
        template="name_change_decided",
        to=[locked.user.email],
        context={"user": locked.user, "name_change": locked},
    )


@transaction.atomic
def name_change_approve(*, name_change: NameChangeRequest, reviewer: User) -> NameChangeRequest:
    """The new name goes on the account (kept in its History); certificates already issued
    keep the name they were issued under."""
    locked = lock_pending_for_decision(name_change, reviewer=reviewer, select_related=["user"])
    person = User.objects.select_for_update().get(pk=locked.user_id)
    person.first_name, person.last_name = locked.new_first_name, locked.new_last_name
    # The account keeps no History; this request's History records the change and its reviewer.
    person.save(update_fields=["first_name", "last_name"])
    locked.user = person
    _decide(locked, status=NameChangeRequest.Status.APPROVED, reviewer=reviewer, note="")
    return locked


@transaction.atomic
def name_change_reject(
    *, name_change: NameChangeRequest, reviewer: User, note: str
) -> NameChangeRequest:
    note = (note or "").strip()
    if not note:
        raise ValidationError(REJECTION_NOTE_REQUIRED)
    locked = lock_pending_for_decision(name_change, reviewer=reviewer, select_related=["user"])
    _decide(locked, status=NameChangeRequest.Status.REJECTED, reviewer=reviewer, note=note)
    return locked
