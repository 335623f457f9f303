"""Pytest plugin: run the suite against a throwaway PostgreSQL cluster.

Loaded with ``-p tests.postgres_cluster`` (see pyproject.toml) so that it runs before
pytest-django reads the settings. When ``DATABASE_URL`` is already set, it does nothing.
Otherwise it starts a cluster from the machine's PostgreSQL binaries in a temporary folder
(as the ``postgres`` OS user when run as root, since PostgreSQL refuses to run as root),
points ``DATABASE_URL`` at it, and removes it when the session ends.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

_cluster: dict[str, object] = {}


def _pg_bin_dir() -> Path:
    candidates = [os.environ.get("PG_BIN", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for candidate in candidates:
        if candidate and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    raise pytest.UsageError(
        "PostgreSQL binaries (initdb, pg_ctl) were not found. Install PostgreSQL or set "
        "DATABASE_URL to a server the tests may create databases on."
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_cluster_owner(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _start_cluster() -> None:
    pg_bin = _pg_bin_dir()
    as_root = os.geteuid() == 0
    # The postgres OS user must reach the folder: TMPDIR may be a private (0700) root folder.
    workdir = Path(tempfile.mkdtemp(prefix="kdla-pg-", dir="/tmp" if as_root else None))
    if as_root:
        shutil.chown(workdir, "postgres", "postgres")
    data = workdir / "data"
    port = _free_port()
    run = dict(check=True, capture_output=True, text=True)
    subprocess.run(
        _as_cluster_owner(
            [
                str(pg_bin / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
                "-N",
            ]
        ),
        **run,
    )
    options = (
        f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        _as_cluster_owner(
            [
                str(pg_bin / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(workdir / "pg.log"),
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start",
            ]
        ),
        **run,
    )
    _cluster.update(pg_bin=pg_bin, data=data, workdir=workdir)
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{port}/postgres"


def _stop_cluster() -> None:
    if not _cluster:
        return
    pg_bin, data, workdir = _cluster["pg_bin"], _cluster["data"], _cluster["workdir"]
    subprocess.run(
        _as_cluster_owner(
            [str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
        ),
        capture_output=True,
    )
    shutil.rmtree(str(workdir), ignore_errors=True)
    _cluster.clear()


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    if os.environ.get("DATABASE_URL"):
        return
    _start_cluster()


def pytest_unconfigure(config: pytest.Config) -> None:
    _stop_cluster()


def pytest_report_header(config: pytest.Config) -> str:
    origin = "throwaway cluster started by the test setup" if _cluster else "DATABASE_URL"
    return f"database: PostgreSQL ({origin})"
