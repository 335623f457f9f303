"""The hours a credit request adds to its cycle, offered to certifications as an hour source
(``certifications.hour_sources``, registered in CreditsConfig.ready) and read by the transcript.

Approved credits of a credit request count toward the cycle it was made for, when its activity
date lies inside that cycle.
"""

from __future__ import annotations

from django.db.models import DecimalField, OuterRef, Subquery, Sum

from credits.models import CreditRequest

APPROVED_STATUSES = (CreditRequest.Status.APPROVED, CreditRequest.Status.PARTIALLY_APPROVED)


def approved_credits_in_cycle() -> Subquery:
    credits = (
        CreditRequest.objects.filter(
            registration=OuterRef("pk"),
            status__in=APPROVED_STATUSES,
            activity_date__gte=OuterRef("cycle_start"),
            activity_date__lte=OuterRef("cycle_end"),
        )
        .order_by()
        .values("registration")
        .annotate(total=Sum("approved_credits"))
        .values("total")
    )
    return Subquery(credits, output_field=DecimalField(max_digits=7, decimal_places=1))
