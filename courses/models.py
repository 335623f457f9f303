"""The course catalogue, providers of outside training, and who took which course."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Category(models.Model):
    """A catalogue section, e.g. "KDLA Certifications" or "Customer Service"."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Provider(models.Model):
    """An organisation offering training. Approved sources of asynchronous courses are
    listed publicly; courses from any other source need KDLA's prior approval."""

    name = models.CharField(max_length=200, unique=True)
    url = models.URLField("link", max_length=500, blank=True)
    is_approved_async_source = models.BooleanField(
        "approved asynchronous source",
        default=False,
        help_text="On KDLA's list of approved sources of asynchronous training courses.",
    )
    active = models.BooleanField(default=True)
    added_on = models.DateField("date added", default=timezone.localdate)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    class Format(models.TextChoices):
        PORTAL = "PORTAL", "Learning Portal course"
        LIVE = "LIVE", "Live session"
        ASYNC_EXTERNAL = "ASYNC_EXTERNAL", "Asynchronous external course"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="courses")
    contact_hours = models.DecimalField(
        max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="courses"
    )
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.PORTAL)
    url = models.URLField(max_length=500, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["active", "category", "title"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact_hours__gt=0), name="course_contact_hours_positive"
            ),
            models.UniqueConstraint(fields=["title", "provider"], name="course_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title


class Enrollment(models.Model):
    """A person registered for a course; completed once ``completed_on`` is set."""

    class Status(models.TextChoices):
        REGISTERED = "REGISTERED", "Registered"
        COMPLETED = "COMPLETED", "Completed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REGISTERED)
    registered_at = models.DateTimeField(default=timezone.now)
    completed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-registered_at"]
        indexes = [models.Index(fields=["user", "completed_on"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrollment_once_per_course"),
            models.CheckConstraint(
                condition=(
                    Q(status="COMPLETED", completed_on__isnull=False)
                    | Q(status="REGISTERED", completed_on__isnull=True)
                ),
                name="enrollment_completed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.course}"
