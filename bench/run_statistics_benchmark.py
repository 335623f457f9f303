"""Time the statewide statistics pages on national-scale data against a hand-written floor.

    python -m bench.run_statistics_benchmark [--people 150000] [--registrations 1000000]
                                             [--runs 5]

Uses DATABASE_URL when set (it must be PostgreSQL); otherwise starts a throwaway PostgreSQL
cluster the way the test suite does and removes it afterwards. Seeds ``seed_scale``'s people and
registrations and ``bench/statistics_data.py``'s courses, credit requests and directors when the
database has none. Then, alternating (floor, page, floor, page…) so a busy moment on a shared
machine weighs on both:

- **floor**: the same figures as hand-written SQL aggregates, run one after another on one
  cursor (what the database must do at the least, without Django, templates or charts);
- **page**: a signed-in reviewer's full request of the statewide page (and of the annual report,
  and of the largest table's CSV and XLSX) through Django's test client: middleware, session,
  the ORM queries, the tables, the SVG charts and the template; once right after the cache was
  emptied ("computed", the first request after a change of the data) and once from the cache.

Figures and how to read them: docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench.run_sweep_benchmark import _database_ready, _machine

CURRENT = """ct.kind = 'RENEWAL_CREDITS' AND r.status IN ('ACTIVE', 'COMPLETED')
    AND r.cycle_end >= %(today)s"""
PEOPLE_STATUS = f"""
    SELECT r.user_id, bool_or(r.compliance = 'COMPLIANT') AS met
    FROM certifications_registration r
    JOIN certifications_credentialtype ct ON ct.id = r.credential_type_id
    WHERE {CURRENT} GROUP BY r.user_id"""
STATUS_COLUMNS = "count(*), count(s.user_id), count(*) FILTER (WHERE s.met)"
QUEUE_AGE = """SELECT count(*), min({received}),
    count(*) FILTER (WHERE {received} > %(now)s - interval '8 days'),
    count(*) FILTER (WHERE {received} <= %(now)s - interval '8 days'
                     AND {received} > %(now)s - interval '15 days'),
    count(*) FILTER (WHERE {received} <= %(now)s - interval '15 days'
                     AND {received} > %(now)s - interval '31 days'),
    count(*) FILTER (WHERE {received} <= %(now)s - interval '31 days')
    FROM {table} WHERE status = 'PENDING'"""
MEDIANS = """SELECT date_trunc('month', decided_at AT TIME ZONE 'America/New_York'), count(*),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY decided_at - {received})
    FROM {table} WHERE decided_at >= %(since)s GROUP BY 1"""

FLOOR_QUERIES = [
    f"""SELECT ct.level, count(DISTINCT r.user_id) FROM certifications_registration r
        JOIN certifications_credentialtype ct ON ct.id = r.credential_type_id
        WHERE {CURRENT} GROUP BY ct.level""",
    f"""SELECT count(DISTINCT r.user_id) FROM certifications_registration r
        JOIN certifications_credentialtype ct ON ct.id = r.credential_type_id WHERE {CURRENT}""",
    f"""SELECT u.library_id, {STATUS_COLUMNS} FROM accounts_user u
        LEFT JOIN ({PEOPLE_STATUS}) s ON s.user_id = u.id
        WHERE u.is_active AND u.library_id IS NOT NULL GROUP BY u.library_id""",
    "SELECT id, name FROM accounts_library ORDER BY name",
    f"""SELECT l.county, {STATUS_COLUMNS} FROM accounts_user u
        JOIN accounts_library l ON l.id = u.library_id
        LEFT JOIN ({PEOPLE_STATUS}) s ON s.user_id = u.id
        WHERE u.is_active GROUP BY l.county""",
    "SELECT name FROM accounts_county ORDER BY name",
    """SELECT ct.level,
        count(*) FILTER (WHERE r.status = 'ACTIVE' AND ct.kind = 'RENEWAL_CREDITS'
                         AND r.cycle_end BETWEEN %(today)s AND %(quarter_end)s),
        count(*) FILTER (WHERE r.status = 'LAPSED'
                         AND r.lapsed_on BETWEEN %(quarter_start)s AND %(today)s)
        FROM certifications_registration r
        JOIN certifications_credentialtype ct ON ct.id = r.credential_type_id
        WHERE (r.status = 'ACTIVE' AND ct.kind = 'RENEWAL_CREDITS'
               AND r.cycle_end BETWEEN %(today)s AND %(quarter_end)s)
           OR (r.status = 'LAPSED' AND r.lapsed_on BETWEEN %(quarter_start)s AND %(today)s)
        GROUP BY ct.level""",
    f"""SELECT {STATUS_COLUMNS} FROM accounts_user u
        LEFT JOIN ({PEOPLE_STATUS}) s ON s.user_id = u.id
        WHERE u.is_active AND u.id IN (SELECT user_id FROM accounts_libraryrole
                                       WHERE role = 'DIRECTOR')""",
    """SELECT extract(year FROM e.completed_on), sum(c.contact_hours), count(*)
        FROM courses_enrollment e JOIN courses_course c ON c.id = e.course_id
        WHERE e.status = 'COMPLETED' GROUP BY 1""",
    """SELECT extract(year FROM activity_date), sum(approved_credits) FROM credits_creditrequest
        WHERE status IN ('APPROVED', 'PARTIALLY_APPROVED') GROUP BY 1""",
    """SELECT extract(year FROM completed_on), sum(hours) FROM courses_asynccompletion
        WHERE status = 'APPROVED' GROUP BY 1""",
    """SELECT extract(year FROM completed_on), count(*), count(DISTINCT user_id)
        FROM courses_enrollment WHERE status = 'COMPLETED' GROUP BY 1""",
    """SELECT c.title, c.contact_hours, count(*) FROM courses_enrollment e
        JOIN courses_course c ON c.id = e.course_id WHERE e.status = 'COMPLETED'
        GROUP BY c.id ORDER BY 3 DESC, c.title LIMIT 10""",
    QUEUE_AGE.format(table="certifications_externalfile", received="uploaded_at"),
    QUEUE_AGE.format(table="credits_creditrequest", received="requested_at"),
    QUEUE_AGE.format(table="courses_courseapprovalrequest", received="submitted_at"),
    QUEUE_AGE.format(table="courses_asynccompletion", received="submitted_at"),
    MEDIANS.format(table="certifications_externalfile", received="uploaded_at"),
    MEDIANS.format(table="credits_creditrequest", received="requested_at"),
]


@dataclass
class Timing:
    name: str
    seconds: list[float]
    queries: int
    response_bytes: int = 0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000


def floor_statistics() -> tuple[int, int]:
    """Run every hand-written aggregate and fetch its rows; (queries, rows)."""
    from django.db import connection
    from django.utils import timezone

    from portal.statistics import StatisticsDay

    day = StatisticsDay.current()
    first_month = day.today.replace(day=1)
    for _ in range(11):
        first_month = (first_month - datetime.timedelta(days=1)).replace(day=1)
    parameters = {
        "today": day.today,
        "quarter_start": day.quarter.first_day,
        "quarter_end": day.quarter.last_day,
        "now": day.now,
        "since": timezone.make_aware(datetime.datetime.combine(first_month, datetime.time())),
    }
    rows = 0
    with connection.cursor() as cursor:
        for sql in FLOOR_QUERIES:
            cursor.execute(sql, parameters)
            rows += len(cursor.fetchall())
    return len(FLOOR_QUERIES), rows


def _reviewer_client():
    from django.test import Client

    from accounts.models import User
    from bench.scale_data import SCALE_EMAIL_DOMAIN

    client = Client()
    client.force_login(User.objects.get(email=f"reviewer1@{SCALE_EMAIL_DOMAIN}"))
    return client


def page_request(client, url: str) -> Callable[[], int]:
    def request() -> int:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return len(response.content)

    return request


def _once(action: Callable[[], int], *, cold: bool) -> tuple[float, int, int]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if cold:
        cache.clear()  # as after a change of the data: the figures are computed again
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        size = action()
        elapsed = time.perf_counter() - started
    return elapsed, len(queries), size


def measure(*, runs: int) -> list[Timing]:
    """The floor and each page, alternating, after one warm-up run each. "Computed" requests
    come right after the cache was emptied (the first request after a change of the data);
    "cached" ones find the snapshot an earlier request left."""
    from django.urls import reverse

    client = _reviewer_client()
    statewide = page_request(client, reverse("statewide_statistics"))
    county_csv = page_request(
        client, reverse("statistics_table_export", args=["compliance-by-county", "csv"])
    )
    county_xlsx = page_request(
        client, reverse("statistics_table_export", args=["compliance-by-county", "xlsx"])
    )
    actions: list[tuple[str, Callable[[], int], bool]] = [
        ("floor: hand-written SQL aggregates", lambda: floor_statistics()[1], False),
        ("statewide page, computed", statewide, True),
        ("statewide page, cached", statewide, False),
        ("annual report, cached", page_request(client, reverse("statistics_annual_report")), False),
        ("CSV of compliance by county, computed", county_csv, True),
        ("CSV of compliance by county, cached", county_csv, False),
        ("XLSX of compliance by county, cached", county_xlsx, False),
    ]
    timings = []
    for name, action, cold in actions:
        _once(action, cold=cold)
        _, queries, size = _once(action, cold=cold)
        if name.startswith("floor"):
            queries, size = len(FLOOR_QUERIES), 0
        timings.append(Timing(name=name, seconds=[], queries=queries, response_bytes=size))
    for _ in range(runs):
        for (_, action, cold), timing in zip(actions, timings, strict=True):
            timing.seconds.append(_once(action, cold=cold)[0])
    return timings


def format_report(timings: list[Timing], *, people: int, registrations: int) -> str:
    floor = timings[0]
    lines = [
        f"machine: {_machine()}",
        f"data: {people:,} people, {registrations:,} registrations",
        f"{floor.name}: median {floor.median_ms:.0f} ms over {len(floor.seconds)} runs, "
        f"{floor.queries} queries",
    ]
    for timing in timings[1:]:
        lines.append(
            f"{timing.name}: median {timing.median_ms:.1f} ms, {timing.queries} queries, "
            f"{timing.response_bytes / 1024:.0f} KB; ratio to floor "
            f"{timing.median_ms / floor.median_ms:.2f}× (target ≤ 3×)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=150_000)
    parser.add_argument("--registrations", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    _database_ready()
    from django.conf import settings
    from django.utils import timezone

    from accounts.models import User
    from bench.scale_data import scale_data_exists, seed_scale
    from bench.statistics_data import seed_statistics_activity, statistics_activity_exists
    from certifications.models import Registration

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    today = timezone.localdate()
    if not scale_data_exists():
        started = time.perf_counter()
        seed_scale(people=args.people, registrations=args.registrations, today=today)
        print(f"Seeded people and registrations in {time.perf_counter() - started:.0f} s.")
    if not statistics_activity_exists():
        started = time.perf_counter()
        seed_statistics_activity(today=today)
        print(
            f"Seeded courses, credit requests and directors in {time.perf_counter() - started:.0f} s."
        )
    print(
        format_report(
            measure(runs=args.runs),
            people=User.objects.count(),
            registrations=Registration.objects.count(),
        )
    )


if __name__ == "__main__":
    main()
