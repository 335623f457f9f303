"""The nightly clean-up removes stored files that no record names, once a day old, and keeps
everything a record (or its History) still names."""

from __future__ import annotations

import datetime
import os
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from certificates.models import NameChangeRequest
from certificates.name_changes import name_change_request
from documents.orphans import ORPHAN_GRACE, file_columns, remove_orphan_files
from kdla_portal.celery import app
from tests.factories import UserFactory
from tests.fixtures.documents import PDF_BYTES
from tests.fixtures.registrations import stored_files

pytestmark = pytest.mark.django_db


def stored(name: str, *, age: datetime.timedelta) -> str:
    """A file in private storage, last modified ``age`` ago."""
    saved = default_storage.save(name, ContentFile(PDF_BYTES))
    moment = (timezone.now() - age).timestamp()
    os.utime(default_storage.path(saved), (moment, moment))
    return saved


def name_change_with_proof() -> NameChangeRequest:
    from django.core.files.uploadedfile import SimpleUploadedFile

    person = UserFactory(first_name="Ada", last_name="Byron")
    return name_change_request(
        user=person,
        first_name="Ada",
        last_name="Lovelace",
        proof=SimpleUploadedFile("proof.pdf", PDF_BYTES, content_type="application/pdf"),
    )


def age_everything(age: datetime.timedelta) -> None:
    moment = (timezone.now() - age).timestamp()
    for path in stored_files():
        os.utime(path, (moment, moment))


def test_it_removes_an_old_file_no_record_names_and_keeps_a_named_one():
    named = name_change_with_proof()
    orphan = stored("external-files/left-behind.pdf", age=datetime.timedelta(days=2))
    age_everything(datetime.timedelta(days=3))

    report = remove_orphan_files()

    assert report.examined == 2
    assert report.orphans == [orphan]
    assert report.removed == 1
    assert not default_storage.exists(orphan)
    assert default_storage.exists(named.proof.name)


def test_it_keeps_a_file_younger_than_the_grace_period():
    young = stored("credit-documentation/in-flight.pdf", age=ORPHAN_GRACE / 2)

    report = remove_orphan_files()

    assert report.orphans == []
    assert default_storage.exists(young)


def test_it_keeps_a_file_only_a_history_row_still_names():
    name_change = name_change_with_proof()
    old_name = name_change.proof.name
    # The row now names another file; its History still names the first.
    name_change.proof.name = stored("name-change-proofs/newer.pdf", age=datetime.timedelta(0))
    name_change.save()
    age_everything(datetime.timedelta(days=3))

    report = remove_orphan_files()

    assert report.removed == 0
    assert default_storage.exists(old_name)


def test_a_dry_run_counts_and_removes_nothing():
    orphan = stored("completion-proofs/left-behind.pdf", age=datetime.timedelta(days=5))
    out = StringIO()

    call_command("clean_orphan_files", "--dry-run", stdout=out)

    assert default_storage.exists(orphan)
    assert orphan in out.getvalue()
    assert "1 of 1 stored files are named by no record and would be removed" in out.getvalue()

    out = StringIO()
    call_command("clean_orphan_files", stdout=out)
    assert not default_storage.exists(orphan)
    assert "Removed 1 of 1 stored files" in out.getvalue()


def test_it_asks_the_database_in_batches_not_per_file(django_assert_num_queries, settings):
    for number in range(30):
        stored(f"external-files/orphan-{number}.pdf", age=datetime.timedelta(days=2))
    columns = len(file_columns())

    with django_assert_num_queries(columns):  # one batch: one query per file column
        report = remove_orphan_files()

    assert report.removed == 30
    assert stored_files() == []


def test_every_file_column_and_its_history_is_consulted():
    columns = {(model._meta.label, column) for model, column in file_columns()}
    assert ("certifications.ExternalFile", "file") in columns
    assert ("certifications.HistoricalExternalFile", "file") in columns
    assert ("credits.CreditRequest", "documentation") in columns
    assert ("courses.AsyncCompletion", "proof") in columns
    assert ("courses.CourseApprovalRequest", "syllabus") in columns
    assert ("certifications.DocumentType", "blank_form") in columns
    assert ("certificates.NameChangeRequest", "proof") in columns


def test_the_clean_up_runs_every_night(migration_installed_data):
    app.loader.import_default_modules()  # what a worker does at start: find every tasks.py
    task = PeriodicTask.objects.get(name="KDLA stored-file clean-up")
    assert task.task in app.tasks
    assert (task.crontab.hour, task.crontab.minute) == ("3", "15")
    assert str(task.crontab.timezone) == "America/New_York"
