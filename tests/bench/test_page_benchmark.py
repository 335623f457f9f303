"""The page benchmark on a short history and a fraction of a second per page, so it keeps
working: real gunicorn servers, a real sign-in, the Python load generator and the report."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from bench.page_data import page_accounts, seed_page_accounts
from bench.run_page_benchmark import (
    benchmark_pages,
    database_url,
    format_report,
    measure,
    parse_wrk_output,
)
from courses.models import Enrollment
from credits.models import CreditRequest

# Same bound as the dashboard's and transcript's own query tests.
QUERY_BOUND = 14

WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:40123/dashboard/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    82.41ms   12.03ms 201.11ms   81.20%
    Req/Sec    96.71     20.18   150.00     70.00%
  Latency Distribution
     50%   80.12ms
     75%   88.40ms
     90%   97.03ms
     99%  130.52ms
  1921 requests in 10.01s, 33.10MB read
  Socket errors: connect 0, read 1921, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:    191.92
Transfer/sec:      3.31MB
"""


@pytest.mark.django_db(transaction=True)
def test_the_benchmark_serves_and_loads_every_page(tmp_path):
    accounts = seed_page_accounts(today=timezone.localdate(), history_size=6)
    assert page_accounts() == accounts
    assert Enrollment.objects.filter(user=accounts.large_history).count() == 6
    assert CreditRequest.objects.filter(user=accounts.large_history).count() == 6

    report = measure(
        accounts=accounts,
        database=database_url(connection.settings_dict),
        duration=0.5,
        connections=2,
        rounds=1,
        workers=1,
        generator="python",
        history_size=6,
        work_dir=tmp_path,
    )

    assert [figures.page for figures in report.figures] == benchmark_pages()
    for figures in report.figures:
        assert figures.errors == 0, figures.page.name
        assert figures.requests_per_second > 0, figures.page.name
        assert figures.median_latency_ms > 0, figures.page.name
        assert figures.response_bytes > 0, figures.page.name
    assert report.figures_for("floor bare").response_bytes == len(b"ok")
    assert report.figures_for("floor template").response_bytes > 15_000
    assert report.ratio_to_template_floor(report.figures_for("floor template")) == 1
    for name in (
        "dashboard (tiny history)",
        "dashboard (long history)",
        "transcript (long history)",
    ):
        assert 0 < report.figures_for(name).queries <= QUERY_BOUND, name
    # The certificate lookup, whatever the history (tests/certificates pins it too).
    assert report.figures_for("certificate verification (public)").queries == 1
    assert report.figures_for("floor bare").queries is None
    table = format_report(report)
    assert (
        "| page | req/s | median latency | ratio to template floor | SQL queries | size |" in table
    )
    assert "| floor template |" in table and "1.00×" in table
    assert "failed requests" not in table


def test_wrk_output_gives_rate_median_latency_and_failed_requests():
    result = parse_wrk_output(WRK_OUTPUT)

    assert result.requests_per_second == 191.92
    assert result.median_latency_ms == 80.12
    assert result.requests == 1921
    # Not-200 answers, refused connections and timeouts fail; reads of closed connections do not.
    assert result.errors == 3 + 2


def test_wrk_output_in_microseconds_and_seconds():
    fast = WRK_OUTPUT.replace("     50%   80.12ms", "     50%  512.00us")
    slow = WRK_OUTPUT.replace("     50%   80.12ms", "     50%    1.25s")

    assert parse_wrk_output(fast).median_latency_ms == pytest.approx(0.512)
    assert parse_wrk_output(slow).median_latency_ms == 1250


def test_unexpected_wrk_output_is_refused_with_the_output():
    with pytest.raises(RuntimeError, match="Unexpected wrk output:\nunable to connect"):
        parse_wrk_output("unable to connect to 127.0.0.1:1 Connection refused\n")
