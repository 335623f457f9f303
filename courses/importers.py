"""CSV import of completed course hours through the review site; all or nothing like every
import (``accounts.importers.AllOrNothingResource``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from import_export import fields
from import_export.widgets import DateWidget, ForeignKeyWidget

from accounts.importers import AllOrNothingResource
from accounts.models import User
from courses.models import Course, Enrollment
from courses.signals import completed_courses_imported


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
        # Certifications counts the hours toward the people's open cycles (its receiver).
        emails = {row.get("email") for row in dataset.dict if row.get("email")}
        completed_courses_imported.send(sender=Enrollment, user_emails=emails)
