"""Two staff members for the page benchmark: one with a long history, one with almost none.

The long history is what a staff member collects over a renewal cycle and more: completed
courses (the four part-time courses among them), decided and pending credit requests in the
current renewal-credits cycle, and an initial application with a rejected and a pending file.
Everything goes through the portal's services or is stored as a reviewer's decision leaves it
(the same steps as the test suite's KDLA histories), so the pages show real data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from accounts.models import Library, User
from certificates.models import Certificate
from certifications.kdla_rules import load_kdla_rules
from certifications.models import ExternalFile, Registration
from certifications.services.registrations import credential_register
from courses.kdla_catalogue import PART_TIME_REQUIRED_COURSES
from courses.models import Category, Course
from tests.certifications.kdla_history import (
    INITIAL,
    complete_course,
    decided_credit_request,
    kdla_credential,
    open_renewal_cycle,
    uploaded_file,
)

PAGE_DATA_EMAIL_DOMAIN = "pages.bench.example.org"
LARGE_HISTORY_EMAIL = f"long-history@{PAGE_DATA_EMAIL_DOMAIN}"
SMALL_HISTORY_EMAIL = f"new-staff@{PAGE_DATA_EMAIL_DOMAIN}"
# Only ever used against a throwaway or benchmark database.
PAGE_DATA_PASSWORD = "bench-pages-password-2026"
EXTRA_COURSE_CATEGORY = "library-services"
# The public verification page is measured on this certificate of the long history.
BENCH_CERTIFICATE_CODE = "BENCHVERIFYPAGEA"


@dataclass(frozen=True)
class PageAccounts:
    large_history: User
    small_history: User
    password: str = PAGE_DATA_PASSWORD


def page_accounts() -> PageAccounts | None:
    """The benchmark's two staff members, when the database already has them."""
    people = {
        user.email: user for user in User.objects.filter(email__endswith=PAGE_DATA_EMAIL_DOMAIN)
    }
    if LARGE_HISTORY_EMAIL in people and SMALL_HISTORY_EMAIL in people:
        return PageAccounts(people[LARGE_HISTORY_EMAIL], people[SMALL_HISTORY_EMAIL])
    return None


def seed_page_accounts(*, today: datetime.date, history_size: int = 50) -> PageAccounts:
    """Create both staff members (idempotent: existing ones are returned as they are).

    ``history_size`` completed courses and as many credit requests for the long history
    (at least the four part-time courses, which the application needs).
    """
    existing = page_accounts()
    if existing is not None:
        return existing
    history_size = max(history_size, len(PART_TIME_REQUIRED_COURSES))
    with transaction.atomic():
        load_kdla_rules()
        library, _ = Library.objects.get_or_create(
            name="Benchmark County Public Library", defaults={"county": "Benchmark"}
        )
        large = _staff_member(LARGE_HISTORY_EMAIL, "Morgan", library)
        small = _staff_member(SMALL_HISTORY_EMAIL, "Riley", library)
        _long_history(large, today=today, size=history_size)
        complete_course(small, Course.objects.get(title=PART_TIME_REQUIRED_COURSES[0]), today)
    return PageAccounts(large, small)


def _staff_member(email: str, first_name: str, library: Library) -> User:
    return User.objects.create_user(
        email,
        PAGE_DATA_PASSWORD,
        first_name=first_name,
        last_name="Benchmark",
        library=library,
        position="Library Assistant",
        hours_per_month=60,
    )


def _long_history(user: User, *, today: datetime.date, size: int) -> None:
    cycle = open_renewal_cycle(user, cycle_start=today - datetime.timedelta(days=2 * 365))
    _certificate(user, cycle=cycle)
    courses = list(Course.objects.filter(title__in=PART_TIME_REQUIRED_COURSES))
    courses += list(
        Course.objects.filter(format=Course.Format.PORTAL)
        .exclude(title__in=PART_TIME_REQUIRED_COURSES)
        .order_by("pk")[: size - len(courses)]
    )
    category = Category.objects.get(slug=EXTRA_COURSE_CATEGORY)
    courses += [
        Course.objects.create(
            title=f"Continuing Education {number}: Serving Our Community",
            description="A continuing-education course for library staff.",
            category=category,
            contact_hours=Decimal("1.5"),
        )
        for number in range(1, size - len(courses) + 1)
    ]
    for number, course in enumerate(courses):
        complete_course(user, course, today - datetime.timedelta(days=size - number))
    for number in range(size):
        decided_credit_request(
            cycle,
            activity_date=today - datetime.timedelta(days=400 - number),
            requested="2",
            approved=[None, "2", "1.5", "0"][number % 4],
            reviewer_note="" if number % 4 == 0 else "Reviewed by KDLA",
            course=f"Regional workshop {number + 1}",
        )
    application = credential_register(user=user, credential_type=kdla_credential(INITIAL))
    uploaded_file(application, status=ExternalFile.Status.REJECTED)
    uploaded_file(application)


def _certificate(user: User, *, cycle: Registration) -> Certificate:
    """The certificate the grant that opened ``cycle`` left, under a code the benchmark knows
    (an approved application of its own stands for the grant)."""
    grant = Registration.objects.create(
        user=user,
        credential_type=kdla_credential(INITIAL),
        credential_code=kdla_credential(INITIAL).code,
        status=Registration.Status.COMPLETED,
        compliance=Registration.Compliance.COMPLIANT,
        cycle_start=cycle.cycle_start - datetime.timedelta(days=30),
        cycle_end=cycle.cycle_start,
    )
    return Certificate.objects.create(
        user=user,
        grant=grant,
        cycle=cycle,
        credential_code=cycle.credential_code,
        holder_name=user.full_name,
        level=grant.credential_type.level,
        credential_name=cycle.credential_type.display_label,
        issued_on=cycle.cycle_start,
        valid_until=cycle.cycle_end,
        code=BENCH_CERTIFICATE_CODE,
        issued_by=user,
    )
