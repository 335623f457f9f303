"""The KDLA Reviewers group: who may use the review site (the Django admin) and what for.

Reviewers look people and libraries up, decide files, credit requests and asynchronous
course approvals, and keep the credential rules and the catalogue up to date. They are
not superusers: passwords, groups and the scheduled-job settings stay with administrators.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from accounts.models import User

REVIEWERS_GROUP = "KDLA Reviewers"

# (app label, model, actions). Models that do not exist (yet) are skipped.
REVIEWER_PERMISSIONS: list[tuple[str, str, tuple[str, ...]]] = [
    ("accounts", "user", ("view",)),
    ("accounts", "library", ("view",)),
    # Reviewers make people directors or delegates of a library system.
    ("accounts", "libraryrole", ("add", "change", "delete", "view")),
    ("certifications", "externalfile", ("view", "change")),
    ("certifications", "credentialtype", ("add", "change", "view")),
    ("certifications", "documenttype", ("add", "change", "view")),
    ("certifications", "registration", ("view",)),
    # Per-person exceptions: a later upload deadline or cycle end, with a reason.
    ("certifications", "deadlineextension", ("add", "view")),
    ("notifications", "outboxmessage", ("view",)),
    # Reviewers revoke certificates (with a reason); issuing follows an approval by itself.
    ("certificates", "certificate", ("view", "change")),
    ("certificates", "namechangerequest", ("view", "change")),
    ("credits", "creditrequest", ("view", "change")),
    ("courses", "course", ("add", "change", "view")),
    ("courses", "category", ("add", "change", "view")),
    ("courses", "provider", ("add", "change", "view")),
    # Reviewers record a completion by hand, with a reason (a paper sign-in sheet).
    ("courses", "enrollment", ("view", "complete")),
    ("courses", "courseapprovalrequest", ("view", "change")),
    ("courses", "asynccompletion", ("view", "change")),
    # Reviewers write the portal courses' lessons and quizzes; attempts are only shown.
    ("courses", "coursemodule", ("add", "change", "delete", "view")),
    ("courses", "quizquestion", ("add", "change", "delete", "view")),
    ("courses", "quizchoice", ("add", "change", "delete", "view")),
    ("courses", "quizattempt", ("view",)),
    ("courses", "scormpackage", ("add", "view")),
    ("courses", "scormattempt", ("view",)),
    ("courses", "scorminteraction", ("view",)),
    ("courses", "livesession", ("add", "change", "delete", "view")),
    ("courses", "livesessionregistration", ("change", "view")),
    # The audit trail ("History" in the admin).
    ("accounts", "historicallibraryrole", ("view",)),
    ("certifications", "historicalexternalfile", ("view",)),
    ("certifications", "historicalcredentialtype", ("view",)),
    ("certifications", "historicalregistration", ("view",)),
    ("certifications", "historicaldeadlineextension", ("view",)),
    ("certificates", "historicalcertificate", ("view",)),
    ("certificates", "historicalnamechangerequest", ("view",)),
    ("credits", "historicalcreditrequest", ("view",)),
    ("courses", "historicalcourse", ("view",)),
    ("courses", "historicalprovider", ("view",)),
    ("courses", "historicalenrollment", ("view",)),
    ("courses", "historicalcourseapprovalrequest", ("view",)),
    ("courses", "historicalasynccompletion", ("view",)),
    ("courses", "historicalcoursemodule", ("view",)),
    ("courses", "historicalquizquestion", ("view",)),
    ("courses", "historicalquizchoice", ("view",)),
    ("courses", "historicalquizattempt", ("view",)),
    ("courses", "historicalmodulecompletion", ("view",)),
    ("courses", "historicalscormpackage", ("view",)),
    ("courses", "historicalscormattempt", ("view",)),
    ("courses", "historicallivesession", ("view",)),
    ("courses", "historicallivesessionregistration", ("view",)),
]


def reviewer_permissions_q() -> Q:
    wanted = Q(pk__in=[])
    for app_label, model, actions in REVIEWER_PERMISSIONS:
        codenames = [f"{action}_{model}" for action in actions]
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    return wanted


def reviewers_group() -> Group:
    """The group, given the reviewers' permissions (this catches up with models added
    after the migration that created it; permissions an administrator added are kept)."""
    group, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    group.permissions.add(*Permission.objects.filter(reviewer_permissions_q()))
    return group


def add_to_reviewers(user: User) -> None:
    user.groups.add(reviewers_group())
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
