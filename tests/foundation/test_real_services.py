"""The suite runs on the same real parts production uses."""

import pytest
from django.core import mail
from django.db import connection

from tests.factories import UserFactory


@pytest.mark.django_db
def test_it_runs_on_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_it_runs_a_task_on_a_real_worker_through_redis(celery_worker_app, redis_url):
    from accounts.emails import queue_welcome
    from notifications.tasks import deliver_outbox

    assert celery_worker_app.conf.broker_url.startswith("redis://")
    user = UserFactory(email="new.person@example.org", first_name="Dana")
    queue_welcome(user=user)  # asks the worker to deliver once committed (autocommit: now)
    result = deliver_outbox.delay()
    result.get(timeout=20)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    assert "Dana" in mail.outbox[0].body
