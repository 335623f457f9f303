"""The benchmark and its data generator, on a tiny data set so they keep working."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from bench.run_sweep_benchmark import format_report, measure
from certifications.models import ExternalFile, Registration

pytestmark = pytest.mark.django_db(transaction=True)
DAY = datetime.date(2027, 3, 11)


def test_seed_scale_creates_people_registrations_and_files():
    out = StringIO()

    call_command(
        "seed_scale",
        "--people",
        "300",
        "--registrations",
        "2000",
        "--today",
        "2027-03-11",
        verbosity=0,
        stdout=out,
    )

    assert "Created 300 people and 2,000 registrations around 03/11/2027." in out.getvalue()
    assert Registration.objects.count() == 2000
    open_statuses = Registration.objects.filter(status__in=Registration.OPEN_STATUSES)
    assert open_statuses.exists()
    assert ExternalFile.objects.filter(status=ExternalFile.Status.PENDING).exists()
    with pytest.raises(CommandError, match="already holds scale data"):
        call_command("seed_scale", "--people", "10", "--registrations", "20", verbosity=0)


def test_the_sweep_benchmark_measures_floor_sweep_and_daily_run():
    call_command(
        "seed_scale",
        "--people",
        "400",
        "--registrations",
        "2600",
        "--today",
        "2027-03-11",
        verbosity=0,
        stdout=StringIO(),
    )

    # Three days after the day the data is shaped around: a few days of closed windows wait.
    report = measure(today=DAY + datetime.timedelta(days=3), runs=1)

    assert report.floor.rows > 0
    assert report.sweep.rows == report.floor.rows
    assert report.floor.queries == 1
    assert 0 < report.sweep.queries <= 10
    assert report.backlog.rows >= report.sweep.rows
    assert report.daily_run is not None and report.emails > 0
    # Every timed run was rolled back: the data is as seeded.
    assert not Registration.objects.filter(lapsed_on__gte=DAY).exists()
    assert "ratio  sweep / floor" in format_report(report)
