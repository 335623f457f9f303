"""The reviewers' overview on the review site's front page."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.utils import timezone

from certifications.models import ExternalFile
from credits.models import CreditRequest
from review.overview import (
    median_by_percentile,
    median_by_sorting,
    queue_summary,
    times_to_decision,
)
from review.queues import queue_for
from tests.factories import UserFactory, recorded_reviewer
from tests.reviews.builders import (
    application,
    application_type,
    pending_credit_request,
    pending_file,
    renewal_cycle,
    reviewer,
)

pytestmark = pytest.mark.django_db
EASTERN = datetime.timezone(datetime.timedelta(hours=-5))
NOW = datetime.datetime(2026, 6, 15, 12, tzinfo=EASTERN)


def decided_file(credential_type, *, received_days_ago, decided_days_ago):
    external_file = pending_file(
        application(credential_type=credential_type),
        submitted_at=NOW - datetime.timedelta(days=received_days_ago),
    )
    ExternalFile.objects.filter(pk=external_file.pk).update(
        status=ExternalFile.Status.APPROVED,
        decided_at=NOW - datetime.timedelta(days=decided_days_ago),
        decided_by=recorded_reviewer(),
    )
    return external_file


@time_machine.travel(NOW, tick=False)
def test_it_counts_the_waiting_files_and_finds_the_oldest():
    shared = application_type()
    pending_file(
        application(credential_type=shared), submitted_at=NOW - datetime.timedelta(days=12)
    )
    pending_file(application(credential_type=shared), submitted_at=NOW - datetime.timedelta(days=2))
    decided_file(shared, received_days_ago=40, decided_days_ago=35)

    summary = queue_summary(queue_for("certifications.ExternalFile"))

    assert summary.waiting == 2
    assert timezone.localdate(summary.oldest_at) == datetime.date(2026, 6, 3)
    assert summary.oldest_age_days == 12


@time_machine.travel(NOW, tick=False)
def test_it_takes_the_median_over_the_last_30_days():
    shared = application_type()
    decided_file(shared, received_days_ago=10, decided_days_ago=9)  # 1 day
    decided_file(shared, received_days_ago=10, decided_days_ago=7)  # 3 days
    decided_file(shared, received_days_ago=20, decided_days_ago=10)  # 10 days
    decided_file(shared, received_days_ago=30, decided_days_ago=6)  # 24 days
    decided_file(shared, received_days_ago=90, decided_days_ago=31)  # outside the window

    assert queue_summary(queue_for("certifications.ExternalFile")).median_days_to_decision == 6.5
    decided = times_to_decision(
        ExternalFile, received_field="submitted_at", since=NOW - datetime.timedelta(days=30)
    )
    assert median_by_percentile(decided) == datetime.timedelta(days=6.5)
    assert median_by_sorting(decided) == datetime.timedelta(days=6.5)
    assert median_by_sorting(
        decided.exclude(decided_at__lte=NOW - datetime.timedelta(days=10))
    ) == (datetime.timedelta(days=3))


@time_machine.travel(NOW, tick=False)
def test_it_summarises_credit_requests():
    cycle = renewal_cycle()
    pending_credit_request(cycle, submitted_at=NOW - datetime.timedelta(days=4))
    decided = pending_credit_request(cycle, submitted_at=NOW - datetime.timedelta(days=3))
    CreditRequest.objects.filter(pk=decided.pk).update(
        status="APPROVED",
        approved_credits=Decimal("20"),
        decided_at=NOW,
        decided_by=recorded_reviewer(),
    )

    summary = queue_summary(queue_for("credits.CreditRequest"))

    assert (summary.waiting, summary.oldest_age_days, summary.median_days_to_decision) == (
        1,
        4,
        3.0,
    )


@time_machine.travel(NOW, tick=False)
def test_the_front_page_shows_the_overview(client):
    client.force_login(reviewer())
    pending_file(application(), submitted_at=NOW - datetime.timedelta(days=5))
    page = client.get("/admin/").content.decode()

    assert "Reviewer overview" in page
    assert (
        'href="/admin/certifications/externalfile/?status__exact=PENDING">Files awaiting review'
        in page
    )
    assert (
        'href="/admin/credits/creditrequest/?status__exact=PENDING">Credit requests awaiting review'
        in page
    )
    assert "06/10/2026 (5 days waiting)" in page
    assert "None waiting" in page
    assert "No decisions yet" in page


def test_the_overview_is_empty_without_review_permissions(client):
    person = UserFactory(is_staff=True)
    person.user_permissions.add(Permission.objects.get(codename="view_library"))
    client.force_login(person)
    page = client.get("/admin/").content.decode()
    assert "Reviewer overview" not in page


def test_the_front_page_shows_every_queue_the_reviewer_may_see(client):
    from tests.asynchronous.factories import AsyncCompletionFactory

    AsyncCompletionFactory()
    robin = reviewer()
    client.force_login(robin)

    page = client.get("/admin/").content.decode()

    for title in (
        "Files awaiting review",
        "Credit requests awaiting review",
        "Course approval requests awaiting review",
        "Asynchronous completions awaiting review",
        "Name changes awaiting review",
    ):
        assert title in page
    assert "/admin/courses/asynccompletion/?status__exact=PENDING" in page


def test_the_front_page_leaves_out_queues_the_person_may_not_see(client):
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_creditrequest"))
    client.force_login(clerk)

    page = client.get("/admin/").content.decode()

    assert "Credit requests awaiting review" in page
    assert "Files awaiting review" not in page
    assert "Name changes awaiting review" not in page
