"""CSV import of an agency's existing records through the review site: libraries and people
here; registrations in ``certifications.importers`` and completed course hours in
``courses.importers``, each beside the records it writes.

Every import first runs as a dry run showing each bad row with its row number; the real
import runs in one transaction, so a file with a bad row imports nothing.
"""

from __future__ import annotations

from typing import Any

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from accounts.emails import queue_invitation
from accounts.models import Library, User


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
