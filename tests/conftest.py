"""Fixtures shared by the whole suite. Services are real: see tests/services.py."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from tests.services import (
    CHROMIUM_ARGS,
    CHROMIUM_PATH,
    chromium_available,
    redis_server,
    service_missing,
)

# Playwright's sync API runs an event loop in the test thread; Django's live_server and ORM
# calls from the test are still synchronous, so allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Each test writes uploads and emails to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media"), "base_url": None},
        },
    }
    settings.SITE_URL = "http://portal.test"


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture(scope="session", autouse=True)
def _celery_runs_tasks_inline():
    """Without a worker fixture, tasks run inline so no message is left on a broker."""
    from kdla_portal.celery import app

    app.conf.update(
        task_always_eager=True, task_eager_propagates=True, result_backend="cache+memory://"
    )


@pytest.fixture(scope="session")
def _celery_worker(redis_url: str, django_db_setup, django_db_blocker):
    """A real Celery worker thread consuming from the real Redis broker.

    Tests that use it must be ``@pytest.mark.django_db(transaction=True)`` so the worker's
    own database connection sees their rows.
    """
    from celery.contrib.testing.worker import start_worker

    from kdla_portal.celery import app

    queue = f"kdla-test-{uuid.uuid4().hex[:8]}"  # parallel runs on one Redis never share tasks
    app.conf.update(
        broker_url=redis_url,
        result_backend=redis_url,
        task_default_queue=queue,
        broker_transport_options={"polling_interval": 0.05},
        result_backend_transport_options={},
        # A test asks for the tasks it wants; no catch-up run at worker start.
        worker_catch_up_on_start=False,
    )
    # Queues and the producer pool are built once from conf; rebuild them for the new broker.
    app.__dict__.pop("amqp", None)
    app._pool = None
    _forget_result_backend(app)
    with (
        django_db_blocker.unblock(),
        start_worker(
            app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10
        ),
    ):
        yield app


@pytest.fixture
def celery_worker_app(_celery_worker):
    """A real Celery worker through real Redis for this test (tasks are not run inline)."""
    app = _celery_worker
    app.conf.task_always_eager = False
    _forget_result_backend(app)
    yield app
    app.conf.task_always_eager = True


def _forget_result_backend(app) -> None:
    """Celery caches the result backend per thread; drop it so the next access reads conf."""
    app._local.__dict__.pop("backend", None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not chromium_available():
        service_missing(f"Chromium is not installed at {CHROMIUM_PATH}")
    return {**browser_type_launch_args, "executable_path": CHROMIUM_PATH, "args": CHROMIUM_ARGS}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-US", "timezone_id": "America/New_York"}


DATA_MIGRATIONS = [
    ("accounts.migrations.0002_kdla_reviewers_group", "create_reviewers_group"),
    ("accounts.migrations.0004_kentucky_counties", "load_counties"),
    ("courses.migrations.0003_load_approved_async_sources", "load_approved_async_sources"),
    ("certifications.migrations.0002_daily_deadlines_schedule", "install_schedule"),
    ("certifications.migrations.0003_notifications_to_outbox", "install_catch_up_schedule"),
    ("notifications.migrations.0002_delivery_sweep_schedule", "install_sweep"),
    ("documents.migrations.0001_orphan_file_cleanup_schedule", "install_cleanup"),
    ("courses.migrations.0011_scorm_interactions", "grant"),
    ("courses.migrations.0013_completions_recorded_by_hand", "grant"),
    ("courses.migrations.0014_live_session_trainers", "create_trainers_group"),
]


@pytest.fixture
def migration_installed_data(db) -> None:
    """Rows the data migrations install (reviewers group, approved sources, beat schedule).

    Transactional tests empty every table when they end, so a test that reads these rows runs
    the migrations' own (idempotent) forward steps again first.
    """
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    # The historical models the migrations were written against, as `migrate` passes them.
    migration_apps = MigrationLoader(connection).project_state().apps
    for module, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(migration_apps, None)


# Fixtures that start Redis or a Celery worker; a test that asks for one is not in the fast lane.
_WORKER_FIXTURES = {"redis_url", "_celery_worker", "celery_worker_app"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark browser, worker and benchmark tests at collection time, so `make test-fast`
    (``-m "not e2e and not celery_worker and not bench"``) can leave them out."""
    for item in items:
        path = str(item.path)
        fixtures = set(getattr(item, "fixturenames", ()))
        if "/tests/e2e/" in path:
            item.add_marker(pytest.mark.e2e)
        if "/tests/bench/" in path:
            item.add_marker(pytest.mark.bench)
        if fixtures & _WORKER_FIXTURES:
            item.add_marker(pytest.mark.celery_worker)
