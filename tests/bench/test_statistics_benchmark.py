"""The statistics benchmark on a few hundred people, so it keeps working: scale data, the
activity on top of it, the hand-written floor and the timed requests with their query counts."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone

from bench.run_statistics_benchmark import FLOOR_QUERIES, floor_statistics, format_report, measure
from bench.scale_data import seed_scale
from bench.statistics_data import seed_statistics_activity, statistics_activity_exists
from courses.models import AsyncCompletion, Enrollment
from credits.models import CreditRequest
from portal.statistics import statewide_statistics


@pytest.mark.django_db
def test_the_statistics_benchmark_measures_the_pages_against_the_floor(migration_installed_data):
    cache.clear()
    today = timezone.localdate()
    seed_scale(people=300, registrations=1200, today=today, progress=False)
    seed_statistics_activity(today=today)
    assert statistics_activity_exists()
    assert Enrollment.objects.filter(status=Enrollment.Status.COMPLETED).count() > 300
    assert CreditRequest.objects.exists()
    assert AsyncCompletion.objects.exists()

    queries, rows = floor_statistics()
    assert queries == len(FLOOR_QUERIES)
    assert rows > 120  # one row per library system at least

    timings = measure(runs=1)
    by_name = {timing.name: timing for timing in timings}
    # The same figures; the page adds the review site's menu (two permission queries).
    assert by_name["statewide page, computed"].queries == 25
    assert by_name["CSV of compliance by county, computed"].queries == 23
    assert by_name["statewide page, cached"].queries < by_name["statewide page, computed"].queries
    assert all(len(timing.seconds) == 1 for timing in timings)
    report = format_report(timings, people=300, registrations=1200)
    assert "ratio to floor" in report

    # The scale data's libraries are one per Kentucky county (a few may draw no staff).
    counties = statewide_statistics().table("compliance-by-county").rows
    assert len(counties) == 120
    assert sum(1 for row in counties if row[1] != 0) > 100
