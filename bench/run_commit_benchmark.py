"""Commits per second of the SCORM runtime's commit endpoint, against a bare Django POST floor
served in the same run.

    python -m bench.run_commit_benchmark [--duration 10] [--connections 8] [--rounds 3]

The commit endpoint is the portal's hot path: a SCORM course commits every few seconds for
every learner playing it. Uses DATABASE_URL when set (it must be PostgreSQL); otherwise starts a
throwaway PostgreSQL cluster the way the test suite does and removes it afterwards. Migrates,
creates one signed-in learner per connection with a SCORM 1.2 attempt each, then serves the
portal with gunicorn (sync workers, production settings, persistent database connections) next
to a second gunicorn serving the floor ``/floor/commit/`` of bench/floor_urls.py, and sends
commits back to back from one thread per connection on 127.0.0.1: each connection to its own
learner's attempt, with the next sequence number and the runtime data a SCO sends on a page
change (location, suspend data, status, score, a few interactions; about 2 KB of JSON). The
floor gets the same bodies and cookies. Target: the endpoint at 50 % of the floor or more.
Figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import logging
import statistics
import tempfile
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bench.http_load import LoadResult, load_with_threads
from bench.run_page_benchmark import (
    FLOOR_SETTINGS,
    FLOOR_SETTINGS_URLCONF,
    PORTAL_SETTINGS,
    _database_ready,
    collect_static,
    machine_facts,
    running_gunicorn,
    server_environment,
    sign_in,
)

if TYPE_CHECKING:  # models load only once main() has set Django up
    from bench.commit_data import CommitLearner

TARGET_RATIO_TO_FLOOR = 0.5


@dataclass
class CommitFigures:
    name: str
    queries: int | None
    runs: list[LoadResult] = field(default_factory=list)

    @property
    def commits_per_second(self) -> float:
        return statistics.median(run.requests_per_second for run in self.runs)

    @property
    def median_latency_ms(self) -> float:
        return statistics.median(run.median_latency_ms for run in self.runs)

    @property
    def requests(self) -> int:
        return sum(run.requests for run in self.runs)

    @property
    def errors(self) -> int:
        return sum(run.errors for run in self.runs)


@dataclass
class CommitReport:
    duration: float
    connections: int
    workers: int
    body_bytes: int
    floor: CommitFigures
    endpoint: CommitFigures

    @property
    def ratio_to_floor(self) -> float:
        """Median over the rounds of the endpoint's rate over the floor's in that round."""
        return statistics.median(
            endpoint_run.requests_per_second / floor_run.requests_per_second
            for endpoint_run, floor_run in zip(self.endpoint.runs, self.floor.runs, strict=True)
        )


def _runtime_data(location: int) -> str:
    """The data model as scorm-again renders it for a SCORM 1.2 course on page ``location``."""
    interactions = {
        str(number): {
            "id": f"question-{number + 1}",
            "type": "choice",
            "student_response": "b",
            "result": "correct",
            "time": f"10:15:0{number}",
            "latency": "0000:00:12",
        }
        for number in range(4)
    }
    cmi = {
        "cmi": {
            "core": {
                "student_id": "learner",
                "lesson_location": str(location),
                "lesson_status": "incomplete",
                "score": {"raw": "75", "min": "0", "max": "100"},
                "session_time": f"00:0{location % 10}:30",
                "exit": "suspend",
            },
            "suspend_data": "seen:"
            + ",".join(str(page) for page in range(1, 40))
            + ";"
            + "x" * 600,
            "interactions": interactions,
        }
    }
    return json.dumps(cmi)


# Built once: the client's own work per commit must stay small, or the load generator (one
# Python process on the same cores) would weigh on the figures instead of the servers.
RUNTIME_DATA_BY_LOCATION = [_runtime_data(location) for location in range(1, 13)]


def commit_body(sequence: int) -> bytes:
    """What scorm_player.js sends on a page change of a SCORM 1.2 course: the sequence number,
    the time spent and the whole data model, about 1.5 KB of JSON."""
    cmi = RUNTIME_DATA_BY_LOCATION[sequence % 12]
    return (
        f'{{"sequence": {sequence}, "total_time_seconds": {30 * sequence}, "cmi": {cmi}}}'
    ).encode()


def commit_path(learner: CommitLearner) -> str:
    from django.urls import reverse

    from courses.services.scorm_runtime import scorm_commit_key

    key = scorm_commit_key(attempt=learner.attempt)
    return (
        reverse("scorm_commit", args=[learner.attempt.pk])
        + "?"
        + urllib.parse.urlencode({"key": key})
    )


def floor_path() -> str:
    from django.urls import reverse

    return reverse("floor_commit", urlconf=FLOOR_SETTINGS_URLCONF)


def count_commit_queries(learner: CommitLearner) -> int:
    """SQL queries of one commit through Django's test client, after a first one (warm
    caches); the attempt is started over afterwards, so the load begins at sequence 1."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from courses.models import ScormAttempt

    client = Client()
    client.force_login(learner.user)
    path = commit_path(learner)
    client.post(path, commit_body(1), content_type="application/json")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, commit_body(2), content_type="application/json")
    if response.status_code != 200:
        raise RuntimeError(f"The commit answered {response.status_code}: {response.content!r}")
    ScormAttempt.objects.filter(pk=learner.attempt.pk).update(sequence=0, runtime_data={})
    return len(queries)


class CommitSequences:
    """The next sequence number of each learner's attempt, across rounds and warm-ups: the
    endpoint refuses a number not above the last accepted one."""

    def __init__(self, count: int) -> None:
        self._last = [0] * count

    def next(self, learner_number: int) -> int:
        self._last[learner_number] += 1
        return self._last[learner_number]

    def accepted(self, learner_number: int) -> int:
        return self._last[learner_number]


def load_commits(
    base_url: str,
    *,
    paths: list[str],
    cookies: list[str],
    sequences: CommitSequences,
    duration: float,
) -> LoadResult:
    """One thread per learner, each posting commits back to back for ``duration`` seconds.

    The floor gets the same bodies (with sequence numbers of its own that nothing checks), so
    the client's work is the same for both servers.
    """
    headers = [{"Content-Type": "application/json", "Cookie": cookie} for cookie in cookies]

    def send(number: int, connection: http.client.HTTPConnection) -> int:
        body = commit_body(sequences.next(number))
        connection.request("POST", paths[number], body=body, headers=headers[number])
        response = connection.getresponse()
        response.read()
        return response.status

    return load_with_threads(base_url, connections=len(paths), duration=duration, send=send)


def measure(
    *,
    learners: list[CommitLearner],
    database: str,
    duration: float = 10,
    rounds: int = 3,
    workers: int = 2,
    work_dir: Path | None = None,
) -> CommitReport:
    """Serve portal and floor side by side and load them in alternation ``rounds`` times, so a
    busy moment on a shared machine weighs on both; each figure is the median of the rounds."""
    from django.test import override_settings

    from bench.commit_data import COMMIT_DATA_PASSWORD

    connections = len(learners)
    floor = CommitFigures("floor: bare Django POST view", queries=None)
    endpoint = CommitFigures("SCORM runtime commit", queries=count_commit_queries(learners[0]))
    sequences = CommitSequences(connections)
    floor_sequences = CommitSequences(connections)
    with contextlib.ExitStack() as stack:
        if work_dir is None:
            work_dir = Path(
                stack.enter_context(tempfile.TemporaryDirectory(prefix="kdla-commits-"))
            )
        environment = server_environment(database=database, var_dir=work_dir)
        collect_static(environment)  # the sign-in page links hashed static names
        portal = stack.enter_context(
            running_gunicorn(
                settings_module=PORTAL_SETTINGS,
                environment=environment,
                workers=workers,
                log=work_dir / "portal.log",
            )
        )
        floor_server = stack.enter_context(
            running_gunicorn(
                settings_module=FLOOR_SETTINGS,
                environment=environment,
                workers=workers,
                log=work_dir / "floor.log",
            )
        )
        cookies = [
            sign_in(portal, email=learner.user.email, password=COMMIT_DATA_PASSWORD)
            for learner in learners
        ]
        # The key is signed with the server's own SECRET_KEY, as the player page would be.
        with override_settings(SECRET_KEY=environment["SECRET_KEY"]):
            endpoint_paths = [commit_path(learner) for learner in learners]
        floor_paths = [floor_path()] * connections
        warm = min(duration, 2)
        load_commits(
            floor_server,
            paths=floor_paths,
            cookies=cookies,
            sequences=floor_sequences,
            duration=warm,
        )
        load_commits(
            portal, paths=endpoint_paths, cookies=cookies, sequences=sequences, duration=warm
        )
        for _ in range(rounds):
            floor.runs.append(
                load_commits(
                    floor_server,
                    paths=floor_paths,
                    cookies=cookies,
                    sequences=floor_sequences,
                    duration=duration,
                )
            )
            endpoint.runs.append(
                load_commits(
                    portal,
                    paths=endpoint_paths,
                    cookies=cookies,
                    sequences=sequences,
                    duration=duration,
                )
            )
    _check_commits_were_saved(learners, sequences, report_errors=endpoint.errors)
    return CommitReport(
        duration=duration,
        connections=connections,
        workers=workers,
        body_bytes=len(commit_body(1)),
        floor=floor,
        endpoint=endpoint,
    )


def _check_commits_were_saved(
    learners: list[CommitLearner], sequences: CommitSequences, *, report_errors: int
) -> None:
    """A commit answered 200 but not stored would flatter the figures: every attempt must hold
    its last sequence number and the data sent with it."""
    from courses.models import ScormAttempt

    saved = dict(
        ScormAttempt.objects.filter(
            pk__in=[learner.attempt.pk for learner in learners]
        ).values_list("pk", "sequence")
    )
    for number, learner in enumerate(learners):
        if saved[learner.attempt.pk] != sequences.accepted(number):
            raise RuntimeError(
                f"Attempt {learner.attempt.pk} holds commit {saved[learner.attempt.pk]}, "
                f"not the last one sent ({sequences.accepted(number)}); "
                f"{report_errors} commits failed."
            )


def format_report(report: CommitReport) -> str:
    """A Markdown table (it is pasted into docs/performance.md as it is)."""
    ratio = report.ratio_to_floor
    verdict = "meets" if ratio >= TARGET_RATIO_TO_FLOOR else "MISSES"
    lines = [
        f"machine: {machine_facts()}",
        f"load: Python client, {report.connections} connections (one learner and attempt "
        f"each), {report.duration:g} s per server and round, median of "
        f"{len(report.endpoint.runs)} rounds; gunicorn {report.workers} sync workers, DEBUG "
        f"off, CONN_MAX_AGE=60; commit body {report.body_bytes:,} bytes of JSON",
        "",
        "| | commits/s | median latency | ratio to floor | SQL queries per commit |",
        "|---|---:|---:|---:|---:|",
    ]
    for figures in (report.floor, report.endpoint):
        queries = "—" if figures.queries is None else str(figures.queries)
        figure_ratio = 1.0 if figures is report.floor else ratio
        lines.append(
            f"| {figures.name} | {figures.commits_per_second:,.0f} "
            f"| {figures.median_latency_ms:.1f} ms | {figure_ratio:.2f}× | {queries} |"
        )
    lines.append(
        f"\nThe commit endpoint runs at {ratio:.0%} of the floor: it {verdict} the target of "
        f"{TARGET_RATIO_TO_FLOOR:.0%}."
    )
    errors = report.floor.errors + report.endpoint.errors
    if errors:
        lines.append(f"\nfailed commits (not 200, timeouts, refused connections): {errors:,}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per server and round")
    parser.add_argument("--connections", type=int, default=8, help="learners committing at once")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    args = parser.parse_args(argv)
    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per sign-in otherwise
    database = _database_ready()
    from bench.commit_data import seed_commit_learners

    learners = seed_commit_learners(count=args.connections)
    report = measure(
        learners=learners,
        database=database,
        duration=args.duration,
        rounds=args.rounds,
        workers=args.workers,
    )
    print(format_report(report))


if __name__ == "__main__":
    main()
