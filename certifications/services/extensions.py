"""Per-person exceptions: a reviewer extends one person's upload deadline or cycle end.

The new date replaces the stored ``upload_due_on`` / ``cycle_end`` (the columns the reminders
and the sweep read, so they follow it at once); a ``DeadlineExtension`` row keeps the previous
date, the reason the person sees, the reviewer and the time, and the registration's History
records the change with the reason.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from certifications.models import DeadlineExtension, Registration
from certifications.services.earned import earned_refresh_for_people
from review.decisions import refuse_own_submission

Deadline = DeadlineExtension.Deadline
REASON_REQUIRED = "Write the reason for the extension; the person sees it on their dashboard."
FIELD_FOR = {Deadline.UPLOAD_DUE: "upload_due_on", Deadline.CYCLE_END: "cycle_end"}


def extension_refusal(
    *, registration: Registration, deadline: str, new_date: datetime.date | None
) -> str | None:
    """Why this extension cannot be granted, or None."""
    if registration.status == Registration.Status.LAPSED:
        return (
            f"This registration lapsed on {(registration.lapsed_on or registration.cycle_end):%m/%d/%Y}"
            "; a lapsed registration is not reopened. The person registers again."
        )
    current = getattr(registration, FIELD_FOR[deadline])
    if current is None:
        return "This registration has no upload deadline to extend."
    if new_date is None or new_date <= current:
        return f"Choose a date after the current one ({current:%m/%d/%Y})."
    if deadline == Deadline.CYCLE_END:
        later = (
            Registration.objects.filter(
                user_id=registration.user_id,
                credential_code=registration.credential_code,
                cycle_start__gt=registration.cycle_start,
            )
            .order_by("cycle_start")
            .first()
        )
        if later is not None and new_date >= later.cycle_start:
            return (
                f"The next cycle starts on {later.cycle_start:%m/%d/%Y}; cycles may not overlap, "
                f"so this one can end on {later.cycle_start - datetime.timedelta(days=1):%m/%d/%Y} "
                "at the latest."
            )
    return None


@transaction.atomic
def registration_extend_deadline(
    *,
    registration: Registration,
    deadline: str,
    new_date: datetime.date,
    reason: str,
    reviewer: User,
) -> DeadlineExtension:
    """Move one deadline of one registration later, with a reason; refused (nothing stored)
    for a lapsed registration, an earlier date, or a cycle end that would overlap the next
    cycle."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    locked = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("credential_type")
        .get(pk=registration.pk)
    )
    refuse_own_submission(reviewer=reviewer, owner_id=locked.user_id)
    refusal = extension_refusal(registration=locked, deadline=deadline, new_date=new_date)
    if refusal:
        raise ValidationError({"new_date": refusal})
    field = FIELD_FOR[deadline]
    extension = DeadlineExtension(
        registration=locked,
        deadline=deadline,
        previous_date=getattr(locked, field),
        new_date=new_date,
        reason=reason,
        granted_by=reviewer,
    )
    extension._history_user = reviewer
    extension.save()
    setattr(locked, field, new_date)
    locked._history_user = reviewer
    locked._change_reason = f"{extension.get_deadline_display()} extended: {reason}"
    locked.save(update_fields=[field])
    if deadline == Deadline.CYCLE_END:
        # A later end can bring more hours inside the cycle.
        earned_refresh_for_people(people_ids=[locked.user_id])
    return extension
