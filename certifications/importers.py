"""CSV import of existing registrations (cycles) through the review site; all or nothing like
every import (``accounts.importers.AllOrNothingResource``)."""

from __future__ import annotations

from typing import Any

from import_export import fields
from import_export.widgets import DateWidget, ForeignKeyWidget

from accounts.importers import AllOrNothingResource
from accounts.models import User
from certifications.models import CredentialType, Registration
from certifications.services.earned import registrations_refresh_earned


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
