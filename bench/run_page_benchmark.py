"""Page throughput of the portal under gunicorn, against floors measured in the same run.

    python -m bench.run_page_benchmark [--duration 10] [--connections 16] [--rounds 3]

Uses DATABASE_URL when set (it must be PostgreSQL); otherwise starts a throwaway PostgreSQL
cluster the way the test suite does and removes it afterwards. Migrates, loads KDLA's rules and
creates two staff members (a long and a tiny history), then serves the portal with gunicorn
(2 sync workers, production settings, persistent database connections) next to a second
gunicorn serving the floor pages of bench/floor_urls.py, and loads each page with wrk (or, when
wrk is not installed, a threaded Python client) on 127.0.0.1. Figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import http.client
import logging
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

from bench.http_load import LoadResult, load_with_threads

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
SERVER_START_SECONDS = 60
PORTAL_SETTINGS = "kdla_portal.settings"
FLOOR_SETTINGS = "bench.floor_settings"
FLOOR_SETTINGS_URLCONF = "bench.floor_urls"  # the ROOT_URLCONF of FLOOR_SETTINGS


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    server: str  # "floor" or "portal"
    signed_in_as: str | None = None  # "large" or "small" history, None = anonymous


@dataclass
class PageFigures:
    page: Page
    queries: int | None
    response_bytes: int
    runs: list[LoadResult] = field(default_factory=list)

    @property
    def requests_per_second(self) -> float:
        return statistics.median(run.requests_per_second for run in self.runs)

    @property
    def median_latency_ms(self) -> float:
        return statistics.median(run.median_latency_ms for run in self.runs)

    @property
    def errors(self) -> int:
        return sum(run.errors for run in self.runs)


@dataclass
class PageReport:
    generator: str
    duration: float
    connections: int
    workers: int
    history_size: int
    figures: list[PageFigures]

    def figures_for(self, name: str) -> PageFigures:
        return next(figures for figures in self.figures if figures.page.name == name)

    def ratio_to_template_floor(self, figures: PageFigures) -> float:
        """Median over the rounds of the page's rate over the template floor's in that round
        (the round's own floor, so the machine's load at that time cancels out)."""
        floor = self.figures_for("floor template")
        return statistics.median(
            page_run.requests_per_second / floor_run.requests_per_second
            for page_run, floor_run in zip(figures.runs, floor.runs, strict=True)
        )


def benchmark_pages() -> list[Page]:
    """The pages measured, floors first (paths of the portal's pages come from its URLconf)."""
    from django.urls import reverse

    from bench.page_data import BENCH_CERTIFICATE_CODE

    return [
        Page("floor bare", reverse("floor_bare", urlconf=FLOOR_SETTINGS_URLCONF), "floor"),
        Page("floor template", reverse("floor_template", urlconf=FLOOR_SETTINGS_URLCONF), "floor"),
        Page("dashboard (tiny history)", reverse("dashboard"), "portal", "small"),
        Page("dashboard (long history)", reverse("dashboard"), "portal", "large"),
        Page("transcript (long history)", reverse("transcript"), "portal", "large"),
        Page("course catalogue", reverse("course_catalogue"), "portal", "large"),
        Page("asynchronous training (public)", reverse("async_training"), "portal"),
        Page("sign-in page", reverse("login"), "portal"),
        Page(
            "certificate verification (public)",
            reverse("certificate_verify", kwargs={"code": BENCH_CERTIFICATE_CODE}),
            "portal",
        ),
    ]


# --- Servers -------------------------------------------------------------------------------


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database Django is connected to (the test database in tests)."""
    user = urllib.parse.quote(settings_dict.get("USER") or "")
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{urllib.parse.quote(password)}" if password else user
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{settings_dict['NAME']}"


def server_environment(*, database: str, var_dir: Path) -> dict[str, str]:
    """Production settings as deployed, except plain HTTP on 127.0.0.1 (no SSL redirect)."""
    return {
        **os.environ,
        "DJANGO_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "CONN_MAX_AGE": "60",
        "DATABASE_URL": database,
        "KDLA_VAR_DIR": str(var_dir),
        "STATIC_ROOT": str(var_dir / "staticfiles"),
        "LOG_LEVEL": "WARNING",
        # One address sends every request: measure the page, not its lookup limit.
        "VERIFY_RATE_LIMIT_PER_MINUTE": "1000000000",
        "PYTHONUNBUFFERED": "1",
    }


def collect_static(environment: dict[str, str]) -> None:
    """Production pages link hashed static names, so the manifest must exist."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=BASE_DIR,
        env={**environment, "DJANGO_SETTINGS_MODULE": PORTAL_SETTINGS},
        check=True,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_gunicorn(
    *, settings_module: str, environment: dict[str, str], workers: int, log: Path
) -> Iterator[str]:
    """gunicorn with sync workers on a free port of 127.0.0.1; yields its base URL."""
    port = _free_port()
    with open(log, "ab") as log_file:
        server = subprocess.Popen(
            [
                str(GUNICORN),
                "kdla_portal.wsgi:application",
                "--worker-class",
                "sync",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--error-logfile",
                "-",
            ],
            cwd=BASE_DIR,
            env={**environment, "DJANGO_SETTINGS_MODULE": settings_module},
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_listening(port, server, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_listening(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at startup:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not listen within {SERVER_START_SECONDS} s.")


# --- HTTP ------------------------------------------------------------------------------------


def _request(
    base_url: str, path: str, *, method: str = "GET", body: str | None = None, headers=None
) -> tuple[int, bytes, SimpleCookie]:
    address = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        content = response.read()
        cookies = SimpleCookie()
        for header in response.msg.get_all("Set-Cookie") or []:
            cookies.load(header)
        return response.status, content, cookies
    finally:
        connection.close()


def sign_in(base_url: str, *, email: str, password: str) -> str:
    """Sign in once through the sign-in page; the Cookie header of the new session."""
    from django.conf import settings
    from django.urls import reverse

    login = reverse("login")
    status, page, cookies = _request(base_url, login)
    if status != 200:
        raise RuntimeError(f"The sign-in page answered {status}.")
    csrf_cookie = cookies[settings.CSRF_COOKIE_NAME].value
    form_token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"username": email, "password": password, "csrfmiddlewaretoken": form_token.decode()}
    )
    status, _, cookies = _request(
        base_url,
        login,
        method="POST",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{settings.CSRF_COOKIE_NAME}={csrf_cookie}",
        },
    )
    if status != 302 or settings.SESSION_COOKIE_NAME not in cookies:
        raise RuntimeError(f"Signing in as {email} failed (status {status}).")
    return f"{settings.SESSION_COOKIE_NAME}={cookies[settings.SESSION_COOKIE_NAME].value}"


def fetch_page(url: str, *, cookie: str | None) -> bytes:
    """One request, refusing anything but the page itself (not a redirect to sign in)."""
    address = urllib.parse.urlsplit(url)
    status, content, _ = _request(
        f"{address.scheme}://{address.netloc}",
        address.path,
        headers={"Cookie": cookie} if cookie else {},
    )
    if status != 200:
        raise RuntimeError(f"{url} answered {status}, not 200.")
    return content


# --- Load generators -------------------------------------------------------------------------

_WRK_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk_output(output: str) -> LoadResult:
    """Requests/s, median latency, requests and errors from ``wrk --latency`` output."""
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    median = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    total = re.search(r"^\s+(\d+) requests in", output, re.MULTILINE)
    if not (rate and median and total):
        raise RuntimeError(f"Unexpected wrk output:\n{output}")
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        # gunicorn's sync workers close every connection after the response, which wrk may
        # count as a read error without a request failing; connect errors and timeouts count.
        errors += int(socket_errors.group(1)) + int(socket_errors.group(4))
    return LoadResult(
        requests_per_second=float(rate.group(1)),
        median_latency_ms=float(median.group(1)) * _WRK_UNITS_MS[median.group(2)],
        requests=int(total.group(1)),
        errors=errors,
    )


def load_with_wrk(url: str, *, cookie: str | None, duration: float, connections: int) -> LoadResult:
    command = ["wrk", "--latency", f"-t{min(2, connections)}", f"-c{connections}"]
    command += [f"-d{max(1, round(duration))}s", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    finished = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=duration + 60
    )
    return parse_wrk_output(finished.stdout)


def load_with_python(
    url: str, *, cookie: str | None, duration: float, connections: int
) -> LoadResult:
    """One thread per connection, each sending GETs of ``url`` back to back."""
    path = urllib.parse.urlsplit(url).path
    headers = {"Cookie": cookie} if cookie else {}

    def send(number: int, connection: http.client.HTTPConnection) -> int:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status

    return load_with_threads(url, connections=connections, duration=duration, send=send)


LOAD_GENERATORS = {"wrk": load_with_wrk, "python": load_with_python}


def default_generator() -> str:
    return "wrk" if shutil.which("wrk") else "python"


# --- Measuring -------------------------------------------------------------------------------


def count_queries(page: Page, accounts) -> int:
    """SQL queries of one request for the page, through Django's test client (warm caches)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if page.signed_in_as:
        client.force_login(_account(accounts, page.signed_in_as))
    client.get(page.path)  # first request fills per-process caches (content types, etc.)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.path)
    if response.status_code != 200:
        raise RuntimeError(f"{page.path} answered {response.status_code} to the test client.")
    return len(queries)


def _account(accounts, who: str):
    return accounts.large_history if who == "large" else accounts.small_history


def measure(
    *,
    accounts,
    database: str,
    duration: float = 10,
    connections: int = 16,
    rounds: int = 3,
    workers: int = 2,
    generator: str | None = None,
    history_size: int = 50,
    work_dir: Path | None = None,
) -> PageReport:
    """Serve portal and floors, then load every page ``rounds`` times in alternation.

    Both servers run side by side and the pages take turns, so a busy moment on a shared
    machine weighs on floors and pages alike; each figure is the median of the rounds.
    """
    generator = generator or default_generator()
    load = LOAD_GENERATORS[generator]
    pages = benchmark_pages()
    figures = []
    for page in pages:
        queries = None if page.server == "floor" else count_queries(page, accounts)
        figures.append(PageFigures(page=page, queries=queries, response_bytes=0))
    with contextlib.ExitStack() as stack:
        if work_dir is None:
            work_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kdla-pages-")))
        environment = server_environment(database=database, var_dir=work_dir)
        collect_static(environment)
        servers = {
            "portal": stack.enter_context(
                running_gunicorn(
                    settings_module=PORTAL_SETTINGS,
                    environment=environment,
                    workers=workers,
                    log=work_dir / "portal.log",
                )
            ),
            "floor": stack.enter_context(
                running_gunicorn(
                    settings_module=FLOOR_SETTINGS,
                    environment=environment,
                    workers=workers,
                    log=work_dir / "floor.log",
                )
            ),
        }
        cookies = {
            who: sign_in(
                servers["portal"], email=_account(accounts, who).email, password=accounts.password
            )
            for who in ("large", "small")
        }
        for page_figures in figures:
            page = page_figures.page
            url = servers[page.server] + page.path
            cookie = cookies[page.signed_in_as] if page.signed_in_as else None
            page_figures.response_bytes = len(fetch_page(url, cookie=cookie))
            load(url, cookie=cookie, duration=min(duration, 2), connections=connections)  # warm
        for _ in range(rounds):
            for page_figures in figures:
                page = page_figures.page
                cookie = cookies[page.signed_in_as] if page.signed_in_as else None
                page_figures.runs.append(
                    load(
                        servers[page.server] + page.path,
                        cookie=cookie,
                        duration=duration,
                        connections=connections,
                    )
                )
    return PageReport(
        generator=generator,
        duration=duration,
        connections=connections,
        workers=workers,
        history_size=history_size,
        figures=figures,
    )


# --- Report ----------------------------------------------------------------------------------


def machine_facts() -> str:
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
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"nproc {nproc} ({cpu}); PostgreSQL {server}; Python {platform.python_version()}; "
        f"load generator on the same cores"
    )


def format_report(report: PageReport) -> str:
    """A Markdown table (it is pasted into docs/performance.md as it is)."""
    lines = [
        f"machine: {machine_facts()}",
        f"load: {report.generator}, {report.connections} connections, "
        f"{report.duration:g} s per page and round, median of {len(report.figures[0].runs)} "
        f"rounds; gunicorn {report.workers} sync workers, DEBUG off, CONN_MAX_AGE=60; "
        f"long history = {report.history_size} completed courses and {report.history_size} "
        "credit requests",
        "",
        "| page | req/s | median latency | ratio to template floor | SQL queries | size |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for figures in report.figures:
        queries = "—" if figures.queries is None else str(figures.queries)
        lines.append(
            f"| {figures.page.name} | {figures.requests_per_second:,.0f} "
            f"| {figures.median_latency_ms:.1f} ms "
            f"| {report.ratio_to_template_floor(figures):.2f}× "
            f"| {queries} | {_size(figures.response_bytes)} |"
        )
    errors = sum(figures.errors for figures in report.figures)
    if errors:
        lines.append(f"\nfailed requests (not 200, timeouts, refused connections): {errors:,}")
    return "\n".join(lines)


def _size(response_bytes: int) -> str:
    return f"{response_bytes / 1024:.1f} KB" if response_bytes >= 1024 else f"{response_bytes} B"


def _database_ready() -> str:
    if not os.environ.get("DATABASE_URL"):
        from tests import postgres_cluster

        postgres_cluster._start_cluster()
        atexit.register(postgres_cluster._stop_cluster)
        print("Started a throwaway PostgreSQL cluster (set DATABASE_URL to use another).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", PORTAL_SETTINGS)
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark needs PostgreSQL: set DATABASE_URL to a PostgreSQL URL.")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return os.environ["DATABASE_URL"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per page and round")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--history", type=int, default=50, help="size of the long history")
    parser.add_argument("--generator", choices=sorted(LOAD_GENERATORS), default=None)
    args = parser.parse_args(argv)
    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per sign-in otherwise
    database = _database_ready()
    from django.utils import timezone

    from bench.page_data import seed_page_accounts

    accounts = seed_page_accounts(today=timezone.localdate(), history_size=args.history)
    report = measure(
        accounts=accounts,
        database=database,
        duration=args.duration,
        connections=args.connections,
        rounds=args.rounds,
        workers=args.workers,
        generator=args.generator,
        history_size=args.history,
    )
    print(format_report(report))


if __name__ == "__main__":
    main()
