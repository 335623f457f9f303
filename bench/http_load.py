"""The load both HTTP benchmarks put on a server: one thread per connection, each sending
requests back to back until a shared deadline, with every latency kept.

http.client keeps the connection open when the server allows it and reconnects when the server
closes it (gunicorn's sync workers close after every response). The benchmarks differ only in
the request each thread sends, which they pass in as ``send``.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

# Sends one request for connection ``number`` on ``connection`` and returns the response status.
SendRequest = Callable[[int, http.client.HTTPConnection], int]


@dataclass(frozen=True)
class LoadResult:
    requests_per_second: float
    median_latency_ms: float
    requests: int
    errors: int


def load_with_threads(
    base_url: str, *, connections: int, duration: float, send: SendRequest
) -> LoadResult:
    """``connections`` threads start together and send requests for ``duration`` seconds; a
    response other than 200, or a broken connection, counts as an error and not as a request."""
    address = urllib.parse.urlsplit(base_url)
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    start = threading.Barrier(connections + 1)
    deadline = 0.0

    def client(number: int) -> None:
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
        start.wait()
        while (sent := time.perf_counter()) < deadline:
            try:
                status = send(number, connection)
            except (OSError, http.client.HTTPException):
                errors[number] += 1
                connection.close()
                continue
            if status != 200:
                errors[number] += 1
            latencies[number].append(time.perf_counter() - sent)
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline = began + duration
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    done = [latency for thread_latencies in latencies for latency in thread_latencies]
    if not done:
        raise RuntimeError(f"No request to {base_url} succeeded.")
    return LoadResult(
        requests_per_second=len(done) / elapsed,
        median_latency_ms=statistics.median(done) * 1000,
        requests=len(done),
        errors=sum(errors),
    )
