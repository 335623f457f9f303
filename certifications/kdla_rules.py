"""Kentucky's certification rules (725 KAR 2:060 and 2:070) as data. Reviewers edit them in
the admin afterwards; this loader only creates what is missing, so it never overwrites an
agency's edits and is safe to run on every deploy."""

from decimal import Decimal

from django.db import transaction

from certifications.models import CredentialType, DocumentType
from courses.kdla_catalogue import (
    KDLA_CERTIFICATIONS,
    PART_TIME_REQUIRED_COURSES,
    load_kdla_catalogue,
)
from courses.models import Category, Course

PART_TIME_APPLICATION = "Application for Certification of Part-Time Library Staff"
FULL_TIME_APPLICATION = "Application for Certification of Public Library Staff"
RENEWAL_CYCLE_YEARS = 5
APPLICATION_CYCLE_DAYS = 60
UPLOAD_WINDOW_DAYS = 30

# code: (name, label in the CREDENTIALS box, kind, level, required credits)
K = CredentialType.Kind
L = CredentialType.Level
RENEWAL_CREDITS = {
    "part-time-renewal-credits": (
        "Part-time Certification- Renewal credits",
        "Part Time Certification- Renewal credits",
        L.PART_TIME,
        "15",
    ),
    "paraprofessional-i-renewal-credits": (
        "Paraprofessional I- Renewal credits",
        "",
        L.PARAPROFESSIONAL_I,
        "75",
    ),
    "professional-renewal-credits": ("Professional I - Renewal credits", "", L.PROFESSIONAL, "100"),
}
APPLICATIONS = {
    # code: (name, label, kind, level, document, leads to, requires completed, prerequisites, async)
    "part-time-initial-application": (
        "Part-time Certification- Initial Application",
        "Initial Part Time Certification",
        K.INITIAL_APPLICATION,
        L.PART_TIME,
        PART_TIME_APPLICATION,
        "part-time-renewal-credits",
        None,
        PART_TIME_REQUIRED_COURSES,
        False,
    ),
    "part-time-renewal-application": (
        "Part-time Certification- Renewal Application",
        "Part Time Certification",
        K.RENEWAL_APPLICATION,
        L.PART_TIME,
        PART_TIME_APPLICATION,
        "part-time-renewal-credits",
        "part-time-renewal-credits",
        [],
        False,
    ),
    "paraprofessional-i-initial-application": (
        "Paraprofessional I- Initial Application",
        "Initial Paraprofessional I Certification",
        K.INITIAL_APPLICATION,
        L.PARAPROFESSIONAL_I,
        FULL_TIME_APPLICATION,
        "paraprofessional-i-renewal-credits",
        None,
        [],
        True,
    ),
    "paraprofessional-i-renewal-application": (
        "Paraprofessional I- Renewal Application",
        "Paraprofessional I Certification",
        K.RENEWAL_APPLICATION,
        L.PARAPROFESSIONAL_I,
        FULL_TIME_APPLICATION,
        "paraprofessional-i-renewal-credits",
        "paraprofessional-i-renewal-credits",
        [],
        False,
    ),
    "professional-initial-application": (
        "Professional- Initial Application",
        "Initial Professional Certification",
        K.INITIAL_APPLICATION,
        L.PROFESSIONAL,
        FULL_TIME_APPLICATION,
        "professional-renewal-credits",
        None,
        [],
        True,
    ),
    "professional-renewal-application": (
        "Professional- Renewal Application",
        "Professional Certification",
        K.RENEWAL_APPLICATION,
        L.PROFESSIONAL,
        FULL_TIME_APPLICATION,
        "professional-renewal-credits",
        "professional-renewal-credits",
        [],
        False,
    ),
}


def _current(code: str) -> CredentialType:
    return CredentialType.objects.filter(code=code).order_by("-version").first()


@transaction.atomic
def load_kdla_rules() -> None:
    load_kdla_catalogue()
    category = Category.objects.get(name=KDLA_CERTIFICATIONS)
    documents = {}
    for name, text in [
        (
            PART_TIME_APPLICATION,
            "The part-time certification application, signed by your director.",
        ),
        (
            FULL_TIME_APPLICATION,
            "The certification application for full-time public library staff.",
        ),
    ]:
        documents[name], _ = DocumentType.objects.get_or_create(
            name=name, defaults={"description": text}
        )
    for code, (name, label, level, credits) in RENEWAL_CREDITS.items():
        if _current(code) is None:
            CredentialType.objects.create(
                code=code,
                name=name,
                cycle_label=label,
                category=category,
                kind=K.RENEWAL_CREDITS,
                level=level,
                required_credits=Decimal(credits),
                cycle_length_years=RENEWAL_CYCLE_YEARS,
                accepts_async_courses=True,
                description=f"Accumulate {credits} contact hours over {RENEWAL_CYCLE_YEARS} years.",
            )
    for code, (
        name,
        label,
        kind,
        level,
        document,
        leads_to,
        requires,
        courses,
        accepts_async,
    ) in APPLICATIONS.items():
        if _current(code) is not None:
            continue
        credential = CredentialType.objects.create(
            code=code,
            name=name,
            cycle_label=label,
            category=category,
            kind=kind,
            level=level,
            cycle_length_days=APPLICATION_CYCLE_DAYS,
            upload_window_days=UPLOAD_WINDOW_DAYS,
            leads_to=_current(leads_to),
            requires_completed=_current(requires) if requires else None,
            accepts_async_courses=accepts_async,
            description=f"Upload the {document} within {UPLOAD_WINDOW_DAYS} days of registering.",
        )
        credential.required_document_types.add(documents[document])
        credential.prerequisite_courses.add(
            *Course.objects.filter(title__in=courses, format=Course.Format.PORTAL)
        )
