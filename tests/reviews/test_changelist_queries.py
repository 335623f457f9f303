"""The review site's lists run the same number of queries with 10 rows as with 500."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Library, User
from certifications.models import ExternalFile, NoticeKind, Registration
from courses.models import Enrollment
from credits.models import CreditRequest
from notifications.models import OutboxMessage
from review.queues import registered_queues
from tests.factories import CourseFactory, DocumentTypeFactory, LibraryFactory
from tests.reviews.builders import application_type, renewal_credits_type, reviewer

pytestmark = pytest.mark.django_db

PAGES = [
    "/admin/",
    "/admin/accounts/user/",
    "/admin/accounts/user/?q=person",
    "/admin/accounts/library/",
    "/admin/certifications/registration/",
    "/admin/certifications/registration/?status__exact=ACTIVE&county=County+1",
    "/admin/certifications/externalfile/",
    "/admin/certifications/externalfile/?status__exact=PENDING",
    "/admin/credits/creditrequest/",
    "/admin/credits/creditrequest/?status__exact=PENDING",
    "/admin/courses/enrollment/",
    "/admin/notifications/outboxmessage/",
]


def add_people_with_records(count: int, *, application_rules) -> None:
    """``count`` people, each with an application (a file awaiting review), a renewal cycle
    (a credit request awaiting review), a completed course and a sent email in the outbox."""
    start = User.objects.count()
    libraries = [LibraryFactory() for _ in range(3)]
    people = User.objects.bulk_create(
        User(
            email=f"bulk{start + n}@example.org",
            first_name=f"First{n}",
            last_name=f"Last{n}",
            library=libraries[n % 3],
            password="!",
        )
        for n in range(count)
    )
    renewal_rules = renewal_credits_type()
    document_type = DocumentTypeFactory()
    today = timezone.localdate()
    applications = Registration.objects.bulk_create(
        Registration(
            user=person,
            credential_type=application_rules,
            credential_code=application_rules.code,
            status=Registration.Status.PENDING_REVIEW,
            cycle_start=today,
            cycle_end=today + datetime.timedelta(days=60),
            upload_due_on=today + datetime.timedelta(days=30),
        )
        for person in people
    )
    cycles = Registration.objects.bulk_create(
        Registration(
            user=person,
            credential_type=renewal_rules,
            credential_code=renewal_rules.code,
            cycle_start=today - datetime.timedelta(days=10),
            cycle_end=today + datetime.timedelta(days=1800),
        )
        for person in people
    )
    ExternalFile.objects.bulk_create(
        ExternalFile(
            registration=registration,
            document_type=document_type,
            description="Signed application",
            file="external-files/x.pdf",
            original_name="application.pdf",
            content_type="application/pdf",
            size=100,
            uploaded_by=registration.user,
        )
        for registration in applications
    )
    CreditRequest.objects.bulk_create(
        CreditRequest(
            user=cycle.user,
            registration=cycle,
            activity_date=today,
            course="Annual Summation",
            description="CE Activities",
            requested_credits=Decimal("5"),
            documentation="credit-documentation/x.pdf",
            documentation_name="x.pdf",
            documentation_content_type="application/pdf",
        )
        for cycle in cycles
    )
    course = CourseFactory()
    Enrollment.objects.bulk_create(
        Enrollment(user=person, course=course, status="COMPLETED", completed_on=today)
        for person in people
    )
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            key=f"UPLOAD_REMINDER:{registration.pk}:7",
            kind=NoticeKind.UPLOAD_REMINDER,
            recipient=registration.user,
            about_id=registration.pk,
            offset_days=7,
            sent_for=today,
            sent_at=timezone.now(),
        )
        for registration in applications
    )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("signed_in_as", ["reviewer", "superuser"])
def test_the_lists_run_a_fixed_number_of_queries(
    signed_in_as, client, django_assert_max_num_queries
):
    person = (
        reviewer()
        if signed_in_as == "reviewer"
        else User.objects.create_superuser(
            email="admin@example.org", password=None, first_name="Ada", last_name="Admin"
        )
    )
    client.force_login(person)
    application_rules = application_type()
    add_people_with_records(10, application_rules=application_rules)
    small = {url: count_queries(client, url) for url in PAGES}

    add_people_with_records(490, application_rules=application_rules)
    assert Registration.objects.count() == 1000
    assert Library.objects.count() == 6
    for url in PAGES:
        with django_assert_max_num_queries(small[url]):
            response = client.get(url)
        assert response.status_code == 200
        assert count_queries(client, url) == small[url], url
    # The front page reads two aggregates per registered review queue (five queues) for its
    # overview; every other page stays within 10.
    assert small["/admin/"] <= 6 + 2 * len(registered_queues()), small
    assert max(count for url, count in small.items() if url != "/admin/") <= 10, small
