"""Start the web server, a Celery worker and Celery beat together (``make run``).

One foreground command for the demo on its embedded defaults; Ctrl-C (or SIGTERM) stops all
three. Production runs each process separately (see docker-compose.yml).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _commands(host: str, port: str) -> list[list[str]]:
    bin_dir = Path(sys.executable).parent
    celery = str(bin_dir / "celery")
    return [
        [sys.executable, "manage.py", "runserver", f"{host}:{port}", "--noreload"],
        [celery, "-A", "kdla_portal", "worker", "--loglevel=INFO", "--pool=solo"],
        [
            celery, "-A", "kdla_portal", "beat", "--loglevel=INFO", "--pidfile=",
            "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler",
        ],
    ]  # fmt: skip


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 10
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> int:
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    processes = [subprocess.Popen(command, cwd=ROOT) for command in _commands(host, port)]

    def handle_stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handle_stop)
    print(f"\nKDLA Learning Portal: http://{host}:{port}/  (review site: /admin/)", flush=True)
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        print("A process stopped; stopping the others.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping the web server, worker and beat…", flush=True)
        return 0
    finally:
        _stop(processes)


if __name__ == "__main__":
    sys.exit(main())
