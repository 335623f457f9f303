"""What the statewide statistics count, on top of ``seed_scale``'s people and registrations:
completed portal courses, credit requests and asynchronous completions, directors.

Written with set-based ``INSERT … SELECT`` from the scale data (PostgreSQL), so it takes
seconds at national scale. Everything is shaped from ids, so a rerun writes the same rows.
"""

from __future__ import annotations

import datetime

from django.db import connection

from accounts.models import LibraryRole
from bench.scale_data import SCALE_EMAIL_DOMAIN
from courses.kdla_catalogue import load_kdla_catalogue
from courses.models import Enrollment

# Each person completes about one course in COURSE_SHARE of the catalogue.
COURSE_SHARE = 3
# One current renewal cycle in CREDIT_REQUEST_SHARE has a credit request, one in
# ASYNC_SHARE an asynchronous completion.
CREDIT_REQUEST_SHARE = 3
ASYNC_SHARE = 10


def statistics_activity_exists() -> bool:
    return Enrollment.objects.filter(user__email__endswith=f"@{SCALE_EMAIL_DOMAIN}").exists()


def seed_statistics_activity(*, today: datetime.date) -> None:
    load_kdla_catalogue()
    scale_people = f"%@{SCALE_EMAIL_DOMAIN}"
    noon = f"{today} 12:00:00+00"
    statements = [
        # Completed portal courses over the last five years.
        (
            """
            INSERT INTO courses_enrollment (user_id, course_id, status, registered_at, completed_on)
            SELECT u.id, c.id, 'COMPLETED', %(noon)s::timestamptz - interval '2000 days',
                   %(today)s::date - ((u.id * 7 + c.id * 13) %% 1800)::int
            FROM accounts_user u JOIN courses_course c ON (u.id + c.id) %% %(share)s = 0
            WHERE u.email LIKE %(people)s AND c.active
            """,
            {"share": COURSE_SHARE},
        ),
        # Credit requests in current renewal cycles: most decided, some waiting.
        (
            """
            INSERT INTO credits_creditrequest (user_id, registration_id, activity_date, course,
                description, requested_credits, approved_credits, status, notes, documentation,
                documentation_name, documentation_content_type, requested_at, decided_at,
                decided_by_id)
            SELECT r.user_id, r.id, GREATEST(r.cycle_start, %(today)s::date - (r.id %% 1500)::int),
                'Kentucky Library Association conference', 'Sessions attended', 3,
                CASE WHEN r.id %% 10 = 0 THEN NULL WHEN r.id %% 10 = 1 THEN 1.5 ELSE 3 END,
                CASE WHEN r.id %% 10 = 0 THEN 'PENDING' WHEN r.id %% 10 = 1
                     THEN 'PARTIALLY_APPROVED' ELSE 'APPROVED' END,
                '', 'credit-documentation/scale.pdf', 'certificate.pdf', 'application/pdf',
                %(noon)s::timestamptz - ((r.id %% 360) * interval '1 day'),
                CASE WHEN r.id %% 10 = 0 THEN NULL ELSE %(noon)s::timestamptz
                     - ((r.id %% 360) * interval '1 day') + ((r.id %% 21) * interval '1 day') END,
                -- A decided request names its reviewer (a database constraint): the first account.
                CASE WHEN r.id %% 10 <> 0 THEN (SELECT min(id) FROM accounts_user) END
            FROM certifications_registration r
            JOIN accounts_user u ON u.id = r.user_id
            JOIN certifications_credentialtype ct ON ct.id = r.credential_type_id
            WHERE u.email LIKE %(people)s AND ct.kind = 'RENEWAL_CREDITS'
              AND r.status IN ('ACTIVE', 'COMPLETED') AND r.cycle_end >= %(today)s
              AND r.id %% %(share)s = 0
            """,
            {"share": CREDIT_REQUEST_SHARE},
        ),
        # Asynchronous courses from the approved sources, approved.
        (
            """
            INSERT INTO courses_asynccompletion (user_id, registration_id, provider_id,
                course_title, completed_on, hours, proof, proof_name, proof_content_type, status,
                reviewer_note, submitted_at, decided_at, decided_by_id)
            SELECT r.user_id, r.id, (SELECT min(id) FROM courses_provider
                                     WHERE is_approved_async_source),
                'Serving Teens Online', %(today)s::date - (r.id %% 1500)::int, 10,
                'completion-proofs/scale.pdf', 'proof.pdf', 'application/pdf', 'APPROVED', '',
                %(noon)s::timestamptz - ((r.id %% 300) * interval '1 day'),
                %(noon)s::timestamptz - ((r.id %% 300) * interval '1 day') + interval '3 days',
                (SELECT min(id) FROM accounts_user)
            FROM certifications_registration r
            JOIN accounts_user u ON u.id = r.user_id
            JOIN certifications_credentialtype ct ON ct.id = r.credential_type_id
            WHERE u.email LIKE %(people)s AND ct.kind = 'RENEWAL_CREDITS'
              AND r.status IN ('ACTIVE', 'COMPLETED') AND r.cycle_end >= %(today)s
              -- By person, not by row id: each person's registrations are inserted in a fixed
              -- order, so row ids of current cycles share a parity and id %% 10 could miss them.
              AND r.user_id %% %(share)s = 1
            """,
            {"share": ASYNC_SHARE},
        ),
        # The first staff member of each library system is its director.
        (
            """
            INSERT INTO accounts_libraryrole (user_id, library_id, role, granted_at)
            SELECT min(u.id), u.library_id, %(role)s, %(noon)s::timestamptz
            FROM accounts_user u WHERE u.email LIKE %(people)s AND u.library_id IS NOT NULL
            GROUP BY u.library_id
            ON CONFLICT DO NOTHING
            """,
            {"role": LibraryRole.Role.DIRECTOR},
        ),
    ]
    with connection.cursor() as cursor:
        for sql, extra in statements:
            cursor.execute(sql, {"today": today, "noon": noon, "people": scale_people, **extra})
        for table in (
            "courses_enrollment",
            "credits_creditrequest",
            "courses_asynccompletion",
            "accounts_libraryrole",
        ):
            cursor.execute(f"ANALYZE {table}")
