"""The scheduled jobs' credential fixtures, for the catch-up tests."""

from tests.jobs.conftest import application_type  # noqa: F401
