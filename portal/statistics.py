"""The agency's statewide statistics: every figure is one set-based aggregate query.

Each table is built by one function that returns a ``StatisticsTable`` (title, header, rows of
cells); the page, its charts, the CSV and the XLSX exports all read the same table, so they
never disagree. No function loops over people or registrations in Python: the loops below run
over the handful of rows an aggregate returned (levels, counties, years, months).

Definitions (docs/decisions/0007-agency-statistics.md):
- *certified*: holds a renewal-credits cycle that is ACTIVE or COMPLETED and has not ended;
- *hours met*: that cycle is COMPLIANT (its required contact hours are earned);
- counts of people from 1 to 4 are shown as "fewer than 5" (they could identify someone).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import timezone

from accounts.models import County, Library, LibraryRole, User
from certifications.models import CredentialType, ExternalFile, Registration
from courses.models import (
    AsyncCompletion,
    AsyncReviewStatus,
    Course,
    CourseApprovalRequest,
    Enrollment,
)
from credits.models import CreditRequest
from review.overview import SECONDS_PER_DAY, MedianDuration, median_by_sorting

SMALL_COUNT_LIMIT = 5
SUPPRESSED = "fewer than 5"
NOT_SHOWN = "not shown"
MOST_TAKEN_COURSES = 10
DECISION_MONTHS = 12
QUEUE_AGE_BANDS = ((0, 7), (8, 14), (15, 30), (31, None))

Cell = str | int | Decimal | float | None


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: ``value`` is None when the count is suppressed (no bar drawn)."""

    label: str
    value: float | None
    shown: str


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    unit: str
    bars: list[Bar]
    maximum: float = 100.0


@dataclass(frozen=True)
class StatisticsTable:
    slug: str
    title: str
    header: list[str]
    rows: list[list[Cell]]
    note: str = ""
    chart: Chart | None = None
    row_headers: bool = True

    @property
    def display_rows(self) -> list[list[str]]:
        return [[display_cell(cell) for cell in row] for row in self.rows]

    @property
    def labelled_rows(self) -> list[list[tuple[str, str]]]:
        """Each cell with its column's heading (shown beside the cell on a phone)."""
        return [list(zip(self.header, row, strict=True)) for row in self.display_rows]


@dataclass(frozen=True)
class Quarter:
    first_day: datetime.date
    last_day: datetime.date

    @property
    def label(self) -> str:
        return f"{self.first_day:%m/%d/%Y}–{self.last_day:%m/%d/%Y}"


@dataclass
class StatewideStatistics:
    today: datetime.date
    quarter: Quarter
    tables: list[StatisticsTable] = field(default_factory=list)

    def table(self, slug: str) -> StatisticsTable:
        return next(table for table in self.tables if table.slug == slug)


# --- Small numbers ------------------------------------------------------------------------


def people_count(count: int) -> int | str:
    """A count of people as it may be published: 1 to 4 become "fewer than 5"."""
    if 0 < count < SMALL_COUNT_LIMIT:
        return SUPPRESSED
    return count


def share(part: int, whole: int, *, rest: int | None = None) -> Decimal | str:
    """``part`` as a percentage of ``whole``, shown only when neither ``part`` nor the rest of
    ``whole`` is a small number (either could be worked out from the percentage)."""
    rest = whole - part if rest is None else rest
    if whole == 0:
        return NOT_SHOWN
    if any(0 < count < SMALL_COUNT_LIMIT for count in (part, rest)):
        return NOT_SHOWN
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


def display_cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return f"{cell.normalize():f}" if cell == cell.to_integral() else f"{cell:f}"
    if isinstance(cell, float):
        return f"{cell:.1f}"
    if isinstance(cell, int):
        return f"{cell:,}"
    return cell


def _bar(label: str, cell: Cell) -> Bar:
    value = float(cell) if isinstance(cell, int | float | Decimal) else None
    return Bar(label=label, value=value, shown=display_cell(cell))


# --- Periods ------------------------------------------------------------------------------


def quarter_of(day: datetime.date) -> Quarter:
    first_month = 3 * ((day.month - 1) // 3) + 1
    first = day.replace(month=first_month, day=1)
    next_first = (
        first.replace(year=first.year + 1, month=1)
        if first_month == 10
        else first.replace(month=first_month + 3)
    )
    return Quarter(first, next_first - datetime.timedelta(days=1))


def current_cycle_q(today: datetime.date, prefix: str = "") -> Q:
    """Registrations that make a person certified today (see the module's definitions)."""
    return Q(
        **{
            f"{prefix}credential_type__kind": CredentialType.Kind.RENEWAL_CREDITS,
            f"{prefix}status__in": [Registration.Status.ACTIVE, Registration.Status.COMPLETED],
            f"{prefix}cycle_end__gte": today,
        }
    )


def _current_cycles(today: datetime.date) -> QuerySet:
    return Registration.objects.filter(current_cycle_q(today))


def _active_staff() -> QuerySet:
    return User.objects.filter(is_active=True, library__isnull=False)


def _status_counts(today: datetime.date) -> dict[str, Count]:
    """Per group of people: how many, how many certified, how many with hours met (each an
    EXISTS semi-join on the person's current cycles, so a person counts once)."""
    mine = _current_cycles(today).filter(user=OuterRef("pk"))
    return {
        "staff": Count("pk"),
        "certified": Count("pk", filter=Exists(mine)),
        "hours_met": Count(
            "pk", filter=Exists(mine.filter(compliance=Registration.Compliance.COMPLIANT))
        ),
    }


# --- Tables -------------------------------------------------------------------------------


def certified_by_level(today: datetime.date) -> StatisticsTable:
    levels = dict(
        _current_cycles(today)
        .values_list("credential_type__level")
        .annotate(people=Count("user", distinct=True))
        .values_list("credential_type__level", "people")
    )
    total = _current_cycles(today).aggregate(people=Count("user", distinct=True))["people"]
    rows: list[list[Cell]] = [
        [label, people_count(levels.get(level, 0))] for level, label in CredentialType.Level.choices
    ]
    rows.append(["All levels", people_count(total)])
    return StatisticsTable(
        slug="certified-by-level",
        title="Certified staff by level",
        header=["Level", "Certified staff"],
        rows=rows,
        note="A person certified at two levels counts once in “All levels”.",
        chart=Chart(
            title="Certified staff by level",
            description="Bars: certified staff at each level. The table holds the figures.",
            unit="people",
            bars=[_bar(row[0], row[1]) for row in rows[:-1]],
            maximum=max([float(v) for v in levels.values()] or [1.0]),
        ),
    )


def _compliance_rows(grouped: dict[str, dict[str, int]], names: Sequence[str]) -> list[list]:
    rows = []
    for name in names:
        counts = grouped.get(name, {"staff": 0, "certified": 0, "hours_met": 0})
        rows.append(
            [
                name,
                people_count(counts["staff"]),
                people_count(counts["certified"]),
                people_count(counts["hours_met"]),
                share(counts["hours_met"], counts["certified"]),
            ]
        )
    return rows


COMPLIANCE_HEADER_TAIL = ["Staff", "Certified", "Hours met", "Certified with hours met (%)"]


def _compliance_chart(title: str, rows: list[list[Cell]]) -> Chart:
    return Chart(
        title=title,
        description=(
            "Bars: the percentage of certified staff whose contact hours are met; no bar where "
            "the percentage is not shown. The table holds the figures."
        ),
        unit="%",
        bars=[_bar(str(row[0]), row[4]) for row in rows],
    )


def compliance_by_library(today: datetime.date) -> StatisticsTable:
    grouped = {
        row["library__name"]: row
        for row in _active_staff()
        .values("library__name")
        .annotate(**_status_counts(today))
        .order_by()
    }
    names = list(Library.objects.order_by("name").values_list("name", flat=True))
    rows = _compliance_rows(grouped, names)
    return StatisticsTable(
        slug="compliance-by-library",
        title="Compliance by library system",
        header=["Library system", *COMPLIANCE_HEADER_TAIL],
        rows=rows,
        chart=_compliance_chart("Certified staff with hours met, by library system", rows),
    )


def compliance_by_county(today: datetime.date) -> StatisticsTable:
    grouped = {
        row["library__county"]: row
        for row in _active_staff()
        .values("library__county")
        .annotate(**_status_counts(today))
        .order_by()
    }
    counties = list(County.objects.values_list("name", flat=True))
    # A library whose county is not one of the 120 still shows, after them.
    others = sorted(set(grouped) - set(counties))
    rows = _compliance_rows(grouped, [*counties, *others])
    return StatisticsTable(
        slug="compliance-by-county",
        title="Compliance by county",
        header=["County", *COMPLIANCE_HEADER_TAIL],
        rows=rows,
        chart=_compliance_chart("Certified staff with hours met, by county", rows),
    )


def expiring_and_lapsed(today: datetime.date, quarter: Quarter) -> StatisticsTable:
    ending = Q(
        status=Registration.Status.ACTIVE,
        credential_type__kind=CredentialType.Kind.RENEWAL_CREDITS,
        cycle_end__gte=today,
        cycle_end__lte=quarter.last_day,
    )
    lapsed = Q(
        status=Registration.Status.LAPSED,
        lapsed_on__gte=quarter.first_day,
        lapsed_on__lte=today,
    )
    by_level = {
        row["credential_type__level"]: row
        for row in Registration.objects.filter(ending | lapsed)
        .values("credential_type__level")
        .annotate(ending=Count("pk", filter=ending), lapsed=Count("pk", filter=lapsed))
        .order_by()
    }
    rows: list[list[Cell]] = []
    totals = {"ending": 0, "lapsed": 0}
    for level, label in CredentialType.Level.choices:
        counts = by_level.get(level, {"ending": 0, "lapsed": 0})
        totals = {key: totals[key] + counts[key] for key in totals}
        rows.append([label, people_count(counts["ending"]), people_count(counts["lapsed"])])
    rows.append(["All levels", people_count(totals["ending"]), people_count(totals["lapsed"])])
    return StatisticsTable(
        slug="expiring-and-lapsed",
        title="Expiring and lapsed this quarter",
        header=[
            "Level",
            "Renewal cycles ending by the quarter's end, hours not yet met",
            "Registrations lapsed this quarter",
        ],
        rows=rows,
        note=f"This quarter: {quarter.label}.",
    )


def contact_hours_by_year() -> StatisticsTable:
    portal = _by_year(
        Enrollment.objects.filter(status=Enrollment.Status.COMPLETED),
        "completed_on",
        hours=Sum("course__contact_hours"),
        completions=Count("pk"),
    )
    credits = _by_year(
        CreditRequest.objects.filter(
            status__in=[CreditRequest.Status.APPROVED, CreditRequest.Status.PARTIALLY_APPROVED]
        ),
        "activity_date",
        hours=Sum("approved_credits"),
    )
    asynchronous = _by_year(
        AsyncCompletion.objects.filter(status=AsyncReviewStatus.APPROVED),
        "completed_on",
        hours=Sum("hours"),
    )
    rows: list[list[Cell]] = []
    for year in sorted(set(portal) | set(credits) | set(asynchronous)):
        hours = [
            source.get(year, {}).get("hours") or Decimal("0")
            for source in (portal, credits, asynchronous)
        ]
        rows.append([str(year), *hours, sum(hours, Decimal("0"))])
    return StatisticsTable(
        slug="contact-hours-by-year",
        title="Contact hours delivered per year, by source",
        header=[
            "Year",
            "Portal courses",
            "Credit requests (approved)",
            "Asynchronous providers (approved)",
            "All sources",
        ],
        rows=rows,
        note="Portal courses by completion date, credit requests by activity date, "
        "asynchronous courses by completion date.",
        chart=Chart(
            title="Contact hours delivered per year",
            description="Bars: contact hours from all sources in each year. "
            "The table holds the figures by source.",
            unit="hours",
            bars=[_bar(str(row[0]), row[4]) for row in rows],
            maximum=max([float(row[4]) for row in rows] or [1.0]),
        ),
    )


def _by_year(queryset: QuerySet, date_field: str, **aggregates) -> dict[int, dict]:
    return {
        row["year"]: row
        for row in queryset.annotate(year=ExtractYear(date_field))
        .values("year")
        .annotate(**aggregates)
        .order_by()
    }


def course_completions_by_year() -> StatisticsTable:
    by_year = _by_year(
        Enrollment.objects.filter(status=Enrollment.Status.COMPLETED),
        "completed_on",
        completions=Count("pk"),
        people=Count("user", distinct=True),
    )
    rows: list[list[Cell]] = [
        [
            str(year),
            people_count(by_year[year]["completions"]),
            people_count(by_year[year]["people"]),
        ]
        for year in sorted(by_year)
    ]
    return StatisticsTable(
        slug="course-completions",
        title="Portal course completions per year",
        header=["Year", "Completions", "People who completed a course"],
        rows=rows,
    )


def most_taken_courses() -> StatisticsTable:
    courses = (
        Course.objects.annotate(
            completions=Count("enrollments", filter=Q(enrollments__status="COMPLETED"))
        )
        .filter(completions__gt=0)
        .order_by("-completions", "title")
        .values_list("title", "contact_hours", "completions")[:MOST_TAKEN_COURSES]
    )
    rows: list[list[Cell]] = [
        [title, hours, people_count(completions)] for title, hours, completions in courses
    ]
    return StatisticsTable(
        slug="most-taken-courses",
        title=f"The {MOST_TAKEN_COURSES} most taken courses",
        header=["Course", "Contact hours", "Completions"],
        rows=rows,
        chart=Chart(
            title="Most taken courses",
            description="Bars: completions of each course. The table holds the figures.",
            unit="completions",
            bars=[_bar(str(row[0]), row[2]) for row in rows],
            maximum=max([float(c) for *_, c in courses] or [1.0]),
        ),
    )


# Each review queue: its model, the pending status and the field with the time it came in.
REVIEW_QUEUES: list[tuple[str, type, str]] = [
    ("Files awaiting review", ExternalFile, "submitted_at"),
    ("Credit requests awaiting review", CreditRequest, "submitted_at"),
    ("Course approval requests", CourseApprovalRequest, "submitted_at"),
    ("Asynchronous course completions", AsyncCompletion, "submitted_at"),
]


def _band_label(low: int, high: int | None) -> str:
    return f"{low}–{high} days" if high is not None else f"more than {low - 1} days"


def review_queue_age(now: datetime.datetime) -> StatisticsTable:
    rows: list[list[Cell]] = []
    for title, model, received in REVIEW_QUEUES:
        bands = {}
        for low, high in QUEUE_AGE_BANDS:
            waited = Q(**{f"{received}__lte": now - datetime.timedelta(days=low)})
            if high is not None:
                waited &= Q(**{f"{received}__gt": now - datetime.timedelta(days=high + 1)})
            bands[f"band_{low}"] = Count("pk", filter=waited)
        counts = model.objects.filter(status="PENDING").aggregate(
            waiting=Count("pk"), oldest=Min(received), **bands
        )
        oldest = counts["oldest"]
        rows.append(
            [
                title,
                counts["waiting"],
                *[counts[f"band_{low}"] for low, _ in QUEUE_AGE_BANDS],
                f"{timezone.localdate(oldest):%m/%d/%Y}" if oldest else "None waiting",
            ]
        )
    return StatisticsTable(
        slug="review-queue-age",
        title="Review queues: how long items have waited",
        header=[
            "Queue",
            "Waiting",
            *[_band_label(low, high) for low, high in QUEUE_AGE_BANDS],
            "Oldest received",
        ],
        rows=rows,
    )


def _decisions_by_month(model: type, received: str, since: datetime.datetime) -> dict:
    decided = model.objects.filter(decided_at__gte=since).annotate(
        month=TruncMonth("decided_at"),
        time_to_decision=ExpressionWrapper(F("decided_at") - F(received), DurationField()),
    )
    if connection.vendor == "postgresql":
        return {
            timezone.localdate(row["month"]).replace(day=1): row
            for row in decided.values("month").annotate(
                decisions=Count("pk"), median=MedianDuration("time_to_decision")
            )
        }
    # SQLite (the demo) has no percentile_cont: one sorted read of the middle rows per month.
    months = decided.values("month").annotate(decisions=Count("pk")).order_by()
    return {
        timezone.localdate(row["month"]).replace(day=1): {
            **row,
            "median": median_by_sorting(decided.filter(month=row["month"])),
        }
        for row in months
    }


def _months_back(today: datetime.date, count: int) -> list[datetime.date]:
    months = []
    month = today.replace(day=1)
    for _ in range(count):
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return months[::-1]


def _median_days(row: dict | None) -> Cell:
    if not row or row["median"] is None:
        return ""
    days = Decimal(row["median"].total_seconds()) / SECONDS_PER_DAY
    return days.quantize(Decimal("0.1"))


def decisions_over_time(today: datetime.date) -> StatisticsTable:
    months = _months_back(today, DECISION_MONTHS)
    since = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time()))
    files = _decisions_by_month(ExternalFile, "submitted_at", since)
    credits = _decisions_by_month(CreditRequest, "submitted_at", since)
    rows: list[list[Cell]] = [
        [
            f"{month:%m/%Y}",
            files.get(month, {}).get("decisions", 0),
            _median_days(files.get(month)),
            credits.get(month, {}).get("decisions", 0),
            _median_days(credits.get(month)),
        ]
        for month in months
    ]
    return StatisticsTable(
        slug="decisions-over-time",
        title="Decisions per month and median days to a decision",
        header=[
            "Month",
            "File decisions",
            "Files: median days to a decision",
            "Credit request decisions",
            "Credit requests: median days to a decision",
        ],
        rows=rows,
        note="Days from upload (files) or request (credit requests) to the decision.",
    )


def directors_status(today: datetime.date) -> StatisticsTable:
    directors = User.objects.filter(
        Exists(LibraryRole.objects.filter(user=OuterRef("pk"), role=LibraryRole.Role.DIRECTOR)),
        is_active=True,
    )
    counts = directors.aggregate(**_status_counts(today))
    rows: list[list[Cell]] = [
        ["Directors", people_count(counts["staff"])],
        ["Certified, hours met", people_count(counts["hours_met"])],
        ["Certified, hours not yet met", people_count(counts["certified"] - counts["hours_met"])],
        ["Not certified", people_count(counts["staff"] - counts["certified"])],
    ]
    return StatisticsTable(
        slug="directors-status",
        title="Library directors’ certification status",
        header=["Directors", "People"],
        rows=rows,
    )


# --- The whole page -----------------------------------------------------------------------


@dataclass(frozen=True)
class StatisticsDay:
    """The moment the figures are computed for."""

    today: datetime.date
    quarter: Quarter
    now: datetime.datetime

    @classmethod
    def current(cls) -> StatisticsDay:
        today = timezone.localdate()
        return cls(today=today, quarter=quarter_of(today), now=timezone.now())


TABLE_BUILDERS: dict[str, Callable[[StatisticsDay], StatisticsTable]] = {
    "certified-by-level": lambda day: certified_by_level(day.today),
    "compliance-by-library": lambda day: compliance_by_library(day.today),
    "compliance-by-county": lambda day: compliance_by_county(day.today),
    "expiring-and-lapsed": lambda day: expiring_and_lapsed(day.today, day.quarter),
    "directors-status": lambda day: directors_status(day.today),
    "contact-hours-by-year": lambda day: contact_hours_by_year(),
    "course-completions": lambda day: course_completions_by_year(),
    "most-taken-courses": lambda day: most_taken_courses(),
    "review-queue-age": lambda day: review_queue_age(day.now),
    "decisions-over-time": lambda day: decisions_over_time(day.today),
}


def compute_statewide_statistics() -> StatewideStatistics:
    day = StatisticsDay.current()
    return StatewideStatistics(
        today=day.today,
        quarter=day.quarter,
        tables=[build(day) for build in TABLE_BUILDERS.values()],
    )


# --- Cache --------------------------------------------------------------------------------

CACHE_PREFIX = "statewide-statistics"
# A change nothing keeps history of (a person's library or active flag) shows after this long.
CACHE_SECONDS = 600


def _versioned_tables() -> list[tuple[str, str]]:
    """(table, primary key) whose highest id moves whenever a counted record changes: the
    history tables (every decision and registration goes through a service that writes one)
    and the people and libraries themselves."""
    models = [
        Registration.history.model,
        ExternalFile.history.model,
        CreditRequest.history.model,
        Enrollment.history.model,
        AsyncCompletion.history.model,
        CourseApprovalRequest.history.model,
        Course.history.model,
        LibraryRole.history.model,
        User,
        Library,
        County,
    ]
    return [(model._meta.db_table, model._meta.pk.column) for model in models]


def statistics_version() -> str:
    """One query of index lookups (the highest id of each table): the cache key's version."""
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"(SELECT MAX({quote(pk)}) FROM {quote(table)})" for table, pk in _versioned_tables()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        return "-".join(str(value or 0) for value in cursor.fetchone())


def statewide_statistics() -> StatewideStatistics:
    """The figures, computed once per change of the data (and at most CACHE_SECONDS old for
    changes that keep no history), so every reviewer, export and print reads one snapshot."""
    key = f"{CACHE_PREFIX}:{timezone.localdate():%Y-%m-%d}:{statistics_version()}"
    statistics = cache.get(key)
    if statistics is None:
        statistics = compute_statewide_statistics()
        cache.set(key, statistics, CACHE_SECONDS)
    return statistics


def statistics_table(slug: str) -> StatisticsTable | None:
    """One table of the same snapshot the page shows (for its export), or None."""
    if slug not in TABLE_BUILDERS:
        return None
    return statewide_statistics().table(slug)
