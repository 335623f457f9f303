"""A person's transcript: completed courses, approved credits and approved asynchronous
courses for each credential cycle.

Four queries whatever the history. Each cycle's total comes from the one definition of earned
credits (certifications/services/earned.py, annotated on the registrations query), so the
transcript and the dashboard can never disagree; the rows listed under it are matched to the cycle
by date the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from accounts.models import User
from certifications.models import CredentialType, Registration
from certifications.services.earned import (
    COUNTED_COURSE_FORMATS,
    qualified_an_initial_application,
    with_computed_earned,
)
from courses.models import AsyncCompletion, Enrollment
from credits.hours import APPROVED_STATUSES
from credits.models import CreditRequest


@dataclass
class CycleTranscript:
    registration: Registration
    courses: list[Enrollment]
    credits: list[CreditRequest]
    async_completions: list[AsyncCompletion]

    @property
    def course_hours(self) -> Decimal:
        return sum((e.course.contact_hours for e in self.courses), Decimal("0"))

    @property
    def approved_credits(self) -> Decimal:
        return sum((c.approved_credits for c in self.credits), Decimal("0"))

    @property
    def total(self) -> Decimal:
        return self.registration.computed_earned

    @property
    def async_hours(self) -> Decimal:
        """Approved asynchronous hours as counted (the credential's limit applied)."""
        return self.total - self.course_hours - self.approved_credits


@dataclass
class ApplicationTranscript:
    """An initial or renewal application, with the approved asynchronous courses reported
    toward it: KDLA's guidelines ask for their proof with an initial application, so they
    count toward that application (never toward renewal)."""

    registration: Registration
    async_completions: list[AsyncCompletion]

    @property
    def async_hours(self) -> Decimal:
        return sum((a.hours for a in self.async_completions), Decimal("0"))


@dataclass
class Transcript:
    user: User
    completed_courses: list[Enrollment]
    applications: list[ApplicationTranscript]
    cycles: list[CycleTranscript]

    @property
    def total_course_hours(self) -> Decimal:
        return sum((e.course.contact_hours for e in self.completed_courses), Decimal("0"))


def build_transcript(*, user: User) -> Transcript:
    registrations = list(
        with_computed_earned(Registration.objects.filter(user=user))
        .select_related("credential_type")
        .order_by("-cycle_start", "-id")
    )
    completed_courses = list(
        Enrollment.objects.filter(user=user, status=Enrollment.Status.COMPLETED)
        .select_related("course")
        .annotate(qualified_an_initial_application=qualified_an_initial_application())
        .order_by("completed_on", "course__title")
    )
    approved = list(
        CreditRequest.objects.filter(user=user, status__in=APPROVED_STATUSES).order_by(
            "activity_date", "id"
        )
    )
    async_completions = list(
        AsyncCompletion.objects.filter(user=user, status=AsyncCompletion.Status.APPROVED).order_by(
            "completed_on", "id"
        )
    )
    courses_by_cycle = _courses_by_cycle(registrations, completed_courses)
    cycles = []
    applications = []
    for registration in registrations:
        if registration.credential_type.kind != CredentialType.Kind.RENEWAL_CREDITS:
            applications.append(
                ApplicationTranscript(
                    registration=registration,
                    async_completions=[
                        a for a in async_completions if a.registration_id == registration.pk
                    ],
                )
            )
            continue
        start, end = registration.cycle_start, registration.cycle_end
        cycles.append(
            CycleTranscript(
                registration=registration,
                courses=courses_by_cycle.get(registration.pk, []),
                credits=[
                    c
                    for c in approved
                    if c.registration_id == registration.pk and start <= c.activity_date <= end
                ],
                async_completions=[
                    a
                    for a in async_completions
                    if a.registration_id == registration.pk and start <= a.completed_on <= end
                ],
            )
        )
    return Transcript(
        user=user, completed_courses=completed_courses, applications=applications, cycles=cycles
    )


def _courses_by_cycle(
    registrations: list[Registration], completed_courses: list[Enrollment]
) -> dict[int, list[Enrollment]]:
    """The same rule as the earned totals (certifications/services/earned.py): a course counts
    toward the first-registered renewal-credits cycle containing its date, unless it qualified
    the person for an initial application."""
    renewal_cycles = sorted(
        (
            registration
            for registration in registrations
            if registration.credential_type.kind == CredentialType.Kind.RENEWAL_CREDITS
        ),
        key=lambda registration: registration.pk,
    )
    by_cycle: dict[int, list[Enrollment]] = {}
    for enrollment in completed_courses:
        if enrollment.course.format not in COUNTED_COURSE_FORMATS:
            continue
        if enrollment.qualified_an_initial_application:
            continue
        for cycle in renewal_cycles:
            if cycle.cycle_start <= enrollment.completed_on <= cycle.cycle_end:
                by_cycle.setdefault(cycle.pk, []).append(enrollment)
                break
    return by_cycle


CSV_HEADER = [
    "Credential",
    "Cycle Start",
    "Cycle End",
    "Kind",
    "Date",
    "Course",
    "Contact Hours",
    "Notes",
]


def _safe_cell(value: str) -> str:
    """Spreadsheets run cells starting with these characters as formulas; quote them."""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def manual_completion_note(enrollment: Enrollment) -> str:
    if not enrollment.completed_by_hand:
        return ""
    return f"Recorded by hand by KDLA: {enrollment.completion_reason}"


def transcript_csv_rows(transcript: Transcript) -> list[list[str]]:
    rows: list[list[str]] = [CSV_HEADER]
    for cycle in transcript.cycles:
        label = cycle.registration.credential_type.display_label
        start = f"{cycle.registration.cycle_start:%m/%d/%Y}"
        end = f"{cycle.registration.cycle_end:%m/%d/%Y}"
        for enrollment in cycle.courses:
            rows.append(
                [
                    label,
                    start,
                    end,
                    "Course",
                    f"{enrollment.completed_on:%m/%d/%Y}",
                    enrollment.course.title,
                    f"{enrollment.course.contact_hours.normalize():f}",
                    manual_completion_note(enrollment),
                ]
            )
        for credit in cycle.credits:
            rows.append(
                [
                    label,
                    start,
                    end,
                    "Approved credit",
                    f"{credit.activity_date:%m/%d/%Y}",
                    credit.course,
                    f"{credit.approved_credits.normalize():f}",
                    credit.reviewer_note,
                ]
            )
        for completion in cycle.async_completions:
            rows.append(
                [
                    label,
                    start,
                    end,
                    "Asynchronous course",
                    f"{completion.completed_on:%m/%d/%Y}",
                    completion.course_title,
                    f"{completion.hours.normalize():f}",
                    completion.reviewer_note,
                ]
            )
        rows.append([label, start, end, "Total", "", "", f"{cycle.total.normalize():f}", ""])
    for application in transcript.applications:
        registration = application.registration
        for completion in application.async_completions:
            rows.append(
                [
                    registration.credential_type.display_label,
                    f"{registration.cycle_start:%m/%d/%Y}",
                    f"{registration.cycle_end:%m/%d/%Y}",
                    "Asynchronous course",
                    f"{completion.completed_on:%m/%d/%Y}",
                    completion.course_title,
                    f"{completion.hours.normalize():f}",
                    completion.reviewer_note,
                ]
            )
    for enrollment in transcript.completed_courses:
        rows.append(
            [
                "",
                "",
                "",
                "Completed course",
                f"{enrollment.completed_on:%m/%d/%Y}",
                enrollment.course.title,
                f"{enrollment.course.contact_hours.normalize():f}",
                manual_completion_note(enrollment),
            ]
        )
    return [[_safe_cell(cell) for cell in row] for row in rows]
