"""CSV import of an agency's existing records (libraries, people, registrations and
completed course hours) through the review site.

Every import first runs as a dry run showing each bad row with its row number; the real
import runs in one transaction, so a file with a bad row imports nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from import_export import fields, resources
from import_export.widgets import DateWidget, ForeignKeyWidget

from accounts.emails import queue_invitation
from accounts.models import Library, User
from certifications.models import CredentialType, Registration
from certifications.services.earned import COLLECTING_STATUSES, registrations_refresh_earned
from courses.models import Course, Enrollment


class AllOrNothingResource(resources.ModelResource):
    class Meta:
        abstract = True
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class LibraryResource(AllOrNothingResource):
    class Meta(AllOrNothingResource.Meta):
        model = Library
        fields = ("name", "county")
        import_id_fields = ("name",)


class PersonResource(AllOrNothingResource):
    """People are matched by email address. New people get no password: an invitation email
    (queued with the import, so a dry run or a refused file sends none) links to a page where
    they choose one; "Forgot your password?" works for them too."""

    library = fields.Field(
        attribute="library", column_name="library", widget=ForeignKeyWidget(Library, "name")
    )

    class Meta(AllOrNothingResource.Meta):
        model = User
        fields = (
            "email",
            "first_name",
            "last_name",
            "library",
            "position",
            "hours_per_month",
            "phone",
        )
        import_id_fields = ("email",)

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        if row.get("email"):
            row["email"] = row["email"].strip().lower()

    def import_instance(self, instance: User, row: Any, **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        if instance.pk is None:
            instance.set_unusable_password()

    def after_save_instance(self, instance: User, row: Any, **kwargs: Any) -> None:
        super().after_save_instance(instance, row, **kwargs)
        if not instance.has_usable_password() and instance.last_login is None:
            queue_invitation(user=instance)


class CredentialVersionWidget(ForeignKeyWidget):
    """A credential by its code and rules version (columns ``credential_code`` and
    ``credential_version``; without a version, the newest in force on the cycle start)."""

    def __init__(self) -> None:
        super().__init__(CredentialType, "code")

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> CredentialType | None:
        if not value:
            return None
        versions = CredentialType.objects.filter(code=value.strip())
        version = (row or {}).get("credential_version")
        if version:
            versions = versions.filter(version=int(version))
        credential_type = versions.order_by("-version").first()
        if credential_type is None:
            raise ValueError(f"There is no credential with code “{value}” (and that version).")
        return credential_type


class RegistrationResource(AllOrNothingResource):
    user = fields.Field(
        attribute="user", column_name="email", widget=ForeignKeyWidget(User, "email")
    )
    credential_type = fields.Field(
        attribute="credential_type", column_name="credential_code", widget=CredentialVersionWidget()
    )
    cycle_start = fields.Field(
        attribute="cycle_start", column_name="cycle_start", widget=DateWidget()
    )
    cycle_end = fields.Field(attribute="cycle_end", column_name="cycle_end", widget=DateWidget())
    upload_due_on = fields.Field(
        attribute="upload_due_on", column_name="upload_due_on", widget=DateWidget()
    )

    class Meta(AllOrNothingResource.Meta):
        model = Registration
        fields = (
            "user",
            "credential_type",
            "cycle_start",
            "cycle_end",
            "upload_due_on",
            "status",
            "compliance",
        )
        import_id_fields = ("user", "credential_type", "cycle_start")

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        if row.get("email"):
            row["email"] = row["email"].strip().lower()

    def import_instance(self, instance: Registration, row: Any, **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        if instance.credential_type_id:
            instance.credential_code = instance.credential_type.code

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        imported_ids = [row.object_id for row in result.rows if row.object_id]
        registrations_refresh_earned(registration_ids=imported_ids)


class CompletedHoursResource(AllOrNothingResource):
    """Completed courses (contact hours) by person email, course title and completion date."""

    user = fields.Field(
        attribute="user", column_name="email", widget=ForeignKeyWidget(User, "email")
    )
    course = fields.Field(
        attribute="course", column_name="course", widget=ForeignKeyWidget(Course, "title")
    )
    completed_on = fields.Field(
        attribute="completed_on", column_name="completed_on", widget=DateWidget()
    )

    class Meta(AllOrNothingResource.Meta):
        model = Enrollment
        fields = ("user", "course", "completed_on")
        import_id_fields = ("user", "course")

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        if row.get("email"):
            row["email"] = row["email"].strip().lower()

    def import_instance(self, instance: Enrollment, row: Any, **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        if instance.completed_on is None:
            raise ValidationError({"completed_on": "Enter the completion date (MM/DD/YYYY)."})
        instance.status = Enrollment.Status.COMPLETED

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        emails = {row.get("email") for row in dataset.dict if row.get("email")}
        cycles = Registration.objects.filter(
            user__email__in=emails,
            credential_type__kind=CredentialType.Kind.RENEWAL_CREDITS,
            status__in=COLLECTING_STATUSES,
        )
        registrations_refresh_earned(registration_ids=list(cycles.values_list("pk", flat=True)))
