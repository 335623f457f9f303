"""SCORM interactions (``cmi.interactions.n``) read from the runtime data a commit carries, and
stored as rows of their own (``ScormInteraction``) so reviewers can read them.

What the player posts is scorm-again's rendering of the data model (``{"cmi": {...}}``, the
``cmi`` level optional, or flattened ``{"cmi.interactions.0.id": ...}``). Its lists
(interactions, and each interaction's objectives and correct responses) come as an object keyed
``"0"``, ``"1"``, …; a plain list and an object holding a ``childArray`` list are read too.
SCORM 1.2 names ``student_response`` and ``time`` what SCORM 2004 names ``learner_response`` and
``timestamp``; both are read, whatever the package's standard.

Reading never fails a commit: the data is the package's, and a learner's progress matters more
than one odd answer record. What cannot be stored is left out, and the rest kept:

- **left out** (no row): an entry that is not an object; an entry without an id (SCORM requires
  the id to be set first); an index that is not a whole number, or beyond the first
  ``MAX_INTERACTIONS``;
- **kept with the field blank**: a value that is an object, a list, true/false or null where
  text is due; a type outside SCORM's vocabulary; a weighting that is not a number within
  SCORM's ``real(10,7)`` (blank, not zero); a timestamp that is not a valid ISO 8601 date and
  time (its text is kept, its parsed time left blank);
- **clipped**: text beyond SCORM 2004's smallest permitted maximum (``FIELD_LIMITS``); more than
  ``MAX_LISTED`` correct responses or objectives.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple, dataclass, fields
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from courses.models import ScormInteraction

MAX_INTERACTIONS = 250
# SCORM 2004 allows at most 10 correct responses (choice) and 10 objectives per interaction.
MAX_LISTED = 10
# SCORM 2004 4th edition's smallest permitted maximums (long_identifier_type 4000, description
# 250, long-fill-in 4000); SCORM 1.2's are smaller (255), so they fit.
FIELD_LIMITS = {
    "interaction_id": 4000,
    "description": 250,
    "learner_response": 4000,
    "pattern": 4000,
    "objective_id": 4000,
    "result": 30,
    "latency": 30,
    "timestamp_text": 30,
}
INTERACTION_TYPES = frozenset(
    [
        "true-false",
        "choice",
        "fill-in",
        "long-fill-in",
        "matching",
        "performance",
        "sequencing",
        "likert",
        "numeric",
        "other",
    ]
)
WEIGHTING_PLACES = Decimal("0.0000001")
WEIGHTING_LIMIT = Decimal(10) ** 10
FLATTENED_PREFIX = "cmi.interactions."


@dataclass(frozen=True)
class InteractionRecord:
    """One interaction as it will be stored."""

    index: int
    interaction_id: str
    interaction_type: str
    description: str
    learner_response: str
    correct_responses: tuple[str, ...]
    result: str
    weighting: Decimal | None
    latency: str
    timestamp_text: str
    timestamp: datetime | None
    objective_ids: tuple[str, ...]


def scorm_interactions_read(cmi: dict[str, Any]) -> list[InteractionRecord]:
    """The interactions the committed data carries, in index order, bounded and clipped as the
    module's docstring says; an empty list when it carries none."""
    records = []
    for index, entry in _listed(_interactions_node(cmi)):
        if index >= MAX_INTERACTIONS:
            continue
        record = _record(index, entry)
        if record is not None:
            records.append(record)
    return records


def scorm_interactions_digest(records: list[InteractionRecord]) -> str:
    """A short fingerprint of the records: a commit whose interactions have the same one as
    those already stored writes no rows."""
    text = json.dumps([astuple(record) for record in records], default=str)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


RECORD_FIELDS = [field.name for field in fields(InteractionRecord)]


def scorm_interactions_store(
    *, attempt_id: int, sequence: int, records: list[InteractionRecord]
) -> None:
    """Writes the records as the attempt's rows in one statement: an index already stored is
    updated, a new one added, rows of indexes the commit no longer carries are kept.

    ``INSERT … ON CONFLICT (attempt, index) DO UPDATE … WHERE stored.commit_sequence <
    EXCLUDED.commit_sequence``: a row is only ever replaced by a newer commit's, so two commits
    of one attempt in flight at once cannot leave the older one's interactions last. Written
    in SQL because ``bulk_create(update_conflicts=True)`` takes no condition; PostgreSQL and
    SQLite (``make run``) both accept it."""
    if not records:
        return
    now = timezone.now()
    rows = [
        ScormInteraction(
            attempt_id=attempt_id,
            commit_sequence=sequence,
            recorded_at=now,
            **{
                name: list(value) if isinstance(value, tuple) else value
                for name, value in zip(RECORD_FIELDS, astuple(record), strict=True)
            },
        )
        for record in records
    ]
    opts = ScormInteraction._meta
    columns = [field for field in opts.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    names = [quote(field.column) for field in columns]
    keys = {quote(opts.get_field("attempt").column), quote(opts.get_field("index").column)}
    one_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = (
        f"INSERT INTO {table} ({', '.join(names)}) VALUES {', '.join([one_row] * len(rows))} "
        f"ON CONFLICT ({', '.join(sorted(keys))}) DO UPDATE SET "
        + ", ".join(f"{name} = EXCLUDED.{name}" for name in names if name not in keys)
        + f" WHERE {table}.{quote('commit_sequence')} < EXCLUDED.{quote('commit_sequence')}"
    )
    params = [
        field.get_db_prep_save(getattr(row, field.attname), connection)
        for row in rows
        for field in columns
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _interactions_node(cmi: dict[str, Any]) -> Any:
    root = cmi["cmi"] if isinstance(cmi.get("cmi"), dict) else cmi
    if "interactions" in root:
        return root["interactions"]
    if any(isinstance(key, str) and key.startswith(FLATTENED_PREFIX) for key in cmi):
        return _unflattened(cmi)
    return None


def _unflattened(cmi: dict[str, Any]) -> dict[str, Any]:
    """``{"cmi.interactions.0.id": "q1", "cmi.interactions.0.objectives.0.id": "o"}`` as the
    nested form."""
    nested: dict[str, Any] = {}
    for key, value in cmi.items():
        if not isinstance(key, str) or not key.startswith(FLATTENED_PREFIX):
            continue
        *path, last = key.removeprefix(FLATTENED_PREFIX).split(".")
        node = nested
        for part in path:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                break
            node = child
        else:
            node[last] = value
    return nested


def _listed(node: Any) -> list[tuple[int, Any]]:
    """The entries of a SCORM list in any of the forms scorm-again renders, with their index;
    keys that are not indexes (``_count``, ``_children``) are skipped."""
    if isinstance(node, dict) and isinstance(node.get("childArray"), list):
        node = node["childArray"]
    if isinstance(node, list):
        return list(enumerate(node))
    if not isinstance(node, dict):
        return []
    entries = [
        (int(key), value)
        for key, value in node.items()
        if isinstance(key, str) and key.isascii() and key.isdecimal() and len(key) <= 6
    ]
    return sorted(entries, key=lambda entry: entry[0])


def _field(entry: dict[str, Any], *names: str) -> Any:
    """The entry's value under the first of ``names`` present; scorm-again's objects keep some
    values under a leading underscore (``_pattern``) when serialised without their toJSON."""
    for name in names:
        for key in (name, f"_{name}"):
            if key in entry:
                return entry[key]
    return None


def _text(value: Any, limit: int) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    return str(value)[:limit]


def _listed_texts(node: Any, key: str, limit: int) -> tuple[str, ...]:
    texts = []
    for _index, item in _listed(node)[:MAX_LISTED]:
        value = _field(item, key) if isinstance(item, dict) else item
        texts.append(_text(value, limit))
    return tuple(texts)


def _weighting(value: Any) -> Decimal | None:
    text = _text(value, 40).strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) >= WEIGHTING_LIMIT:
        return None
    number = number.quantize(WEIGHTING_PLACES)  # may round up to the limit
    return number if abs(number) < WEIGHTING_LIMIT else None


def _timestamp(text: str) -> datetime | None:
    """SCORM 2004's ``timestamp`` as an aware time; one given without a zone is taken in the
    portal's time zone. SCORM 1.2's ``time`` (a time of day with no date) gives none."""
    try:
        parsed = parse_datetime(text.strip())
    except ValueError:
        return None
    if parsed is None:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _record(index: int, entry: Any) -> InteractionRecord | None:
    if not isinstance(entry, dict):
        return None
    interaction_id = _text(_field(entry, "id"), FIELD_LIMITS["interaction_id"]).strip()
    if not interaction_id:
        return None
    interaction_type = _text(_field(entry, "type"), 20).strip()
    timestamp_text = _text(_field(entry, "timestamp", "time"), FIELD_LIMITS["timestamp_text"])
    return InteractionRecord(
        index=index,
        interaction_id=interaction_id,
        interaction_type=interaction_type if interaction_type in INTERACTION_TYPES else "",
        description=_text(_field(entry, "description"), FIELD_LIMITS["description"]),
        learner_response=_text(
            _field(entry, "learner_response", "student_response"),
            FIELD_LIMITS["learner_response"],
        ),
        correct_responses=_listed_texts(
            _field(entry, "correct_responses"), "pattern", FIELD_LIMITS["pattern"]
        ),
        result=_text(_field(entry, "result"), FIELD_LIMITS["result"]),
        weighting=_weighting(_field(entry, "weighting")),
        latency=_text(_field(entry, "latency"), FIELD_LIMITS["latency"]),
        timestamp_text=timestamp_text,
        timestamp=_timestamp(timestamp_text),
        objective_ids=_listed_texts(
            _field(entry, "objectives"), "id", FIELD_LIMITS["objective_id"]
        ),
    )
