"""The SCORM runtime's server side: launching a package, accepting the player's commits and
deciding completion from the committed data.

The commit is the hot path (every few seconds for every learner playing), so it runs a fixed
number of queries: one conditional update (see ``scorm_commit``), and one more, storing the
interactions as rows, only when they changed since the last ones stored.
Commits carry a sequence number; one not newer than the last accepted is refused, so an old
commit replayed (or a second tab's stale one) never overwrites newer progress.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Value
from django.db.models.functions import Greatest
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from courses.models import CourseModule, Enrollment, ScormAttempt, ScormPackage, ScormSco
from courses.services.modules import complete_module_for_enrollment
from courses.services.scorm_interactions import (
    InteractionRecord,
    scorm_interactions_digest,
    scorm_interactions_read,
    scorm_interactions_store,
)

MAX_RUNTIME_DATA_CHARS = 256 * 1024


class StaleCommit(ValidationError):
    """A commit older than the one already accepted."""


COMMIT_KEY_SALT = "courses.scorm-commit"


def scorm_commit_key(*, attempt: ScormAttempt) -> str:
    """A key for the attempt's commit address. The player's final commit may go out with
    ``navigator.sendBeacon``, which cannot carry the CSRF header; the key, known only to the
    page the portal served the learner, stands in for it."""
    return (
        signing.Signer(salt=COMMIT_KEY_SALT)
        .sign(f"{attempt.pk}:{attempt.enrollment.user_id}")
        .split(":", 2)[-1]
    )


def scorm_commit_key_valid(*, attempt_id: int, user: User, key: str) -> bool:
    signer = signing.Signer(salt=COMMIT_KEY_SALT)
    try:
        return signer.unsign(f"{attempt_id}:{user.pk}:{key}") == f"{attempt_id}:{user.pk}"
    except signing.BadSignature:
        return False


def scorm_current_package(*, module: CourseModule) -> ScormPackage | None:
    return ScormPackage.objects.filter(module=module).order_by("-version").first()


def _module_attempts(*, enrollment: Enrollment, module: CourseModule) -> list[ScormAttempt]:
    return list(
        ScormAttempt.objects.filter(enrollment=enrollment, module=module)
        .select_related("package", "sco")
        .order_by("sco__order")
    )


def scorm_module_attempts(*, enrollment: Enrollment, module: CourseModule) -> list[ScormAttempt]:
    """The learner's attempts at the module, one per SCO in the package's order: resumed with
    the package version they started with, or, at the first launch, one for every SCO of the
    current version, all at once, so that a learner's SCOs never mix two versions."""
    if module.course_id != enrollment.course_id:
        raise ValidationError(f"{module.title} is not part of {enrollment.course.title}.")
    attempts = _module_attempts(enrollment=enrollment, module=module)
    if attempts:
        return attempts
    package = scorm_current_package(module=module)
    if package is None:
        raise ValidationError(f"{module.title} has no package yet; check back soon.")
    with transaction.atomic():
        # Two first launches at once (two tabs) are taken one after the other; the second
        # finds the first one's attempts.
        Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()
        attempts = _module_attempts(enrollment=enrollment, module=module)
        if attempts:
            return attempts
        bulk_create_with_history(
            [
                ScormAttempt(enrollment=enrollment, module=module, package=package, sco=sco)
                for sco in package.scos.order_by("order")
            ],
            ScormAttempt,
        )
    return _module_attempts(enrollment=enrollment, module=module)


def scorm_attempt_to_play(
    *, attempts: list[ScormAttempt], sco_order: int | None = None
) -> ScormAttempt:
    """The SCO the player opens: the one asked for; else the unfinished one last worked on,
    else the first unfinished, else the first."""
    if sco_order is not None:
        chosen = next((a for a in attempts if a.sco.order == sco_order), None)
        if chosen is None:
            raise ValidationError(f"This package has no SCO {sco_order}.")
        return chosen
    unfinished = [a for a in attempts if a.completed_at is None]
    worked_on = [a for a in unfinished if a.last_commit_at is not None]
    if worked_on:
        return max(worked_on, key=lambda attempt: attempt.last_commit_at)
    return (unfinished or attempts)[0]


def scorm_next_unfinished(
    *, attempts: list[ScormAttempt], current: ScormAttempt
) -> ScormAttempt | None:
    """The next SCO after ``current`` not yet complete, going round to the start; None when
    every other SCO is complete."""
    position = attempts.index(current)
    following = attempts[position + 1 :] + attempts[:position]
    return next((a for a in following if a.completed_at is None), None)


def scorm_attempt_launch(
    *, enrollment: Enrollment, module: CourseModule, sco_order: int | None = None
) -> ScormAttempt:
    """The attempt the player opens (see ``scorm_module_attempts`` and
    ``scorm_attempt_to_play``)."""
    attempts = scorm_module_attempts(enrollment=enrollment, module=module)
    return scorm_attempt_to_play(attempts=attempts, sco_order=sco_order)


def _value(cmi: dict[str, Any], dotted: str) -> str:
    """A value of the committed data: nested as scorm-again renders it (``{"cmi": {"core":
    {...}}}``, the ``cmi`` level optional) or flattened (``{"cmi.core.lesson_status": ...}``)."""
    if dotted in cmi:
        return str(cmi[dotted])
    node: Any = cmi["cmi"] if isinstance(cmi.get("cmi"), dict) else cmi
    for part in dotted.removeprefix("cmi.").split("."):
        if not isinstance(node, dict) or part not in node:
            return ""
        node = node[part]
    return "" if isinstance(node, dict | list) or node is None else str(node)


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text != "" else None
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class ScormOutcome:
    lesson_status: str
    completion_status: str
    success_status: str
    score_raw: Decimal | None
    score_scaled: Decimal | None
    complete: bool


@dataclass(frozen=True)
class ScormRules:
    """What a SCO's data is judged by: the package's standard and the SCO's own thresholds."""

    standard: str
    mastery_score: Decimal | None
    completion_threshold: Decimal | None
    scaled_passing_score: Decimal | None


def scorm_outcome(*, rules: ScormRules, cmi: dict[str, Any]) -> ScormOutcome:
    """What the server decides from the data: SCORM 1.2 is complete when lesson_status is
    passed or completed (failed is not); SCORM 2004 when completion_status is completed and
    success_status is not failed, with the manifest's completion threshold and passing score
    applied to the progress measure and scaled score when the SCO reports them."""
    if rules.standard == ScormPackage.Standard.SCORM_12:
        status = _value(cmi, "cmi.core.lesson_status")
        raw = _decimal(_value(cmi, "cmi.core.score.raw"))
        if (
            rules.mastery_score is not None
            and raw is not None
            and status
            in (
                "completed",
                "passed",
                "failed",
            )
        ):
            status = "passed" if raw >= rules.mastery_score else "failed"
        return ScormOutcome(status, "", "", raw, None, status in ("passed", "completed"))
    completion = _value(cmi, "cmi.completion_status")
    success = _value(cmi, "cmi.success_status")
    progress = _decimal(_value(cmi, "cmi.progress_measure"))
    scaled = _decimal(_value(cmi, "cmi.score.scaled"))
    if rules.completion_threshold is not None and progress is not None:
        completion = "completed" if progress >= rules.completion_threshold else "incomplete"
    if rules.scaled_passing_score is not None and scaled is not None:
        success = "passed" if scaled >= rules.scaled_passing_score else "failed"
    return ScormOutcome(
        "",
        completion,
        success,
        _decimal(_value(cmi, "cmi.score.raw")),
        scaled,
        completion == "completed" and success != "failed",
    )


NOT_YOURS = "This SCORM attempt is not yours, or it does not exist."


# The rules (standard, mastery score, thresholds) an attempt is judged by: its SCO's. An attempt
# keeps the SCO of the package version it started with and a stored package and its SCOs are
# never edited (a new upload is a new version), so the rules of an attempt id never change and
# each web process keeps them after the first commit: the frequent commit is then one UPDATE.
@functools.lru_cache(maxsize=8192)
def _rules_of_attempt(attempt_id: int) -> ScormRules:
    sco = (
        ScormSco.objects.filter(attempts=attempt_id)
        .values(
            "package__standard", "mastery_score", "completion_threshold", "scaled_passing_score"
        )
        .first()
    )
    if sco is None:  # raised, so not cached
        raise ValidationError(NOT_YOURS)
    return ScormRules(
        standard=sco["package__standard"],
        mastery_score=sco["mastery_score"],
        completion_threshold=sco["completion_threshold"],
        scaled_passing_score=sco["scaled_passing_score"],
    )


def _stale(sequence: int, saved: int) -> StaleCommit:
    return StaleCommit(
        f"Commit {sequence} is older than commit {saved}, already saved; it was not applied."
    )


def scorm_commit(
    *,
    attempt_id: int,
    user: User,
    sequence: int,
    cmi: dict[str, Any],
    total_time_seconds: int = 0,
) -> ScormOutcome:
    """Stores the runtime data of the person's own attempt and decides completion.

    The frequent commit is one ``UPDATE`` with no explicit transaction, applied only to the
    person's own attempt and only while its stored sequence number is lower, so two commits
    racing cannot put the older one last. A commit that is not applied is then explained (not
    yours, or older). The commit that completes the attempt takes the row lock and goes
    through History and the module's completion, once.

    Interactions (``cmi.interactions``, see ``courses.services.scorm_interactions``) are also
    stored as rows. The player sends the whole data model every time, so most commits carry the
    same interactions as the one before: the ``UPDATE`` records their digest and answers whether
    it changed, and only then are the rows written, in one more statement, after the
    ``UPDATE`` has accepted the commit (a refused commit writes none). A stored row is replaced
    only by a newer commit's, so two commits of one attempt in flight at the same instant leave
    the newer one's interactions (``scorm_interactions_store``).
    """
    rules = _rules_of_attempt(attempt_id)
    if not isinstance(cmi, dict) or len(str(cmi)) > MAX_RUNTIME_DATA_CHARS:
        raise ValidationError("The runtime data sent is not a SCORM data model or is too large.")
    outcome = scorm_outcome(rules=rules, cmi=cmi)
    interactions = scorm_interactions_read(cmi)
    changes = {
        "sequence": sequence,
        "runtime_data": cmi,
        "lesson_status": outcome.lesson_status,
        "completion_status": outcome.completion_status,
        "success_status": outcome.success_status,
        "score_raw": outcome.score_raw,
        "score_scaled": outcome.score_scaled,
        "last_commit_at": timezone.now(),
    }
    time_spent = max(int(total_time_seconds), 0)
    if outcome.complete:
        _scorm_commit_completing(
            attempt_id=attempt_id,
            user=user,
            changes=changes,
            time=time_spent,
            interactions=interactions,
        )
        return outcome
    if interactions:
        _scorm_commit_with_interactions(
            attempt_id=attempt_id,
            user=user,
            changes=changes,
            time=time_spent,
            interactions=interactions,
        )
        return outcome
    # No interactions: one UPDATE, no History row per heartbeat.
    applied = ScormAttempt.objects.filter(
        pk=attempt_id, enrollment__user=user, sequence__lt=sequence
    ).update(total_time_seconds=Greatest("total_time_seconds", Value(time_spent)), **changes)
    if not applied:
        raise _why_not_applied(attempt_id=attempt_id, user=user, sequence=sequence)
    return outcome


def _scorm_commit_with_interactions(
    *,
    attempt_id: int,
    user: User,
    changes: dict[str, Any],
    time: int,
    interactions: list[InteractionRecord],
) -> None:
    """The frequent ``UPDATE`` with the same conditions, which also records the interactions'
    digest and returns the number of the commit whose interactions are stored: this one's when
    the digest changed (written in raw SQL because Django's ``update()`` returns no values)."""
    sequence = changes["sequence"]
    digest = scorm_interactions_digest(interactions)
    quote = connection.ops.quote_name
    # SQLite (the embedded default of ``make run``) spells GREATEST as the two-argument MAX.
    greatest = "MAX" if connection.vendor == "sqlite" else "GREATEST"
    columns = [ScormAttempt._meta.get_field(name) for name in changes]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    sql = (
        f"UPDATE {quote(ScormAttempt._meta.db_table)} AS attempt SET {assignments}, "
        f"total_time_seconds = {greatest}(attempt.total_time_seconds, %s), "
        "interactions_sequence = CASE WHEN attempt.interactions_digest = %s "
        "THEN attempt.interactions_sequence ELSE %s END, "
        "interactions_digest = %s "
        f"FROM {quote(Enrollment._meta.db_table)} AS enrollment "
        "WHERE attempt.id = %s AND attempt.sequence < %s "
        "AND enrollment.id = attempt.enrollment_id AND enrollment.user_id = %s "
        # Unqualified: SQLite (`make run`) accepts no table name in RETURNING.
        "RETURNING interactions_sequence"
    )
    params = [field.get_db_prep_save(changes[field.name], connection) for field in columns]
    params += [time, digest, sequence, digest, attempt_id, sequence, user.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        raise _why_not_applied(attempt_id=attempt_id, user=user, sequence=sequence)
    if row[0] == sequence:
        scorm_interactions_store(attempt_id=attempt_id, sequence=sequence, records=interactions)


def _why_not_applied(*, attempt_id: int, user: User, sequence: int) -> ValidationError:
    saved = (
        ScormAttempt.objects.filter(pk=attempt_id, enrollment__user=user)
        .values_list("sequence", flat=True)
        .first()
    )
    return ValidationError(NOT_YOURS) if saved is None else _stale(sequence, saved)


@transaction.atomic
def _scorm_commit_completing(
    *,
    attempt_id: int,
    user: User,
    changes: dict[str, Any],
    time: int,
    interactions: list[InteractionRecord],
) -> None:
    """A commit whose data completes the attempt: under the row lock; the attempt's first
    completion is saved with History and, once every SCO of the module is complete,
    completes the module, once. Its interactions are stored under the same lock when they
    changed."""
    attempt = (
        ScormAttempt.objects.select_for_update(of=("self",))
        .select_related("package", "enrollment", "module")
        .filter(pk=attempt_id, enrollment__user=user)
        .first()
    )
    if attempt is None:
        raise ValidationError(NOT_YOURS)
    if changes["sequence"] <= attempt.sequence:
        raise _stale(changes["sequence"], attempt.sequence)
    changes["total_time_seconds"] = max(time, attempt.total_time_seconds)
    if interactions:
        digest = scorm_interactions_digest(interactions)
        if digest != attempt.interactions_digest:
            changes["interactions_digest"] = digest
            changes["interactions_sequence"] = changes["sequence"]
            scorm_interactions_store(
                attempt_id=attempt.pk, sequence=changes["sequence"], records=interactions
            )
    if attempt.completed_at is not None:
        ScormAttempt.objects.filter(pk=attempt.pk).update(**changes)
        return
    for field, value in changes.items():
        setattr(attempt, field, value)
    attempt.completed_at = changes["last_commit_at"]
    attempt.save()
    _complete_module_when_every_sco_is(attempt)


def scorm_module_score_percent(attempts: list[ScormAttempt]) -> int | None:
    """The module's score: the mean of the raw scores (0–100) its SCOs reported, rounded
    down; a single SCO's score is its own. None when no SCO reported one."""
    scores = [a.score_raw for a in attempts if a.score_raw is not None and 0 <= a.score_raw <= 100]
    return int(sum(scores) / len(scores)) if scores else None


def _complete_module_when_every_sco_is(attempt: ScormAttempt) -> None:
    # The enrollment's lock takes two SCOs completing at once (two tabs) one after the other,
    # so the second sees the first one's completion and the module is not left incomplete.
    Enrollment.objects.select_for_update().filter(pk=attempt.enrollment_id).first()
    attempts = list(
        ScormAttempt.objects.filter(
            enrollment_id=attempt.enrollment_id, module_id=attempt.module_id
        )
    )
    if any(other.completed_at is None for other in attempts):
        return
    complete_module_for_enrollment(
        enrollment=attempt.enrollment,
        module=attempt.module,
        score_percent=scorm_module_score_percent(attempts),
    )
