"""Closing what is overdue: 30-day upload windows and renewal-credits cycles.

Each sweep asks the database for the overdue rows through the partial indexes on
``upload_due_on`` / ``cycle_end`` (status ACTIVE), locks them with ``SKIP LOCKED`` so two
workers share rather than repeat the work, changes them with one conditional UPDATE (only rows
still ACTIVE), records their history in one bulk insert and claims the email to each person in
the same transaction. Emails go out afterwards (``notifications.services.deliver_outbox``),
once the lapse has committed. Batches bound memory and transaction length when a backlog builds
up.
"""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    CharField,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast
from django.utils import timezone

from certifications.models import (
    CredentialType,
    ExternalFile,
    NoticeKind,
    Registration,
)
from certifications.services.earned import registrations_refresh_earned, with_computed_earned
from certifications.services.insert_select import insert_from_select
from certifications.services.notifications import claim_notifications, notice_key

LAPSE_BATCH_SIZE = 1000
# A pending or approved file means the person did upload in time; only KDLA's review is left.
COUNTING_FILE_STATUSES = (ExternalFile.Status.PENDING, ExternalFile.Status.APPROVED)
UPLOAD_LAPSE_REASON = "Upload window closed without the required file"
RENEWAL_LAPSE_REASON = "Renewal cycle ended without the required contact hours"


def has_counting_file() -> Exists:
    return Exists(
        ExternalFile.objects.filter(registration=OuterRef("pk"), status__in=COUNTING_FILE_STATUSES)
    )


def missed_upload_deadlines(*, today: datetime.date) -> QuerySet[Registration]:
    """ACTIVE registrations whose upload window ended before today (day 30 is still open)
    without a file awaiting review or approved."""
    return (
        Registration.objects.filter(status=Registration.Status.ACTIVE, upload_due_on__lt=today)
        .exclude(has_counting_file())
        .order_by()
    )


def _ended_after_grace(*, today: datetime.date) -> QuerySet[Registration]:
    """ACTIVE renewal-credits cycles whose last day plus the credential's grace period was
    before today (``cycle_end < today`` first, so the partial index on cycle_end is used)."""
    return (
        Registration.objects.filter(
            status=Registration.Status.ACTIVE,
            cycle_end__lt=today,
            credential_type__kind=CredentialType.Kind.RENEWAL_CREDITS,
        )
        .alias(
            # PostgreSQL: date + integer is a date.
            open_until=ExpressionWrapper(
                F("cycle_end") + F("credential_type__grace_period_days"),
                output_field=DateField(),
            )
        )
        .filter(open_until__lt=today)
        .order_by()
    )


def ended_renewal_cycles(*, today: datetime.date) -> QuerySet[Registration]:
    """Cycles past their end and grace period and short of hours, by the hours as computed
    from their sources now (certifications/services/earned.py), not the stored column alone:
    the sweep never lapses a cycle that has its hours."""
    return with_computed_earned(_ended_after_grace(today=today)).filter(
        computed_earned__lt=F("credential_type__required_credits")
    )


def complete_ended_cycles_that_have_their_hours(*, today: datetime.date) -> int:
    """Candidates of the sweep whose stored total fell behind their sources: store the total
    (which completes them) instead of lapsing them."""
    behind = (
        with_computed_earned(_ended_after_grace(today=today))
        .filter(computed_earned__gte=F("credential_type__required_credits"))
        .values_list("pk", flat=True)
    )
    return len(registrations_refresh_earned(registration_ids=list(behind)))


def lapse_missed_upload_deadlines(
    *, today: datetime.date, batch_size: int = LAPSE_BATCH_SIZE
) -> int:
    """Lapse every registration whose upload window has closed; returns how many."""
    return _lapse_all(
        overdue=missed_upload_deadlines(today=today),
        today=today,
        kind=NoticeKind.UPLOAD_LAPSED,
        about_date="upload_due_on",
        reason=UPLOAD_LAPSE_REASON,
        batch_size=batch_size,
    )


def lapse_ended_renewal_cycles(*, today: datetime.date, batch_size: int = LAPSE_BATCH_SIZE) -> int:
    """Lapse every renewal-credits cycle that ended short of hours; returns how many."""
    complete_ended_cycles_that_have_their_hours(today=today)
    return _lapse_all(
        overdue=ended_renewal_cycles(today=today),
        today=today,
        kind=NoticeKind.RENEWAL_LAPSED,
        about_date="cycle_end",
        reason=RENEWAL_LAPSE_REASON,
        batch_size=batch_size,
    )


def _lapse_all(
    *,
    overdue: QuerySet[Registration],
    today: datetime.date,
    kind: str,
    about_date: str,
    reason: str,
    batch_size: int,
) -> int:
    total = 0
    while True:
        lapsed = _lapse_batch(
            overdue=overdue,
            today=today,
            kind=kind,
            about_date=about_date,
            reason=reason,
            batch_size=batch_size,
        )
        total += lapsed
        # Fewer than a full batch: nothing overdue is left that another run is not holding.
        if lapsed < batch_size:
            return total


@transaction.atomic
def _lapse_batch(
    *,
    overdue: QuerySet[Registration],
    today: datetime.date,
    kind: str,
    about_date: str,
    reason: str,
    batch_size: int,
) -> int:
    ids = _lapse_locked(overdue=overdue, today=today, batch_size=batch_size)
    if not ids:
        return 0
    changed = Registration.objects.filter(pk__in=ids)
    record_history(registrations=changed, reason=reason)
    claim_notifications(
        source=changed,
        kind=kind,
        key=notice_key(kind=kind, about=F("pk")),
        recipient=F("user_id"),
        registration=F("pk"),
        sent_for=F(about_date),
    )
    return len(ids)


def _lapse_locked(
    *, overdue: QuerySet[Registration], today: datetime.date, batch_size: int
) -> list[int]:
    """Lock up to ``batch_size`` overdue rows (skipping rows another run holds) and lapse
    them in one statement; returns their ids.

    ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) AND status = 'ACTIVE'
    RETURNING id``: the condition is repeated so the UPDATE itself can only ever move a row
    out of ACTIVE. Django's ``update()`` cannot return the ids, hence the SQL.
    """
    locked = overdue.select_for_update(skip_locked=True, of=("self",)).values("pk")[:batch_size]
    locked_sql, locked_params = locked.query.sql_with_params()
    quote = connection.ops.quote_name
    statement = (
        f"UPDATE {quote(Registration._meta.db_table)} "
        "SET status = %s, compliance = %s, lapsed_on = %s "
        f"WHERE id IN ({locked_sql}) AND status = %s RETURNING id"
    )
    params = [
        Registration.Status.LAPSED,
        Registration.Compliance.NOT_COMPLIANT,
        connection.ops.adapt_datefield_value(today),
        *locked_params,
        Registration.Status.ACTIVE,
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return [row[0] for row in cursor.fetchall()]


def record_history(*, registrations: QuerySet[Registration], reason: str) -> int:
    """One history row per registration, as it is now ("changed", by the system), written by
    one INSERT … SELECT: the same rows django-simple-history writes on save."""
    history = Registration.history.model
    columns = {field.attname: F(field.attname) for field in history.tracked_fields}
    columns.update(
        history_date=Value(timezone.now(), output_field=DateTimeField()),
        history_change_reason=Value(reason, output_field=CharField()),
        history_type=Value("~", output_field=CharField()),
        history_user_id=Cast(Value(None), output_field=BigIntegerField()),
    )
    return insert_from_select(model=history, source=registrations, columns=columns)
