"""Asynchronous training: approval of courses from sources not on KDLA's list, and proof of
completion that counts toward a registration.

KDLA's rule (Approved Guidelines for Asynchronous Training Courses): each course is at least
ten hours long; the person provides proof of successful completion; sources other than those
listed need the agency's prior approval.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from certifications.models import CredentialType, Registration
from certifications.services.earned import (
    ACCEPTING_REGISTRATIONS,
    COLLECTING_STATUSES,
    before_first_registration_refusal,
    registrations_refresh_earned,
)
from courses.input_limits import activity_date_error, course_hours_error
from courses.models import (
    MIN_ASYNC_COURSE_HOURS,
    AsyncCompletion,
    AsyncReviewStatus,
    Category,
    Course,
    CourseApprovalRequest,
    Provider,
)
from documents.stored_files import file_removed_on_failure
from documents.upload_checks import CheckedUpload, check_document_upload
from kdla_portal.mail import queue_email
from review.decisions import lock_pending_for_decision, record_decision

ASYNC_CATEGORY = ("Asynchronous Training", "asynchronous-training")
REJECTION_NEEDS_NOTE = "Write a note telling the person why it was not approved."


class UnapprovedSourceError(ValidationError):
    """A reported course from a source that is neither on KDLA's list nor approved. Carries
    what the person typed, so the approval form can be opened pre-filled with it."""

    def __init__(self, errors: dict[str, list[str]], *, approval_prefill: dict[str, str]):
        super().__init__(errors)
        self.approval_prefill = approval_prefill


def hours_text(hours: Decimal) -> str:
    """9.5 -> "9.5", 10.0 -> "10"."""
    return format(hours.normalize(), "f")


def async_course_length_error(hours: Decimal) -> str | None:
    if hours < MIN_ASYNC_COURSE_HOURS:
        return (
            f"Asynchronous courses must be at least {hours_text(MIN_ASYNC_COURSE_HOURS)} hours "
            f"long; this one is {hours_text(hours)} hours."
        )
    return course_hours_error(hours)


def find_approved_provider(*, name: str) -> Provider | None:
    """A source on KDLA's list (active), matched by name whatever the letter case."""
    return Provider.objects.filter(
        name__iexact=name.strip(), is_approved_async_source=True, active=True
    ).first()


def find_approved_course(*, provider_name: str, course_title: str) -> Course | None:
    """A course KDLA approved individually, matched by provider name and title."""
    return (
        Course.objects.filter(
            format=Course.Format.ASYNC_EXTERNAL,
            active=True,
            provider__name__iexact=provider_name.strip(),
            title__iexact=course_title.strip(),
        )
        .select_related("provider")
        .first()
    )


def _check_upload(
    upload: UploadedFile | None, field: str, errors: dict[str, list[str]]
) -> CheckedUpload | None:
    """What to store, or None with the reason added to ``errors``."""
    try:
        return check_document_upload(upload)
    except ValidationError as error:
        errors.setdefault(field, []).extend(error.messages)
        return None


# --- Asynchronous Course Approval Submission Form -------------------------------------------


@transaction.atomic
def course_approval_submit(
    *,
    user: User,
    provider_name: str,
    provider_url: str,
    course_title: str,
    course_url: str,
    description: str,
    length_hours: Decimal,
    syllabus: UploadedFile | None = None,
) -> CourseApprovalRequest:
    """Ask KDLA to approve a course from a source not on its list. Refused (nothing stored)
    under ten hours, for a source already on the list, or with a syllabus that is not a
    document."""
    errors: dict[str, list[str]] = {}
    length_error = async_course_length_error(length_hours)
    if length_error:
        errors["length_hours"] = [length_error]
    listed = find_approved_provider(name=provider_name)
    if listed is not None:
        errors["provider_name"] = [
            f"{listed.name} is already on KDLA's list of approved sources: its courses need no "
            "approval. Report your completion with a proof of completion instead."
        ]
    checked_syllabus = None if syllabus is None else _check_upload(syllabus, "syllabus", errors)
    if errors:
        raise ValidationError(errors)
    approval_request = CourseApprovalRequest(
        user=user,
        provider_name=provider_name.strip(),
        provider_url=provider_url,
        course_title=course_title.strip(),
        course_url=course_url,
        description=description.strip(),
        length_hours=length_hours,
    )
    if checked_syllabus is not None:
        approval_request.syllabus = checked_syllabus.content
        approval_request.syllabus_name = checked_syllabus.original_name
        approval_request.syllabus_content_type = checked_syllabus.content_type
    approval_request._history_user = user
    with file_removed_on_failure(approval_request.syllabus):
        approval_request.save()
    return approval_request


def _checked_note(*, approve: bool, note: str) -> str:
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError(REJECTION_NEEDS_NOTE)
    return note


def _decision_status(approve: bool) -> str:
    return AsyncReviewStatus.APPROVED if approve else AsyncReviewStatus.REJECTED


def approved_async_category() -> Category:
    name, slug = ASYNC_CATEGORY
    category, _ = Category.objects.get_or_create(slug=slug, defaults={"name": name})
    return category


def _provider_for_approved_course(approval_request: CourseApprovalRequest) -> Provider:
    """The provider named in the request, reused when it exists. A new one is not put on the
    public list of approved sources: only its approved courses are."""
    existing = Provider.objects.filter(name__iexact=approval_request.provider_name).first()
    if existing is not None:
        return existing
    return Provider.objects.create(
        name=approval_request.provider_name,
        url=approval_request.provider_url,
        is_approved_async_source=False,
        active=True,
    )


def _course_for_approval(approval_request: CourseApprovalRequest) -> Course:
    provider = _provider_for_approved_course(approval_request)
    course = Course.objects.filter(
        title__iexact=approval_request.course_title, provider=provider
    ).first()
    if course is None:
        return Course.objects.create(
            title=approval_request.course_title,
            provider=provider,
            description=approval_request.description,
            category=approved_async_category(),
            contact_hours=approval_request.length_hours,
            format=Course.Format.ASYNC_EXTERNAL,
            url=approval_request.course_url,
            active=True,
        )
    if course.format != Course.Format.ASYNC_EXTERNAL:
        raise ValidationError(
            f"“{course.title}” from {provider.name} is already in the catalogue as a "
            f"{course.get_format_display()}; it cannot also be an asynchronous course."
        )
    if not course.active:
        course.active = True
        course.save(update_fields=["active"])
    return course


@transaction.atomic
def course_approval_decide(
    *, approval_request: CourseApprovalRequest, approve: bool, note: str, reviewer: User
) -> CourseApprovalRequest:
    """Approve (the course joins the catalogue as an approved asynchronous course, visible to
    everyone) or reject with a note. The person is emailed once the decision is saved."""
    locked = lock_pending_for_decision(approval_request, reviewer=reviewer)
    note = _checked_note(approve=approve, note=note)
    if approve:
        locked.approved_course = _course_for_approval(locked)
    record_decision(
        locked,
        status=_decision_status(approve),
        reviewer=reviewer,
        note=note,
        also_saved=["approved_course"],
    )
    send_course_approval_decision(approval_request_id=locked.pk)
    return locked


def send_course_approval_decision(*, approval_request_id: int) -> None:
    approval_request = CourseApprovalRequest.objects.select_related("user").get(
        pk=approval_request_id
    )
    queue_email(
        key=f"async_course_approval_decided:{approval_request.pk}:"
        f"{approval_request.decided_at.isoformat()}",
        template="async_course_approval_decided",
        to=[approval_request.user.email],
        context={
            "user": approval_request.user,
            "approval_request": approval_request,
            "approved": approval_request.status == AsyncReviewStatus.APPROVED,
            "detail_path": reverse("async_course_approval_detail", args=[approval_request.pk]),
            "report_path": reverse("async_completion_new"),
        },
    )


# --- Proof of completion --------------------------------------------------------------------


def async_registration_refusal(*, registration: Registration) -> str | None:
    """Why an asynchronous course cannot count toward this registration, or None."""
    credential = registration.credential_type
    label = credential.display_label
    accepting = (
        COLLECTING_STATUSES
        if credential.kind == CredentialType.Kind.RENEWAL_CREDITS
        else Registration.OPEN_STATUSES
    )
    counts = credential.accepts_async_courses and credential.kind in (
        CredentialType.Kind.INITIAL_APPLICATION,
        CredentialType.Kind.RENEWAL_CREDITS,
    )
    if not counts:
        return f"Asynchronous courses do not count toward {label}. {ACCEPTING_REGISTRATIONS}"
    if registration.status not in accepting:
        return f"{label} is {registration.get_status_display()}. {ACCEPTING_REGISTRATIONS}"
    return None


def completion_date_refusal(
    *, registration: Registration, completed_on: datetime.date
) -> str | None:
    """Renewal credits count only for courses completed inside the cycle."""
    date_error = activity_date_error(completed_on, what="The completion date")
    if date_error:
        return date_error
    if registration.credential_type.kind != CredentialType.Kind.RENEWAL_CREDITS:
        # Proof toward an initial application is of a course taken before applying, as the
        # part-time courses are (docs/decisions/0009-certification-lifecycle.md).
        return None
    if registration.cycle_start <= completed_on <= registration.cycle_end:
        return None
    label = registration.credential_type.display_label
    cycle = f"{registration.cycle_start:%m/%d/%Y} – {registration.cycle_end:%m/%d/%Y}"
    before_first = before_first_registration_refusal(
        user_id=registration.user_id, day=completed_on, what="The completion date"
    )
    if before_first:
        return f"{before_first} Only courses completed inside your {label} cycle ({cycle}) count."
    return (
        f"The completion date {completed_on:%m/%d/%Y} is outside your {label} cycle ({cycle}). "
        "Only courses completed inside the cycle count toward it."
    )


def _resolve_source(
    *, course: Course | None, provider_name: str, course_title: str
) -> tuple[Provider | None, Course | None, str]:
    """(provider, approved course, course title) for what the person chose or typed."""
    if course is not None:
        if course.format != Course.Format.ASYNC_EXTERNAL or not course.active:
            return None, None, course.title
        return course.provider, course, course.title
    provider = find_approved_provider(name=provider_name)
    if provider is not None:
        return provider, None, course_title.strip()
    approved = find_approved_course(provider_name=provider_name, course_title=course_title)
    if approved is not None:
        return approved.provider, approved, approved.title
    return None, None, course_title.strip()


def _unapproved_source_message(provider_name: str, course_title: str) -> str:
    return (
        f"“{provider_name.strip()}” is not on KDLA's list of approved sources, and “"
        f"{course_title.strip()}” has not been approved. Courses from other sources need KDLA's "
        "prior approval: send the Asynchronous Course Approval Submission Form first."
    )


@transaction.atomic
def async_completion_submit(
    *,
    user: User,
    registration: Registration,
    completed_on: datetime.date,
    hours: Decimal,
    proof: UploadedFile | None,
    course: Course | None = None,
    provider_name: str = "",
    course_title: str = "",
    course_url: str = "",
) -> AsyncCompletion:
    """Report a completed asynchronous course (an approved course, or a course from a source
    on KDLA's list) toward one of the person's registrations. Refused, with nothing stored,
    for any broken rule; an unapproved source carries the approval form's pre-fill."""
    if registration.user_id != user.pk:
        raise ValidationError({"registration": ["Choose one of your own credentials."]})
    errors: dict[str, list[str]] = {}
    registration_refusal = async_registration_refusal(registration=registration)
    if registration_refusal:
        errors["registration"] = [registration_refusal]
    date_refusal = completion_date_refusal(registration=registration, completed_on=completed_on)
    if date_refusal:
        errors["completed_on"] = [date_refusal]
    length_error = async_course_length_error(hours)
    if length_error:
        errors["hours"] = [length_error]
    provider, approved_course, title = _resolve_source(
        course=course, provider_name=provider_name, course_title=course_title
    )
    if provider is None and course is not None:
        errors["course"] = [f"“{course.title}” is not an approved asynchronous course."]
    checked = _check_upload(proof, "proof", errors)
    if provider is None and course is None:
        errors["provider_name"] = [_unapproved_source_message(provider_name, course_title)]
        raise UnapprovedSourceError(
            errors,
            approval_prefill={
                "provider_name": provider_name.strip(),
                "course_title": course_title.strip(),
                "course_url": course_url.strip(),
                "length_hours": hours_text(hours),
            },
        )
    if errors or checked is None:
        raise ValidationError(errors)
    completion = AsyncCompletion(
        user=user,
        registration=registration,
        provider=provider,
        course=approved_course,
        course_title=title,
        completed_on=completed_on,
        hours=hours,
        proof=checked.content,
        proof_name=checked.original_name,
        proof_content_type=checked.content_type,
    )
    completion._history_user = user
    with file_removed_on_failure(completion.proof):
        completion.save()
    return completion


@transaction.atomic
def async_completion_decide(
    *, completion: AsyncCompletion, approve: bool, note: str, reviewer: User
) -> AsyncCompletion:
    """Approve (the hours count toward the registration, like portal course hours) or reject
    with a note; the person is emailed once the decision is saved."""
    locked = lock_pending_for_decision(completion, reviewer=reviewer)
    note = _checked_note(approve=approve, note=note)
    record_decision(locked, status=_decision_status(approve), reviewer=reviewer, note=note)
    registrations_refresh_earned(registration_ids=[locked.registration_id])
    send_async_completion_decision(completion_id=locked.pk)
    return locked


def send_async_completion_decision(*, completion_id: int) -> None:
    completion = AsyncCompletion.objects.select_related(
        "user", "provider", "registration__credential_type"
    ).get(pk=completion_id)
    queue_email(
        key=f"async_completion_decided:{completion.pk}:{completion.decided_at.isoformat()}",
        template="async_completion_decided",
        to=[completion.user.email],
        context={
            "user": completion.user,
            "completion": completion,
            "approved": completion.status == AsyncReviewStatus.APPROVED,
            "credential": completion.registration.credential_type.display_label,
            "detail_path": reverse("async_completion_detail", args=[completion.pk]),
        },
    )
