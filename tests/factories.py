"""factory_boy factories shared by the suite."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import Library, LibraryRole, User
from certifications.models import CredentialType, DocumentType, Registration
from courses.models import Category, Course, Enrollment, Provider

PASSWORD = "a-long-test-password-1"


class LibraryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Library
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"County {n} Public Library")
    county = factory.Sequence(lambda n: f"County {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    library = factory.SubFactory(LibraryFactory)
    position = "Library Assistant"
    hours_per_month = 80
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def recorded_reviewer() -> User:
    """The reviewer named on rows a test stores already decided: the database refuses a
    decided submission that does not say who decided it."""
    reviewer, _ = User.objects.get_or_create(
        email="recorded.reviewer@example.org",
        defaults={"first_name": "Rowan", "last_name": "Recorded", "is_staff": True},
    )
    return reviewer


def decided_fields(status: str, *, decided_at: datetime.datetime | None = None) -> dict:
    """``decided_at`` and ``decided_by`` as the database wants them for ``status``."""
    if status == "PENDING":
        return {"decided_at": None, "decided_by": None}
    return {"decided_at": decided_at or timezone.now(), "decided_by": recorded_reviewer()}


class LibraryRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryRole

    user = factory.SubFactory(UserFactory)
    library = factory.SelfAttribute("user.library")
    role = LibraryRole.Role.DIRECTOR


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Provider {n}")
    url = factory.Sequence(lambda n: f"https://provider{n}.example.org/")
    is_approved_async_source = True


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Course {n}")
    description = "A course for library staff."
    category = factory.SubFactory(CategoryFactory)
    contact_hours = Decimal("3")
    format = Course.Format.PORTAL


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)


class DocumentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentType
        django_get_or_create = ("name",)

    name = "Application for Certification of Part-Time Library Staff"


class CredentialTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CredentialType

    code = factory.Sequence(lambda n: f"credential-{n}")
    name = factory.Sequence(lambda n: f"Credential {n}")
    category = factory.SubFactory(
        CategoryFactory, name="KDLA Certifications", slug="kdla-certifications"
    )
    kind = CredentialType.Kind.RENEWAL_CREDITS
    level = CredentialType.Level.PART_TIME
    required_credits = Decimal("15")
    cycle_length_years = 5
    effective_on = datetime.date(2020, 1, 1)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    user = factory.SubFactory(UserFactory)
    credential_type = factory.SubFactory(CredentialTypeFactory)
    credential_code = factory.SelfAttribute("credential_type.code")
    registered_at = factory.LazyFunction(timezone.now)
    cycle_start = factory.LazyFunction(timezone.localdate)
    cycle_end = factory.LazyAttribute(lambda o: o.cycle_start + datetime.timedelta(days=5 * 365))
