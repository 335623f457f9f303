"""The SCORM commit benchmark on two learners and a fraction of a second per server, so it keeps
working: real gunicorn servers, real sign-ins, commits that are stored, and the report."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from bench.commit_data import seed_commit_learners
from bench.run_commit_benchmark import commit_body, format_report, measure
from bench.run_page_benchmark import database_url
from courses.models import ScormAttempt

# The same count as tests/courses/test_scorm.py pins through the test client.
QUERIES_PER_COMMIT = 3


@pytest.mark.django_db(transaction=True)
def test_the_benchmark_commits_to_each_learners_attempt_and_compares_with_the_floor(tmp_path):
    learners = seed_commit_learners(count=2)
    assert len({learner.attempt.pk for learner in learners}) == 2

    report = measure(
        learners=learners,
        database=database_url(connection.settings_dict),
        duration=0.5,
        rounds=1,
        workers=1,
        work_dir=tmp_path,
    )

    for figures in (report.floor, report.endpoint):
        assert figures.errors == 0, figures.name
        assert figures.commits_per_second > 0, figures.name
        assert figures.median_latency_ms > 0, figures.name
    assert report.endpoint.queries == QUERIES_PER_COMMIT
    assert report.ratio_to_floor > 0
    for attempt in ScormAttempt.objects.filter(pk__in=[one.attempt.pk for one in learners]):
        assert attempt.sequence > 1
        assert attempt.runtime_data["cmi"]["core"]["lesson_status"] == "incomplete"
    table = format_report(report)
    assert "| | commits/s | median latency | ratio to floor | SQL queries per commit |" in table
    assert "| SCORM runtime commit |" in table and f"| {QUERIES_PER_COMMIT} |" in table
    assert "failed commits" not in table


@pytest.mark.django_db
def test_a_second_seeding_starts_the_learners_attempts_over():
    first = seed_commit_learners(count=1)
    ScormAttempt.objects.filter(pk=first[0].attempt.pk).update(sequence=40)

    again = seed_commit_learners(count=2)

    assert again[0].user == first[0].user
    assert [learner.attempt.sequence for learner in again] == [0, 0]
    assert ScormAttempt.objects.count() == 2


def test_the_commit_body_is_a_scorm_12_commit_of_about_one_and_a_half_kilobytes():
    body = json.loads(commit_body(7))

    assert body["sequence"] == 7
    assert body["cmi"]["cmi"]["core"]["lesson_location"] == "8"
    assert 1200 < len(commit_body(7)) < 3000
