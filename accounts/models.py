"""People who use the portal and the public library systems they work for."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

# Kentucky's part-time programme covers staff working under 100 hours a month (725 KAR 2:070).
PART_TIME_HOURS_LIMIT = 100


class County(models.Model):
    """One of Kentucky's 120 counties (loaded by a migration): the statewide statistics list
    every county, also those with no library staff in the portal."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "counties"

    def __str__(self) -> str:
        return f"{self.name} County"


class Library(models.Model):
    """A public library system (usually one per county) that employs staff."""

    name = models.CharField(max_length=200, unique=True)
    county = models.CharField(max_length=100, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "libraries"

    def __str__(self) -> str:
        return f"{self.name} ({self.county} County)"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: object) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A library staff member or a KDLA reviewer. The email address is the login."""

    email = models.EmailField("email address", unique=True)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    phone = models.CharField(max_length=30, blank=True)
    library = models.ForeignKey(
        Library, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    position = models.CharField(max_length=150, blank=True)
    hours_per_month = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Hours worked per month; under 100 is part-time."
    )
    is_staff = models.BooleanField(
        "reviewer site access",
        default=False,
        help_text="Can sign in to the KDLA review site (the admin).",
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def is_part_time(self) -> bool:
        return self.hours_per_month is not None and self.hours_per_month < PART_TIME_HOURS_LIMIT


class LibraryRole(models.Model):
    """A person a reviewer made director (or the director's delegate) of a library system:
    they see that system's staff roster and nothing else about its staff."""

    class Role(models.TextChoices):
        DIRECTOR = "DIRECTOR", "Director"
        DELEGATE = "DELEGATE", "Delegate"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="library_roles")
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    granted_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["library__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "library"], name="library_role_one_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} of {self.library.name}: {self.user.full_name}"
