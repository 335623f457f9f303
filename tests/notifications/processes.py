"""Real processes the fault tests start, stop and kill: a Redis of their own and `celery worker`
subprocesses on the test database."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection

from tests.jobs.smtp_sink import SmtpSink
from tests.services import _free_port, _redis_answers, service_missing

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def wait_until(condition: Callable[[], object], *, timeout: float = 30, what: str = "") -> object:
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout} s waiting for {what or condition}")
        time.sleep(0.05)


@dataclass
class OwnRedis:
    """A redis-server only this test uses, so stopping it disturbs nobody else."""

    port: int = field(default_factory=_free_port)
    workdir: str = field(default_factory=lambda: tempfile.mkdtemp(prefix="kdla-redis-"))
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            service_missing("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", ""]
            + ["--appendonly", "no", "--dir", self.workdir],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: _redis_answers(self.url), timeout=10, what="redis-server to start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@contextmanager
def own_redis() -> Iterator[OwnRedis]:
    redis = OwnRedis()
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()
        shutil.rmtree(redis.workdir, ignore_errors=True)


def this_tests_database_url() -> str:
    """The URL of the database this test runs on (pytest-django's test_… database)."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@contextmanager
def celery_worker_process(
    *, broker_url: str, sink: SmtpSink, queue: str | None = None, **environment: str
) -> Iterator[subprocess.Popen]:
    """``celery -A kdla_portal worker`` as a subprocess, as production runs it (one process,
    solo pool: killing it kills the task it runs). Ready when it answers a ping."""
    queue = queue or f"kdla-fault-{uuid.uuid4().hex[:8]}"
    log_dir = tempfile.mkdtemp(prefix="kdla-worker-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kdla_portal.settings",
        "DATABASE_URL": this_tests_database_url(),
        "CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": broker_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": sink.host,
        "EMAIL_PORT": str(sink.port),
        "KDLA_VAR_DIR": log_dir,
        "SITE_URL": "http://portal.test",
        **environment,
    }
    log = open(Path(log_dir) / "worker.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "kdla_portal", "worker", "--pool=solo"]
        + ["--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.queue = queue  # type: ignore[attr-defined]
    process.log_path = Path(log_dir) / "worker.log"  # type: ignore[attr-defined]
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        log.close()
        shutil.rmtree(log_dir, ignore_errors=True)
