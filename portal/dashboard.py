"""What a staff member's dashboard shows: the CREDENTIALS box, the REQUEST CREDITS box, their
courses and one plain-language next step per credential.

Everything is read in a fixed number of queries whatever the person's history; the rows are
then arranged in Python.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from accounts.models import PART_TIME_HOURS_LIMIT, User
from certifications.lifecycle import renewal_opens_on
from certifications.models import (
    CredentialType,
    DeadlineExtension,
    DocumentType,
    ExternalFile,
    Registration,
)
from certifications.selectors import current_credential_types
from courses.models import Enrollment
from courses.selectors import CourseProgress, courses_in_progress
from credits.models import CreditRequest

# A file waiting for review or approved fills its slot; a rejected one must be replaced.
FILLING_FILE_STATUSES = (ExternalFile.Status.PENDING, ExternalFile.Status.APPROVED)
AWAITING_REVIEW = "Awaiting KDLA review"


def format_hours(hours: Decimal) -> str:
    """15.0 → "15", 12.5 → "12.5"."""
    return f"{hours.normalize():f}"


def format_day(day: datetime.date) -> str:
    return f"{day:%m/%d/%Y}"


def days_left_text(days: int) -> str:
    if days == 0:
        return "last day today"
    return f"{days} day{'s' if days != 1 else ''} left"


@dataclass(frozen=True)
class NextStep:
    credential_name: str
    text: str


@dataclass
class CredentialRow:
    """One line of the CREDENTIALS box: the latest cycle of one credential."""

    registration: Registration
    earlier_cycles: list[Registration] = field(default_factory=list)
    missing_documents: list[DocumentType] = field(default_factory=list)
    upload_days_left: int | None = None
    next_step: str = ""

    @property
    def credential_type(self) -> CredentialType:
        return self.registration.credential_type

    @property
    def counts_credits(self) -> bool:
        return self.credential_type.kind == CredentialType.Kind.RENEWAL_CREDITS

    @property
    def progress_percent(self) -> int:
        required = self.credential_type.required_credits
        if not required:
            return 100
        return min(100, int(self.registration.earned_credits * 100 / required))

    @property
    def extension_text(self) -> str:
        """The latest extension KDLA granted this registration, in the person's words."""
        deadline = getattr(self.registration, "extension_deadline", None)
        if not deadline:
            return ""
        what = DeadlineExtension.Deadline(deadline).label
        new_date = format_day(self.registration.extension_new_date)
        return f"{what} extended by KDLA to {new_date}: {self.registration.extension_reason}"

    @property
    def upload_missing(self) -> bool:
        return bool(self.missing_documents) and self.upload_days_left is not None

    @property
    def upload_days_left_text(self) -> str:
        if self.upload_days_left is None:
            return ""
        return days_left_text(self.upload_days_left)


@dataclass
class Dashboard:
    credential_rows: list[CredentialRow]
    credit_requests: list[CreditRequest]
    courses_in_progress: list[CourseProgress]  # registered, not completed yet
    completed_enrollments: list[Enrollment]
    next_steps: list[NextStep]


def _user_registrations(user: User) -> list[Registration]:
    filling_files = ExternalFile.objects.filter(status__in=FILLING_FILE_STATUSES).only(
        "id", "registration_id", "document_type_id", "status"
    )
    latest_extension = DeadlineExtension.objects.filter(registration=OuterRef("pk")).order_by(
        "-granted_at", "-pk"
    )
    return list(
        Registration.objects.filter(user=user)
        .annotate(
            # Subqueries of the same query: the page's query count does not change.
            extension_deadline=Subquery(latest_extension.values("deadline")[:1]),
            extension_new_date=Subquery(latest_extension.values("new_date")[:1]),
            extension_reason=Subquery(latest_extension.values("reason")[:1]),
        )
        .select_related("credential_type", "credential_type__leads_to")
        .prefetch_related(
            "credential_type__required_document_types",
            Prefetch("external_files", queryset=filling_files, to_attr="filling_files"),
        )
        .order_by("-cycle_start", "-id")
    )


def latest_cycle_per_credential(registrations: Iterable[Registration]) -> list[Registration]:
    """The newest cycle of each credential (registrations arrive newest first)."""
    latest: dict[str, Registration] = {}
    for registration in registrations:
        latest.setdefault(registration.credential_code, registration)
    return list(latest.values())


def _current_applications() -> list[CredentialType]:
    return list(
        current_credential_types(on=timezone.localdate())
        .filter(
            kind__in=[
                CredentialType.Kind.INITIAL_APPLICATION,
                CredentialType.Kind.RENEWAL_APPLICATION,
            ]
        )
        .select_related("requires_completed", "leads_to")
        .prefetch_related("prerequisite_courses")
        .order_by("name")
    )


def _missing_documents(registration: Registration) -> list[DocumentType]:
    filled = {upload.document_type_id for upload in registration.filling_files}
    return [
        document
        for document in registration.credential_type.required_document_types.all()
        if document.pk not in filled
    ]


def _upload_days_left(registration: Registration, today: datetime.date) -> int | None:
    """Days left to upload while the window is open, else None."""
    due = registration.upload_due_on
    if registration.status != Registration.Status.ACTIVE or due is None or due < today:
        return None
    return (due - today).days


def _application_step(row: CredentialRow, today: datetime.date) -> str:
    registration = row.registration
    status = registration.status
    if status == Registration.Status.ACTIVE and row.missing_documents:
        names = " and the ".join(document.name for document in row.missing_documents)
        due = registration.upload_due_on
        if row.upload_days_left is not None:
            return f"Upload the {names} by {format_day(due)} ({row.upload_days_left_text})"
        if due is not None:
            return f"The time to upload the {names} ended on {format_day(due)}."
    if status in Registration.OPEN_STATUSES:
        return AWAITING_REVIEW
    if status == Registration.Status.COMPLETED:
        leads_to = row.credential_type.leads_to
        if leads_to is not None:
            return f"Approved — your contact hours now count toward {leads_to.display_label}"
        return "Approved by KDLA"
    ended = registration.lapsed_on or registration.cycle_end
    return f"This application lapsed on {format_day(ended)}; you can register for it again."


def _renewal_credits_step(
    row: CredentialRow,
    unlocks: list[CredentialType],
    open_codes: set[str],
    *,
    initial_applications: list[CredentialType],
    today: datetime.date,
) -> str:
    registration = row.registration
    required = row.credential_type.required_credits
    if registration.status == Registration.Status.ACTIVE:
        remaining = max(required - registration.earned_credits, Decimal("0"))
        return (
            f"{format_hours(remaining)} more contact hours by {format_day(registration.cycle_end)}"
        )
    if registration.status == Registration.Status.COMPLETED:
        available = [unlocked.name for unlocked in unlocks if unlocked.code not in open_codes]
        opens_on = renewal_opens_on(registration)
        if available and opens_on is not None and today < opens_on:
            return f"Completed — {' or '.join(available)} opens on {format_day(opens_on)}"
        if available:
            return f"Completed — you can now register for {' or '.join(available)}"
        return "Completed"
    ended = (
        f"This cycle ended on {format_day(registration.cycle_end)} with "
        f"{format_hours(registration.earned_credits)} of {format_hours(required)} contact hours."
    )
    if initial_applications:
        names = " or ".join(initial.name for initial in initial_applications)
        return f"{ended} To be certified again, register for {names}."
    return ended


def _is_relevant_initial_application(
    credential: CredentialType, user: User, enrolled_course_ids: set[int], held_codes: set[str]
) -> bool:
    """An initial application the person is working toward but has not registered for: they
    took one of its courses, or it is the part-time one and they work part-time hours."""
    if credential.kind != CredentialType.Kind.INITIAL_APPLICATION:
        return False
    if credential.code in held_codes:
        return False
    if credential.leads_to is not None and credential.leads_to.code in held_codes:
        return False
    prerequisites = credential.prerequisite_courses.all()
    if not prerequisites:
        return False
    if any(course.pk in enrolled_course_ids for course in prerequisites):
        return True
    works_part_time = (
        user.hours_per_month is not None and user.hours_per_month < PART_TIME_HOURS_LIMIT
    )
    return works_part_time and credential.level == CredentialType.Level.PART_TIME


def _initial_application_step(credential: CredentialType, completed_course_ids: set[int]) -> str:
    missing = [
        course.title
        for course in sorted(credential.prerequisite_courses.all(), key=lambda course: course.pk)
        if course.pk not in completed_course_ids
    ]
    if not missing:
        return f"All courses are complete — you can now register for {credential.name}"
    courses = "course" if len(missing) == 1 else "courses"
    return f"Complete {len(missing)} more {courses} to apply: {', '.join(missing)}"


def build_dashboard(*, user: User) -> Dashboard:
    today = timezone.localdate()
    registrations = _user_registrations(user)
    applications = _current_applications()
    enrollments = list(
        Enrollment.objects.filter(user=user).select_related("course").order_by("course__title")
    )
    credit_requests = list(
        CreditRequest.objects.filter(user=user)
        .select_related("registration__credential_type")
        .order_by("-submitted_at", "-id")
    )

    held_codes = {registration.credential_code for registration in registrations}
    open_codes = {
        registration.credential_code
        for registration in registrations
        if registration.status in Registration.OPEN_STATUSES
    }
    completed_course_ids = {
        enrollment.course_id
        for enrollment in enrollments
        if enrollment.status == Enrollment.Status.COMPLETED
    }
    enrolled_course_ids = {enrollment.course_id for enrollment in enrollments}

    rows = []
    next_steps = []
    for credential in applications:
        if _is_relevant_initial_application(credential, user, enrolled_course_ids, held_codes):
            next_steps.append(
                NextStep(
                    credential.name, _initial_application_step(credential, completed_course_ids)
                )
            )
    for registration in latest_cycle_per_credential(registrations):
        row = CredentialRow(
            registration=registration,
            earlier_cycles=[
                earlier
                for earlier in registrations
                if earlier.credential_code == registration.credential_code
                and earlier.pk != registration.pk
            ],
        )
        row.missing_documents = _missing_documents(registration)
        row.upload_days_left = _upload_days_left(registration, today)
        if row.counts_credits:
            unlocks = [
                credential
                for credential in applications
                if credential.requires_completed is not None
                and credential.requires_completed.code == registration.credential_code
            ]
            initial_applications = [
                credential
                for credential in applications
                if credential.kind == CredentialType.Kind.INITIAL_APPLICATION
                and credential.leads_to is not None
                and credential.leads_to.code == registration.credential_code
            ]
            row.next_step = _renewal_credits_step(
                row,
                unlocks,
                open_codes,
                initial_applications=initial_applications,
                today=today,
            )
        else:
            row.next_step = _application_step(row, today)
        rows.append(row)
        next_steps.append(NextStep(row.credential_type.display_label, row.next_step))

    return Dashboard(
        credential_rows=rows,
        credit_requests=credit_requests,
        courses_in_progress=courses_in_progress(user=user),
        completed_enrollments=[e for e in enrollments if e.status == Enrollment.Status.COMPLETED],
        next_steps=next_steps,
    )
