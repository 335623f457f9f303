"""A library director's staff roster: each staff member's latest cycle of each credential.

Two queries whatever the number of staff (the staff, then their registrations with their
credential types). Earned hours are the stored ``earned_credits`` the dashboard shows, so the
roster and the person's own dashboard never disagree; nothing is summed here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from accounts.models import Library, LibraryRole, User
from certifications.models import Registration
from portal.dashboard import format_hours, latest_cycle_per_credential

EXPIRING_WINDOWS = (90, 180)
NO_REGISTRATION = "NONE"
STATUS_CHOICES = [*Registration.Status.choices, (NO_REGISTRATION, "No registration")]
SORT_KEYS = ("name", "cycle_end", "status", "earned")

CSV_HEADER = [
    "Name",
    "Position",
    "Credential",
    "Level",
    "Cycle Start",
    "Cycle End",
    "Earned Hours",
    "Required Hours",
    "Status",
    "Compliance",
    "Expiring Within 90 Days",
    "Expiring Within 180 Days",
]


@dataclass(frozen=True)
class RosterRow:
    person: User
    registration: Registration | None
    today: datetime.date

    @property
    def status(self) -> str:
        return self.registration.status if self.registration else NO_REGISTRATION

    @property
    def days_to_cycle_end(self) -> int | None:
        """Days left in an open cycle; None when nothing is running out."""
        if self.registration is None or self.registration.status != Registration.Status.ACTIVE:
            return None
        days = (self.registration.cycle_end - self.today).days
        return days if days >= 0 else None

    def expires_within(self, days: int) -> bool:
        left = self.days_to_cycle_end
        return left is not None and left <= days

    @property
    def expiring_90(self) -> bool:
        return self.expires_within(90)

    @property
    def expiring_180(self) -> bool:
        return self.expires_within(180)

    def cells(self) -> list[str]:
        """The row as the page and the CSV both show it."""
        registration = self.registration
        if registration is None:
            return [self.person.full_name, self.person.position, "", "", "", "", "", ""]
        credential = registration.credential_type
        return [
            self.person.full_name,
            self.person.position,
            credential.display_label,
            credential.get_level_display(),
            f"{registration.cycle_start:%m/%d/%Y}",
            f"{registration.cycle_end:%m/%d/%Y}",
            format_hours(registration.earned_credits),
            format_hours(credential.required_credits),
        ]

    def all_cells(self) -> list[str]:
        registration = self.registration
        status = registration.get_status_display() if registration else "No registration"
        compliance = registration.get_compliance_display() if registration else ""
        return [
            *self.cells(),
            status,
            compliance,
            "Yes" if self.expiring_90 else "No",
            "Yes" if self.expiring_180 else "No",
        ]


def get_library_role_for_user(*, user: User, library_pk: int) -> LibraryRole:
    """The person's role at that library, or 404 (another library's staff are not confirmed
    to exist)."""
    role = (
        LibraryRole.objects.filter(user=user, library_id=library_pk)
        .select_related("library")
        .first()
    )
    if role is None:
        raise Http404("No such library.")
    return role


def first_library_role(*, user: User) -> LibraryRole | None:
    return (
        LibraryRole.objects.filter(user=user)
        .select_related("library")
        .order_by("library__name")
        .first()
    )


def _staff_with_registrations(library: Library) -> list[User]:
    registrations = Registration.objects.select_related("credential_type").order_by(
        "-cycle_start", "-id"
    )
    return list(
        User.objects.filter(library=library, is_active=True)
        .only("id", "first_name", "last_name", "position", "library_id")
        .prefetch_related(Prefetch("registrations", queryset=registrations, to_attr="cycles"))
        .order_by("last_name", "first_name", "id")
    )


def _sort_key(sort: str):
    if sort == "cycle_end":
        return lambda row: (
            row.registration is None,
            row.registration and row.registration.cycle_end,
        )
    if sort == "status":
        return lambda row: row.status
    if sort == "earned":
        return lambda row: row.registration.earned_credits if row.registration else Decimal("-1")
    return lambda row: (row.person.last_name.lower(), row.person.first_name.lower())


def build_roster(
    *, library: Library, status: str = "", expiring: int | None = None, sort: str = "name"
) -> list[RosterRow]:
    """The rows the page and the CSV show, filtered and sorted the same way."""
    today = timezone.localdate()
    rows = []
    for person in _staff_with_registrations(library):
        cycles = latest_cycle_per_credential(person.cycles)
        rows.extend(RosterRow(person, cycle, today) for cycle in cycles)
        if not cycles:
            rows.append(RosterRow(person, None, today))
    if status:
        rows = [row for row in rows if row.status == status]
    if expiring is not None:
        rows = [row for row in rows if row.expires_within(expiring)]
    # Python's sort is stable, so rows stay in name order within a sorted column.
    return sorted(rows, key=_sort_key(sort if sort in SORT_KEYS else "name"))


def roster_csv_rows(rows: list[RosterRow]) -> list[list[str]]:
    return [CSV_HEADER, *[[_safe_cell(cell) for cell in row.all_cells()] for row in rows]]


def _safe_cell(value: str) -> str:
    """Spreadsheets run cells starting with these characters as formulas; quote them."""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
