"""National-scale data for the benchmarks: people, registrations over their careers, files.

The distribution is shaped so that a given day looks like an ordinary morning for the jobs:
about one in ten people has an application inside its 30-day upload window (so a few hundred
windows closed yesterday), most people have a renewal-credits cycle somewhere in its 5 years,
and the rest of each person's rows are finished cycles of earlier years. On PostgreSQL rows are
streamed with COPY (PostgreSQL only: this is the database the portal runs on at scale).
"""

from __future__ import annotations

import datetime
import io
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import connection, transaction
from tqdm import tqdm

from accounts.models import County, Library, User
from accounts.reviewers import REVIEWERS_GROUP
from certifications.kdla_rules import load_kdla_rules
from certifications.models import CredentialType, ExternalFile, Registration

SCALE_EMAIL_DOMAIN = "scale.example.org"
CHUNK_ROWS = 50_000
KENTUCKY_COUNTIES = 120
UPLOAD_WINDOW_DAYS = 30
APPLICATION_CYCLE_DAYS = 60
RENEWAL_CYCLE_DAYS = 5 * 365
# What each person's current row is (the rest of their rows are finished cycles).
IN_UPLOAD_WINDOW = 0.10
AWAITING_REVIEW = 0.03
IN_RENEWAL_CYCLE = 0.80

Row = Sequence[object]


@dataclass(frozen=True)
class ScaleSize:
    people: int
    registrations: int


def scale_data_exists() -> bool:
    return User.objects.filter(email__endswith=f"@{SCALE_EMAIL_DOMAIN}").exists()


def seed_scale(
    *, people: int, registrations: int, today: datetime.date, seed: int = 2026, progress=True
) -> ScaleSize:
    """Create ``people`` staff members with ``registrations`` registrations in all."""
    if connection.vendor != "postgresql":
        raise ValueError("Scale data is written with PostgreSQL's COPY; set DATABASE_URL.")
    if registrations < people:
        raise ValueError("Give at least one registration per person.")
    rng = random.Random(seed)
    with transaction.atomic():
        load_kdla_rules()
        library_ids = _libraries()
        _reviewers()
    user_ids = _copy_people(people=people, library_ids=library_ids, rng=rng, progress=progress)
    _copy_registrations(
        user_ids=user_ids, total=registrations, today=today, rng=rng, progress=progress
    )
    _insert_files(today=today)
    with connection.cursor() as cursor:
        for model in (User, Registration, ExternalFile):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return ScaleSize(people=people, registrations=registrations)


def _libraries() -> list[int]:
    """One library system per Kentucky county (the counties a migration loads)."""
    counties = list(County.objects.values_list("name", flat=True)) or [
        f"County {n}" for n in range(1, KENTUCKY_COUNTIES + 1)
    ]
    Library.objects.bulk_create(
        [
            Library(name=f"{county} County Public Library (scale data)", county=county)
            for county in counties
        ],
        ignore_conflicts=True,
    )
    return list(Library.objects.filter(name__endswith="(scale data)").values_list("pk", flat=True))


def _reviewers() -> None:
    group, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    for n in range(1, 4):
        reviewer, _ = User.objects.get_or_create(
            email=f"reviewer{n}@{SCALE_EMAIL_DOMAIN}",
            defaults={"first_name": "Reviewer", "last_name": str(n), "is_staff": True},
        )
        reviewer.groups.add(group)


def _copy_people(
    *, people: int, library_ids: list[int], rng: random.Random, progress: bool
) -> list[int]:
    columns = (
        "password",
        "is_superuser",
        "email",
        "first_name",
        "last_name",
        "phone",
        "library_id",
        "position",
        "hours_per_month",
        "is_staff",
        "is_active",
        "date_joined",
    )
    first_names = ("Avery", "Jordan", "Casey", "Morgan", "Riley", "Taylor", "Quinn", "Harper")
    last_names = ("Adams", "Baker", "Clark", "Davis", "Evans", "Foster", "Gray", "Hughes")

    def rows() -> Iterator[Row]:
        for n in range(people):
            yield (
                "!",  # no usable password: these people never sign in
                False,
                f"staff{n}@{SCALE_EMAIL_DOMAIN}",
                rng.choice(first_names),
                rng.choice(last_names),
                "",
                rng.choice(library_ids),
                "Library Assistant",
                rng.choice((60, 80, 120, 160)),
                False,
                True,
                "2020-01-01 12:00:00+00",
            )

    _write_rows(User, columns, rows(), total=people, label="people", progress=progress)
    return list(
        User.objects.filter(email__startswith="staff", email__endswith=f"@{SCALE_EMAIL_DOMAIN}")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _credential_types() -> tuple[list[CredentialType], list[CredentialType]]:
    current = {c.code: c for c in CredentialType.objects.order_by("code", "version")}.values()
    applications = [c for c in current if c.kind == CredentialType.Kind.INITIAL_APPLICATION]
    renewals = [c for c in current if c.kind == CredentialType.Kind.RENEWAL_CREDITS]
    return applications, renewals


def _copy_registrations(
    *, user_ids: list[int], total: int, today: datetime.date, rng: random.Random, progress: bool
) -> None:
    applications, renewals = _credential_types()
    columns = (
        "user_id",
        "credential_type_id",
        "credential_code",
        "status",
        "compliance",
        "registered_at",
        "cycle_start",
        "cycle_end",
        "upload_due_on",
        "earned_credits",
        "completed_at",
        "lapsed_on",
    )
    per_person, extra = divmod(total, len(user_ids))
    make = _RegistrationRows(today=today, rng=rng, applications=applications, renewals=renewals)

    def rows() -> Iterator[Row]:
        for index, user_id in enumerate(user_ids):
            count = per_person + (1 if index < extra else 0)
            yield from make.for_person(user_id=user_id, count=count)

    _write_rows(
        Registration, columns, rows(), total=total, label="registrations", progress=progress
    )


@dataclass
class _RegistrationRows:
    today: datetime.date
    rng: random.Random
    applications: list[CredentialType]
    renewals: list[CredentialType]

    def for_person(self, *, user_id: int, count: int) -> Iterator[Row]:
        draw = self.rng.random()
        history = count
        if draw < IN_UPLOAD_WINDOW:
            history -= 1
            yield self._application(user_id, days_left=self.rng.randint(-1, 29))
        elif draw < IN_UPLOAD_WINDOW + AWAITING_REVIEW:
            history -= 1
            yield self._application(user_id, days_left=self.rng.randint(-10, 29), pending=True)
        elif draw < IN_UPLOAD_WINDOW + AWAITING_REVIEW + IN_RENEWAL_CYCLE:
            history -= 1
            yield self._renewal_cycle(user_id)
        for _ in range(history):
            yield self._finished(user_id)

    def _day(self, offset: int) -> datetime.date:
        return self.today + datetime.timedelta(days=offset)

    def _application(self, user_id: int, *, days_left: int, pending: bool = False) -> Row:
        credential = self.rng.choice(self.applications)
        start = self._day(days_left - UPLOAD_WINDOW_DAYS)
        status = Registration.Status.PENDING_REVIEW if pending else Registration.Status.ACTIVE
        return (
            user_id,
            credential.pk,
            credential.code,
            status,
            Registration.Compliance.NOT_COMPLIANT,
            f"{start} 15:00:00+00",
            start,
            start + datetime.timedelta(days=APPLICATION_CYCLE_DAYS),
            start + datetime.timedelta(days=UPLOAD_WINDOW_DAYS),
            Decimal("0"),
            None,
            None,
        )

    def _renewal_cycle(self, user_id: int) -> Row:
        credential = self.rng.choice(self.renewals)
        end = self._day(self.rng.randint(-1, RENEWAL_CYCLE_DAYS - 1))
        start = end - datetime.timedelta(days=RENEWAL_CYCLE_DAYS)
        elapsed = (self.today - start).days / RENEWAL_CYCLE_DAYS
        required = credential.required_credits
        earned = Decimal(round(Decimal(elapsed * self.rng.uniform(0.4, 1.6)) * required * 2)) / 2
        complete = earned >= required
        return (
            user_id,
            credential.pk,
            credential.code,
            Registration.Status.COMPLETED if complete else Registration.Status.ACTIVE,
            Registration.Compliance.COMPLIANT
            if complete
            else Registration.Compliance.NOT_COMPLIANT,
            f"{start} 15:00:00+00",
            start,
            end,
            None,
            earned,
            f"{self.today} 12:00:00+00" if complete else None,
            None,
        )

    def _finished(self, user_id: int) -> Row:
        credential = self.rng.choice(self.applications + self.renewals)
        end = self._day(-self.rng.randint(40, 9000))
        is_application = credential.kind == CredentialType.Kind.INITIAL_APPLICATION
        length = APPLICATION_CYCLE_DAYS if is_application else RENEWAL_CYCLE_DAYS
        start = end - datetime.timedelta(days=length)
        lapsed = self.rng.random() < 0.15
        return (
            user_id,
            credential.pk,
            credential.code,
            Registration.Status.LAPSED if lapsed else Registration.Status.COMPLETED,
            Registration.Compliance.NOT_COMPLIANT if lapsed else Registration.Compliance.COMPLIANT,
            f"{start} 15:00:00+00",
            start,
            end,
            start + datetime.timedelta(days=UPLOAD_WINDOW_DAYS) if is_application else None,
            Decimal("0") if is_application else credential.required_credits,
            None if lapsed else f"{end} 12:00:00+00",
            end if lapsed else None,
        )


def _insert_files(*, today: datetime.date) -> None:
    """A file awaiting review for each application awaiting review, uploaded in the last days
    of its window (so some have waited more than a week), and a rejected file for one in five
    applications still in their window."""
    files = connection.ops.quote_name(ExternalFile._meta.db_table)
    registrations = connection.ops.quote_name(Registration._meta.db_table)
    through = CredentialType.required_document_types.through._meta.db_table
    select = f"""
        INSERT INTO {files} (registration_id, document_type_id, description, file, original_name,
            content_type, size, uploaded_at, uploaded_by_id, status, reviewer_note, decided_at,
            decided_by_id)
        SELECT r.id, d.documenttype_id, 'Signed application', 'external-files/scale.pdf',
            'application.pdf', 'application/pdf', 48000, %s::timestamptz
            - ((r.id %% 20) * interval '1 day'), r.user_id, %s, %s, %s,
            -- A decided file names its reviewer (a database constraint): the first account.
            CASE WHEN %s THEN (SELECT min(id) FROM accounts_user) END
        FROM {registrations} r JOIN {through} d ON d.credentialtype_id = r.credential_type_id
        WHERE r.status = %s AND r.upload_due_on IS NOT NULL
    """
    now = f"{today} 12:00:00+00"
    with connection.cursor() as cursor:
        cursor.execute(
            select,
            [now, ExternalFile.Status.PENDING, "", None, False, Registration.Status.PENDING_REVIEW],
        )
        cursor.execute(
            select + " AND r.id %% 5 = 0",
            [
                now,
                ExternalFile.Status.REJECTED,
                "Please sign the form.",
                now,
                True,
                Registration.Status.ACTIVE,
            ],
        )


def _write_rows(
    model, columns: Sequence[str], rows: Iterator[Row], *, total: int, label: str, progress: bool
) -> None:
    bar = tqdm(total=total, desc=label, unit=" rows", disable=not progress)
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK_ROWS:
            _copy_chunk(model, columns, chunk)
            bar.update(len(chunk))
            chunk = []
    if chunk:
        _copy_chunk(model, columns, chunk)
        bar.update(len(chunk))
    bar.close()


def _copy_value(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def _copy_chunk(model, columns: Sequence[str], chunk: list[Row]) -> None:
    buffer = io.StringIO()
    for row in chunk:
        buffer.write("\t".join(_copy_value(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
