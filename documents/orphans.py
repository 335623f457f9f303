"""The daily clean-up of stored files that no row names.

An upload path removes its file when its own transaction fails (see
:mod:`documents.stored_files`), but a worker killed between the write and the commit, or a
caller's transaction rolled back afterwards, leaves a file behind. This job lists the private
storage, asks the database in batches which of the listed names some row still holds — every
``FileField`` of every model, and the same columns of their History models, since the record
keeps a decided file even when a newer one replaced it — and deletes the rest once they are
older than the grace period (a file younger than that may belong to an upload still in
flight).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.storage import Storage, default_storage
from django.db import models
from django.utils import timezone

# An upload in flight writes its file moments before its row; a day is far beyond that.
ORPHAN_GRACE = datetime.timedelta(days=1)
# Names asked about per query: one query per file column per batch.
BATCH_SIZE = 500


@dataclass
class OrphanReport:
    examined: int = 0
    orphans: list[str] = field(default_factory=list)
    removed: int = 0
    dry_run: bool = False

    def summary(self) -> str:
        if self.dry_run:
            return (
                f"{len(self.orphans)} of {self.examined} stored files are named by no record "
                "and would be removed (dry run: nothing was removed)."
            )
        return f"Removed {self.removed} of {self.examined} stored files that no record names."


def file_columns() -> list[tuple[type[models.Model], str]]:
    """Every (model, column) that may hold a stored file's name."""
    columns: list[tuple[type[models.Model], str]] = []
    for model in apps.get_models():
        # simple-history copies a FileField into its History model as a text column.
        source = getattr(model, "instance_type", model)
        for model_field in source._meta.get_fields():
            if isinstance(model_field, models.FileField):
                columns.append((model, model_field.attname))
    return columns


def stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file in ``storage`` under ``folder``, depth first."""
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for child in folders:
        yield from stored_names(storage, f"{folder}/{child}" if folder else child)


def _named_by_some_row(names: list[str], columns: list[tuple[type[models.Model], str]]) -> set:
    named: set[str] = set()
    for model, column in columns:
        named.update(
            model._default_manager.filter(**{f"{column}__in": names}).values_list(column, flat=True)
        )
    return named


def _batches(names: Iterator[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for name in names:
        batch.append(name)
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def remove_orphan_files(
    *,
    dry_run: bool = False,
    storage: Storage | None = None,
    now: datetime.datetime | None = None,
) -> OrphanReport:
    """Delete stored files that no row names and that are older than :data:`ORPHAN_GRACE`."""
    storage = storage or default_storage
    cutoff = (now or timezone.now()) - ORPHAN_GRACE
    columns = file_columns()
    report = OrphanReport(dry_run=dry_run)
    for batch in _batches(stored_names(storage)):
        report.examined += len(batch)
        named = _named_by_some_row(batch, columns)
        for name in batch:
            if name in named or storage.get_modified_time(name) > cutoff:
                continue
            report.orphans.append(name)
            if not dry_run:
                storage.delete(name)
                report.removed += 1
    return report
