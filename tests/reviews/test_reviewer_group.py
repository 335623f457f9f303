import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.models import User
from accounts.reviewers import REVIEWERS_GROUP, add_to_reviewers
from certifications.models import ExternalFile
from credits.models import CreditRequest
from portal.demo.people import DEMO_REVIEWER_EMAIL
from portal.demo.review_queue import DEMO_SECOND_STAFF_EMAIL
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("migration_installed_data")]


def group_permissions() -> set[str]:
    group = Group.objects.get(name=REVIEWERS_GROUP)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_the_migration_creates_the_group_with_only_what_reviewers_need():
    granted = group_permissions()

    assert {
        "accounts.view_user",
        "accounts.view_library",
        "certifications.view_externalfile",
        "certifications.change_externalfile",
        "credits.view_creditrequest",
        "credits.change_creditrequest",
        "certifications.add_credentialtype",
        "certifications.change_credentialtype",
        "courses.change_course",
        "certifications.view_registration",
        "certifications.view_historicalregistration",
    } <= granted
    assert (
        not {
            "accounts.change_user",
            "accounts.add_user",
            "auth.change_group",
            "auth.view_group",
            "certifications.change_registration",
            "certifications.delete_externalfile",
            "credits.delete_creditrequest",
            "django_celery_beat.view_periodictask",
        }
        & granted
    )


def test_adding_a_reviewer_grants_the_asynchronous_course_reviews_too():
    person = UserFactory(is_staff=False)
    add_to_reviewers(person)

    person = User.objects.get(pk=person.pk)
    assert person.is_staff and not person.is_superuser
    assert person.has_perm("courses.change_courseapprovalrequest")
    assert person.has_perm("courses.change_asynccompletion")


def test_seed_demo_gives_the_demo_reviewer_a_queue():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    robin = User.objects.get(email=DEMO_REVIEWER_EMAIL)
    assert robin.groups.filter(name=REVIEWERS_GROUP).exists()
    [external_file] = ExternalFile.objects.filter(registration__user__email=DEMO_SECOND_STAFF_EMAIL)
    [credit_request] = CreditRequest.objects.filter(user__email=DEMO_SECOND_STAFF_EMAIL)
    assert external_file.status == "PENDING"
    assert external_file.file.storage.exists(external_file.file.name)
    assert credit_request.status == "PENDING"
    assert credit_request.documentation.storage.exists(credit_request.documentation.name)


def test_seed_demo_gives_the_demo_trainer_a_live_workshop_of_their_own():
    from courses.models import LiveSession
    from portal.demo.live_sessions import DEMO_WORKSHOP_TITLE
    from portal.demo.people import DEMO_TRAINER_EMAIL

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # a second run adds nothing

    jordan = User.objects.get(email=DEMO_TRAINER_EMAIL)
    assert jordan.is_staff and not jordan.is_superuser
    assert jordan.groups.filter(name="KDLA Trainers").exists()
    assert jordan.has_perm("courses.change_livesessionregistration")
    assert not jordan.has_perm("courses.change_livesession")
    sessions = LiveSession.objects.filter(module__course__title=DEMO_WORKSHOP_TITLE)
    assert [(s.capacity, s.trainer) for s in sessions.order_by("starts_at")] == [
        (12, jordan),
        (2, jordan),
    ]
