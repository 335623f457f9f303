"""Time the daily upload-deadline sweep on national-scale data against a hand-written floor.

    python -m bench.run_sweep_benchmark [--people 150000] [--registrations 1000000] [--runs 5]

Uses DATABASE_URL when set (it must be PostgreSQL); otherwise starts a throwaway PostgreSQL
cluster the way the test suite does and removes it afterwards. Seeds the data when the database
has none. Every timed run happens inside a transaction that is rolled back, followed by a VACUUM,
so each run sees the same rows. Figures and how to read them: docs/performance.md.
"""

from __future__ import annotations

import argparse
import atexit
import datetime
import logging
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

FLOOR_SQL = (
    "UPDATE certifications_registration SET status = 'LAPSED' "
    "WHERE status = 'ACTIVE' AND upload_due_on < %s"
)


@dataclass
class Timing:
    seconds: list[float]
    rows: int
    queries: int

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000


@dataclass
class SweepReport:
    today: datetime.date
    registrations: int
    people: int
    floor: Timing
    sweep: Timing
    daily_run: Timing | None
    emails: int
    backlog_days: int
    backlog: Timing

    @property
    def ratio(self) -> float:
        return self.sweep.median_ms / self.floor.median_ms


def _rolled_back(
    action: Callable[[], int], *, count_queries: bool = False
) -> tuple[float, int, int]:
    """Run ``action`` in a transaction that is rolled back; (seconds, rows, queries)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic():
        if count_queries:
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                rows = action()
                elapsed = time.perf_counter() - started
            query_count = len(queries)
        else:
            started = time.perf_counter()
            rows = action()
            elapsed = time.perf_counter() - started
            query_count = 0
        transaction.set_rollback(True)
    return elapsed, rows, query_count


def vacuum() -> None:
    """Remove the row versions a rolled-back run left, so the next run starts alike."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in (
            "certifications_registration",
            "certifications_historicalregistration",
            "notifications_outboxmessage",
        ):
            cursor.execute(f"VACUUM (ANALYZE) {table}")


def floor_update(today: datetime.date) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [today])
        return cursor.rowcount


def _timed(action: Callable[[], int], *, runs: int, do_vacuum: bool) -> Timing:
    return _timed_side_by_side([action], runs=runs, do_vacuum=do_vacuum)[0]


def _timed_side_by_side(
    actions: list[Callable[[], int]], *, runs: int, do_vacuum: bool
) -> list[Timing]:
    """Time the actions in alternation (A, B, A, B…) so a busy moment on a shared machine
    weighs on both alike; one warm-up and one query-counting run each first."""

    def once(action: Callable[[], int], *, count_queries: bool = False) -> tuple[float, int, int]:
        result = _rolled_back(action, count_queries=count_queries)
        if do_vacuum:
            vacuum()
        return result

    timings = []
    for action in actions:
        once(action)
        _, rows, queries = once(action, count_queries=True)
        timings.append(Timing(seconds=[], rows=rows, queries=queries))
    for _ in range(runs):
        for action, timing in zip(actions, timings, strict=True):
            timing.seconds.append(once(action)[0])
    return timings


def measure(
    *,
    today: datetime.date,
    runs: int = 5,
    do_vacuum: bool = True,
    with_daily_run: bool = True,
    backlog_days: int = 7,
) -> SweepReport:
    """Floor, sweep, a week's backlog and (optionally) the whole daily run with delivery."""
    from accounts.models import User
    from certifications.models import Registration
    from certifications.services.daily_jobs import run_daily_jobs
    from certifications.services.deadlines import lapse_missed_upload_deadlines

    floor, sweep = _timed_side_by_side(
        [lambda: floor_update(today), lambda: lapse_missed_upload_deadlines(today=today)],
        runs=runs,
        do_vacuum=do_vacuum,
    )
    later = today + datetime.timedelta(days=backlog_days)
    backlog = _timed(
        lambda: lapse_missed_upload_deadlines(today=later), runs=1, do_vacuum=do_vacuum
    )
    daily_run, emails = None, 0
    if with_daily_run:
        from django.test import override_settings

        from tests.jobs.smtp_sink import email_settings, running_smtp_server

        with running_smtp_server() as sink, override_settings(**email_settings(sink)):
            daily_run = _timed(
                lambda: run_daily_jobs(today=today)["emails_sent"], runs=1, do_vacuum=do_vacuum
            )
            emails = daily_run.rows
            del sink.messages[:]
    return SweepReport(
        today=today,
        registrations=Registration.objects.count(),
        people=User.objects.count(),
        floor=floor,
        sweep=sweep,
        daily_run=daily_run,
        emails=emails,
        backlog_days=backlog_days,
        backlog=backlog,
    )


def _machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            cpu = next(line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line)
    except (OSError, StopIteration):
        pass
    return f"PostgreSQL {server}; {os.cpu_count()} CPUs ({cpu}); Python {platform.python_version()}"


def format_report(report: SweepReport) -> str:
    floor, sweep = report.floor, report.sweep
    lines = [
        f"machine: {_machine()}",
        f"data: {report.people:,} people, {report.registrations:,} registrations; "
        f"day {report.today:%m/%d/%Y}",
        f"upload windows that closed before that day and are still ACTIVE: {floor.rows:,}",
        f"floor  single UPDATE … WHERE status='ACTIVE' AND upload_due_on < day: "
        f"median {floor.median_ms:.1f} ms over {len(floor.seconds)} runs, {floor.queries} query",
        f"sweep  lapse_missed_upload_deadlines (lock, UPDATE, history, email claims): "
        f"median {sweep.median_ms:.1f} ms over {len(sweep.seconds)} runs, {sweep.queries} queries, "
        f"{sweep.rows:,} lapsed",
        f"ratio  sweep / floor = {report.ratio:.2f}× (target ≤ 3×)",
        f"backlog after {report.backlog_days} days without a run: {report.backlog.rows:,} lapsed "
        f"in {report.backlog.median_ms:.0f} ms with {report.backlog.queries} queries",
    ]
    if report.daily_run is not None:
        run = report.daily_run
        lines.append(
            f"daily run (all jobs, {report.emails:,} emails to a local SMTP server): "
            f"{run.median_ms / 1000:.2f} s, {run.queries} queries"
        )
    return "\n".join(lines)


def _database_ready() -> None:
    if not os.environ.get("DATABASE_URL"):
        from tests import postgres_cluster

        postgres_cluster._start_cluster()
        atexit.register(postgres_cluster._stop_cluster)
        print("Started a throwaway PostgreSQL cluster (set DATABASE_URL to use another).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kdla_portal.settings")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark needs PostgreSQL: set DATABASE_URL to a PostgreSQL URL.")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=150_000)
    parser.add_argument("--registrations", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--today", help="YYYY-MM-DD (default: today in America/New_York)")
    args = parser.parse_args(argv)
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # the SMTP server's chatter
    _database_ready()
    from django.utils import timezone

    from bench.scale_data import scale_data_exists, seed_scale

    today = datetime.date.fromisoformat(args.today) if args.today else timezone.localdate()
    if not scale_data_exists():
        started = time.perf_counter()
        seed_scale(people=args.people, registrations=args.registrations, today=today)
        print(f"Seeded in {time.perf_counter() - started:.0f} s.")
        vacuum()
    print(format_report(measure(today=today, runs=args.runs)))


if __name__ == "__main__":
    main()
