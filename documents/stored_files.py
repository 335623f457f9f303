"""Writing an uploaded file together with the row that names it.

Storage is not transactional: a file written before a failed INSERT or a rolled-back
transaction stays on disk (or in the bucket) with nothing pointing at it. Upload services wrap
the write and the row in :func:`file_removed_on_failure`, which deletes the file again when
anything in the block fails. What no block can see — a transaction rolled back later by a
caller, a worker killed between the write and the commit — the daily clean-up in
:mod:`documents.orphans` removes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models.fields.files import FieldFile


@contextmanager
def file_removed_on_failure(field_file: FieldFile) -> Iterator[FieldFile]:
    """Delete the file ``field_file`` names if the block raises (the error is re-raised)."""
    try:
        yield field_file
    except BaseException:
        # An upload not yet written carries the person's own file name: nothing to delete.
        if field_file.name and field_file._committed:
            field_file.storage.delete(field_file.name)
        raise
