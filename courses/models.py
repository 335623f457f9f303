"""The course catalogue, providers of outside training, and who took which course."""

import secrets
import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.trainers import TRAINERS_GROUP
from review.models import ReviewedSubmission, ReviewStatus


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
    # A completion a reviewer recorded by hand (e.g. from a paper sign-in sheet) instead of
    # one the portal observed; the transcript marks it manual and shows the reason.
    completion_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The reviewer who recorded this completion by hand.",
    )
    completion_reason = models.TextField(
        blank=True,
        default="",
        db_default="",  # rows inserted in bulk by SQL (imports, benchmarks) need no value
        help_text="Why the completion was recorded by hand, e.g. the sign-in sheet.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-registered_at"]
        indexes = [models.Index(fields=["user", "completed_on"])]
        permissions = [
            ("complete_enrollment", "Can record a course completion by hand, with a reason"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrollment_once_per_course"),
            models.CheckConstraint(
                condition=Q(completion_recorded_by__isnull=True, completion_reason="")
                | Q(
                    completion_recorded_by__isnull=False,
                    status="COMPLETED",
                    completion_reason__gt="",
                ),
                name="enrollment_manual_completion_has_reviewer_and_reason",
            ),
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

    @property
    def completed_by_hand(self) -> bool:
        return self.completion_recorded_by_id is not None


# Asynchronous (self-paced, external) training: KDLA's guidelines require at least ten hours,
# proof of successful completion, and prior approval for sources not on the agency's list.
MIN_ASYNC_COURSE_HOURS = Decimal("10")


def _private_upload_path(prefix: str, filename: str) -> str:
    """A path nobody can guess; the original name is kept on the row for downloads."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"{prefix}/{uuid.uuid4().hex}{suffix}"


def syllabus_path(instance: "CourseApprovalRequest", filename: str) -> str:
    return _private_upload_path("async-syllabi", filename)


def completion_proof_path(instance: "AsyncCompletion", filename: str) -> str:
    return _private_upload_path("async-proofs", filename)


# The asynchronous submissions' statuses are the shared ones (review.models).
AsyncReviewStatus = ReviewStatus


class CourseApprovalRequest(ReviewedSubmission):
    """A request, through the Asynchronous Course Approval Submission Form, to approve a
    course from a source that is not on KDLA's list."""

    Status = AsyncReviewStatus
    decision_noun = "course approval request"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="course_approval_requests",
        verbose_name="requested by",
    )
    provider_name = models.CharField("provider name", max_length=200)
    provider_url = models.URLField("provider URL", max_length=500)
    course_title = models.CharField("course title", max_length=200)
    course_url = models.URLField("course URL", max_length=500)
    description = models.TextField()
    length_hours = models.DecimalField("length in hours", max_digits=5, decimal_places=1)
    syllabus = models.FileField(upload_to=syllabus_path, max_length=255, blank=True)
    syllabus_name = models.CharField(max_length=255, blank=True)
    syllabus_content_type = models.CharField(max_length=100, blank=True)
    approved_course = models.ForeignKey(
        Course,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approval_requests",
        help_text="The catalogue course the approval created or reused.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["user", "submitted_at"]),
            models.Index(
                fields=["submitted_at"],
                name="courseapproval_pending",
                condition=Q(status="PENDING"),
            ),
        ]
        constraints = [
            *ReviewedSubmission.Meta.constraints,
            models.CheckConstraint(
                condition=Q(length_hours__gte=MIN_ASYNC_COURSE_HOURS),
                name="courseapproval_at_least_ten_hours",
            ),
            models.CheckConstraint(
                condition=~Q(status="REJECTED") | ~Q(reviewer_note=""),
                name="courseapproval_rejection_has_note",
            ),
            models.CheckConstraint(
                condition=~Q(status="APPROVED") | Q(approved_course__isnull=False),
                name="courseapproval_approval_has_course",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_title} ({self.provider_name})"


class AsyncCompletion(ReviewedSubmission):
    """Proof that a person completed an asynchronous course, reported toward one of their
    registrations; approved hours count toward that registration."""

    Status = AsyncReviewStatus
    decision_noun = "completion"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="async_completions"
    )
    registration = models.ForeignKey(
        "certifications.Registration",
        on_delete=models.PROTECT,
        related_name="async_completions",
        verbose_name="credential it counts toward",
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="async_completions"
    )
    course = models.ForeignKey(
        Course,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="async_completions",
        help_text="The individually approved course, when one was chosen.",
    )
    course_title = models.CharField("course title", max_length=200)
    completed_on = models.DateField("completion date")
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    proof = models.FileField("proof of completion", upload_to=completion_proof_path, max_length=255)
    proof_name = models.CharField(max_length=255)
    proof_content_type = models.CharField(max_length=100)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["user", "completed_on"]),
            models.Index(fields=["registration", "status"]),
            models.Index(
                fields=["submitted_at"],
                name="asynccompletion_pending",
                condition=Q(status="PENDING"),
            ),
        ]
        constraints = [
            *ReviewedSubmission.Meta.constraints,
            models.CheckConstraint(
                condition=Q(hours__gte=MIN_ASYNC_COURSE_HOURS),
                name="asynccompletion_at_least_ten_hours",
            ),
            models.CheckConstraint(
                condition=~Q(status="REJECTED") | ~Q(reviewer_note=""),
                name="asynccompletion_rejection_has_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_title} ({self.provider}) – {self.hours} hours"


# Learning Portal content: a portal course is a list of ordered modules; the course is complete
# when the learner has completed every required module (see courses.services.progress).


class CourseModule(models.Model):
    """One step of a portal course: a lesson to read, a quiz to pass or a SCORM package to
    play through."""

    class Kind(models.TextChoices):
        LESSON = "LESSON", "Lesson"
        QUIZ = "QUIZ", "Quiz"
        SCORM = "SCORM", "SCORM package"
        LIVE = "LIVE", "Live session"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveSmallIntegerField(
        default=1, help_text="Modules are taken in this order (1 first)."
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.LESSON)
    required = models.BooleanField(
        default=True, help_text="The course is complete once every required module is."
    )
    body = models.TextField(
        "lesson text",
        blank=True,
        help_text="Lessons: formatted text with headings, lists, links and images. "
        "Scripts and styles are removed when saved.",
    )
    pass_mark_percent = models.PositiveSmallIntegerField(
        "pass mark (%)",
        null=True,
        blank=True,
        help_text="Quizzes: the lowest score, in percent, that passes.",
    )
    max_attempts = models.PositiveSmallIntegerField(
        "allowed attempts",
        null=True,
        blank=True,
        help_text="Quizzes: how many times a learner may submit it; empty for no limit.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["course", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "position"], name="coursemodule_one_per_position"
            ),
            models.CheckConstraint(
                condition=~Q(kind="QUIZ")
                | Q(pass_mark_percent__isnull=False, pass_mark_percent__lte=100),
                name="coursemodule_quiz_has_pass_mark",
            ),
            models.CheckConstraint(
                condition=Q(max_attempts__isnull=True) | Q(max_attempts__gte=1),
                name="coursemodule_attempts_at_least_one",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} – {self.position}. {self.title}"


class QuizQuestion(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "SINGLE", "Single choice"
        MULTIPLE = "MULTIPLE", "Multiple choice (choose all that apply)"
        TRUE_FALSE = "TRUE_FALSE", "True or false"

    module = models.ForeignKey(CourseModule, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=1)
    text = models.TextField("question")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SINGLE)
    feedback = models.TextField(
        blank=True, help_text="Shown with the results, after the quiz is submitted."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["module", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class QuizChoice(models.Model):
    question = models.ForeignKey(QuizQuestion, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(default=1)
    text = models.CharField("choice", max_length=500)
    is_correct = models.BooleanField("correct", default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["question", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class ModuleCompletion(models.Model):
    """A module the learner completed, as the server observed it: a lesson read to its end,
    or a quiz passed. At most one per enrollment and module."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="module_completions"
    )
    module = models.ForeignKey(CourseModule, on_delete=models.PROTECT, related_name="completions")
    completed_at = models.DateTimeField(default=timezone.now)
    score_percent = models.PositiveSmallIntegerField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["completed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "module"], name="modulecompletion_once_per_module"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} – {self.module.title}"


class LessonView(models.Model):
    """The server served the lesson to the learner; finishing it is accepted only for a view
    the server recorded (its token), so the end of a lesson cannot be posted without opening it."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey(CourseModule, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    opened_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["enrollment", "module"])]

    def __str__(self) -> str:
        return f"{self.enrollment} – {self.module.title} ({self.opened_at:%m/%d/%Y})"


class QuizAttempt(models.Model):
    """One try at a quiz: started, then submitted once and graded on the server."""

    class Status(models.TextChoices):
        STARTED = "STARTED", "In progress"
        SUBMITTED = "SUBMITTED", "Submitted"

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    module = models.ForeignKey(CourseModule, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.STARTED)
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(
        default=dict, blank=True, help_text="Chosen choice ids by question id."
    )
    correct_count = models.PositiveSmallIntegerField(null=True, blank=True)
    question_count = models.PositiveSmallIntegerField(null=True, blank=True)
    score_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["enrollment", "module", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "module", "number"], name="quizattempt_numbered_once"
            ),
            models.UniqueConstraint(
                fields=["enrollment", "module"],
                condition=Q(status="STARTED"),
                name="quizattempt_one_open_at_a_time",
            ),
            models.CheckConstraint(
                condition=Q(status="STARTED", submitted_at__isnull=True, score_percent__isnull=True)
                | Q(
                    status="SUBMITTED",
                    submitted_at__isnull=False,
                    score_percent__isnull=False,
                    passed__isnull=False,
                ),
                name="quizattempt_submitted_is_graded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} – {self.module.title}, attempt {self.number}"


class ScormPackage(models.Model):
    """One uploaded version of a SCORM module's package, checked and unpacked into private
    storage under ``storage_prefix``. A new upload is a new version; attempts keep the version
    they started with. Its SCOs are ``scos``; ``launch_path`` and the thresholds here are
    those of the first SCO."""

    class Standard(models.TextChoices):
        SCORM_12 = "1.2", "SCORM 1.2"
        SCORM_2004 = "2004", "SCORM 2004"

    module = models.ForeignKey(CourseModule, on_delete=models.CASCADE, related_name="packages")
    version = models.PositiveSmallIntegerField()
    standard = models.CharField(max_length=10, choices=Standard.choices)
    title = models.CharField(max_length=300, blank=True)
    launch_path = models.CharField(max_length=500)
    storage_prefix = models.CharField(max_length=100, unique=True, editable=False)
    original_name = models.CharField(max_length=255)
    entry_count = models.PositiveIntegerField()
    total_bytes = models.PositiveBigIntegerField()
    mastery_score = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True,
        help_text="SCORM 1.2 adlcp:masteryscore (0–100), from the manifest.",
    )  # fmt: skip
    completion_threshold = models.DecimalField(
        max_digits=5, decimal_places=4, null=True, blank=True,
        help_text="SCORM 2004 adlcp:completionThreshold (0–1), from the manifest.",
    )  # fmt: skip
    scaled_passing_score = models.DecimalField(
        max_digits=5, decimal_places=4, null=True, blank=True,
        help_text="SCORM 2004 minimum normalised measure (−1–1), from the manifest.",
    )  # fmt: skip
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["module", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["module", "version"], name="scormpackage_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.module.title}, version {self.version}"


class ScormSco(models.Model):
    """One SCO (sharable content object) of a package: an item of the manifest's default
    organisation whose resource is a SCO, in document order. Each is launched, tracked and
    judged on its own (its own mastery score, completion threshold and passing score); the
    module is complete when every SCO of the package is. Written once, with its package."""

    package = models.ForeignKey(ScormPackage, on_delete=models.CASCADE, related_name="scos")
    order = models.PositiveSmallIntegerField(help_text="1 for the first SCO of the package.")
    identifier = models.CharField(
        max_length=200, blank=True, help_text="The manifest item's identifier."
    )
    title = models.CharField(max_length=300, blank=True)
    launch_path = models.CharField(max_length=500)
    launch_parameters = models.CharField(
        max_length=1000,
        blank=True,
        help_text="Query string and fragment added to the launch address (href and the "
        "item's parameters), starting with ? or #; empty for none.",
    )
    mastery_score = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True,
        help_text="SCORM 1.2 adlcp:masteryscore (0–100) of the item.",
    )  # fmt: skip
    completion_threshold = models.DecimalField(
        max_digits=5, decimal_places=4, null=True, blank=True,
        help_text="SCORM 2004 adlcp:completionThreshold (0–1) of the item.",
    )  # fmt: skip
    scaled_passing_score = models.DecimalField(
        max_digits=5, decimal_places=4, null=True, blank=True,
        help_text="SCORM 2004 minimum normalised measure (−1–1) of the item's objective.",
    )  # fmt: skip

    class Meta:
        ordering = ["package", "order"]
        verbose_name = "SCORM SCO"
        verbose_name_plural = "SCORM SCOs"
        constraints = [
            models.UniqueConstraint(fields=["package", "order"], name="scormsco_order_once"),
            models.CheckConstraint(condition=Q(order__gte=1), name="scormsco_order_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.package}, SCO {self.order}: {self.display_title}"

    @property
    def display_title(self) -> str:
        return self.title or f"Part {self.order}"


class ScormAttempt(models.Model):
    """A learner's run of one SCO of a SCORM module, with one package version: the runtime
    data the player committed, in order (``sequence``), and what the server decided from it.
    A learner has one attempt per SCO, all of the same package version."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="scorm_attempts"
    )
    module = models.ForeignKey(CourseModule, on_delete=models.PROTECT, related_name="+")
    package = models.ForeignKey(ScormPackage, on_delete=models.PROTECT, related_name="attempts")
    sco = models.ForeignKey(ScormSco, on_delete=models.PROTECT, related_name="attempts")
    sequence = models.PositiveIntegerField(
        default=0, help_text="Number of the last commit accepted; an older one is refused."
    )
    runtime_data = models.JSONField(default=dict, blank=True)
    lesson_status = models.CharField(max_length=20, blank=True)
    completion_status = models.CharField(max_length=20, blank=True)
    success_status = models.CharField(max_length=20, blank=True)
    score_raw = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    score_scaled = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    total_time_seconds = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    last_commit_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    interactions_digest = models.CharField(
        max_length=32, blank=True, editable=False,
        help_text="Digest of the interactions last stored as rows; a commit that carries the "
        "same ones writes none.",
    )  # fmt: skip
    interactions_sequence = models.PositiveIntegerField(
        default=0, editable=False,
        help_text="Number of the commit whose interactions are stored as rows.",
    )  # fmt: skip

    history = HistoricalRecords(excluded_fields=["runtime_data", "interactions_digest"])

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "sco"], name="scormattempt_one_per_sco")
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} – {self.module.title}"


class ScormInteraction(models.Model):
    """One question or task the package reported (``cmi.interactions.n``), as the attempt's
    last accepted commit carried it: SCORM 1.2 ``student_response`` and ``time`` are stored in
    ``learner_response`` and ``timestamp_text`` with SCORM 2004's ``learner_response`` and
    ``timestamp``. Written only by the runtime's commit (``scorm_commit``); never edited."""

    attempt = models.ForeignKey(ScormAttempt, on_delete=models.CASCADE, related_name="interactions")
    index = models.PositiveSmallIntegerField(help_text="n of cmi.interactions.n.")
    interaction_id = models.CharField(max_length=4000)
    interaction_type = models.CharField(max_length=20, blank=True)
    description = models.CharField(max_length=250, blank=True)
    learner_response = models.TextField(blank=True)
    correct_responses = models.JSONField(default=list, blank=True)
    result = models.CharField(max_length=30, blank=True)
    weighting = models.DecimalField(max_digits=17, decimal_places=7, null=True, blank=True)
    latency = models.CharField(max_length=30, blank=True)
    timestamp_text = models.CharField(
        max_length=30, blank=True, help_text="The time as the package reported it."
    )
    timestamp = models.DateTimeField(
        null=True, blank=True, help_text="The SCORM 2004 timestamp, when it is a valid one."
    )
    objective_ids = models.JSONField(default=list, blank=True)
    commit_sequence = models.PositiveIntegerField(
        help_text="Number of the commit that stored this version."
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["attempt", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "index"], name="scorminteraction_one_per_index"
            )
        ]

    def __str__(self) -> str:
        # Not the attempt's name: the attempt's page lists its interactions by this text.
        return f"Interaction {self.index}: {self.interaction_id[:60]}"


# Letters and digits that cannot be mistaken for one another when read aloud or off a slide
# (no 0/O, 1/I/L). Six of them give about 887 million codes against five tries per person.
ATTENDANCE_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ATTENDANCE_CODE_LENGTH = 6


def attendance_code_new() -> str:
    return "".join(secrets.choice(ATTENDANCE_CODE_ALPHABET) for _ in range(ATTENDANCE_CODE_LENGTH))


class LiveSession(models.Model):
    """A scheduled workshop or webinar of a live-session module; learners register for one."""

    module = models.ForeignKey(CourseModule, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField("starts")
    ends_at = models.DateTimeField("ends")
    place = models.CharField(
        max_length=300, blank=True, help_text="Where it is held, e.g. a library's meeting room."
    )
    link = models.URLField("webinar link", max_length=500, blank=True)
    capacity = models.PositiveIntegerField(
        validators=[MinValueValidator(1)], help_text="Seats; later registrations wait."
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trained_sessions",
        limit_choices_to={"groups__name": TRAINERS_GROUP},
        help_text="The trainer who gives the session: they see its roster and record its "
        "attendance in the review site. Someone in the KDLA Trainers group.",
    )
    attendance_code = models.CharField(
        max_length=ATTENDANCE_CODE_LENGTH,
        default=attendance_code_new,
        editable=False,
        help_text="The trainer gives it out during the session; registered learners enter it "
        "on the module page to record their attendance.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["module", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="livesession_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="livesession_has_seats"),
        ]

    def __str__(self) -> str:
        starts = timezone.localtime(self.starts_at)
        return f"{self.module.title}, {starts:%m/%d/%Y %I:%M %p}"


class LiveSessionRegistration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "REGISTERED", "Registered"
        WAITING = "WAITING", "On the waiting list"

    session = models.ForeignKey(LiveSession, on_delete=models.PROTECT, related_name="registrations")
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="live_registrations"
    )
    module = models.ForeignKey(CourseModule, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices)
    registered_at = models.DateTimeField(default=timezone.now)
    attended = models.BooleanField(null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    attendance_code_wrong_tries = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "registered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "module"], name="liveregistration_one_session_per_module"
            ),
            models.CheckConstraint(
                condition=Q(attended__isnull=True)
                | Q(attendance_recorded_at__isnull=False, attendance_recorded_by__isnull=False),
                name="liveregistration_attendance_has_recorder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment.user} – {self.session}"
