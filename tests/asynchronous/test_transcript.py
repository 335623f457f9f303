"""Approved asynchronous courses on the person's transcript."""

from decimal import Decimal

import pytest
from django.urls import reverse

from courses.models import AsyncCompletion
from tests.asynchronous.factories import AsyncCompletionFactory, make_reviewer
from training.selectors import async_completions_for_transcript
from training.services import async_completion_decide


@pytest.mark.django_db
def test_the_transcript_marks_approved_courses_as_asynchronous_with_the_provider(client):
    completion = AsyncCompletionFactory(course_title="Data Literacy for Librarians")
    AsyncCompletionFactory(
        user=completion.user,
        registration=completion.registration,
        course_title="Still Awaiting Review",
    )
    async_completion_decide(completion=completion, approve=True, note="", reviewer=make_reviewer())
    client.force_login(completion.user)
    content = client.get(reverse("transcript")).content.decode()
    section = content[content.index("Asynchronous courses") :]
    assert "Data Literacy for Librarians" in section
    assert "Coursera" in section
    assert "Asynchronous</span>" in section
    assert "Part Time Certification- Renewal credits" in section
    assert "Still Awaiting Review" not in content


@pytest.mark.django_db
def test_the_transcript_selector_returns_only_the_persons_approved_courses():
    mine = AsyncCompletionFactory(
        status=AsyncCompletion.Status.APPROVED, decided_at="2026-03-01T10:00Z"
    )
    AsyncCompletionFactory(status=AsyncCompletion.Status.APPROVED, decided_at="2026-03-01T10:00Z")
    assert list(async_completions_for_transcript(mine.user)) == [mine]
    assert mine.hours == Decimal("12")


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 20])
def test_the_transcript_section_runs_one_query(django_assert_num_queries, rows):
    completion = AsyncCompletionFactory()
    for _ in range(rows):
        AsyncCompletionFactory(
            user=completion.user,
            registration=completion.registration,
            status=AsyncCompletion.Status.APPROVED,
            decided_at="2026-03-01T10:00Z",
        )
    with django_assert_num_queries(1):
        rows_loaded = [
            (c.provider.name, c.registration.credential_type.display_label)
            for c in async_completions_for_transcript(completion.user)
        ]
    assert len(rows_loaded) == rows
