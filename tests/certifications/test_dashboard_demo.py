import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from courses.models import Enrollment
from portal.demo.people import DEMO_STAFF_EMAIL

pytestmark = pytest.mark.django_db


def test_the_demo_staff_member_sees_the_next_step_toward_certification(client):
    call_command("seed_demo", stdout=None)
    staff = User.objects.get(email=DEMO_STAFF_EMAIL)
    client.force_login(staff)
    steps = client.get(reverse("dashboard")).context["dashboard"].next_steps
    assert [(step.credential_name, step.text) for step in steps] == [
        (
            "Part-time Certification- Initial Application",
            "Complete 2 more courses to apply: Reference Basics, Readers' Advisory Basics",
        )
    ]


def test_seeding_twice_changes_nothing(client):
    call_command("seed_demo")
    staff = User.objects.get(email=DEMO_STAFF_EMAIL)
    before = list(
        Enrollment.objects.filter(user=staff).values_list("course__title", "status", "completed_on")
    )
    call_command("seed_demo")
    after = list(
        Enrollment.objects.filter(user=staff).values_list("course__title", "status", "completed_on")
    )
    assert sorted(before) == sorted(after)
    assert [status for _, status, _ in sorted(after)].count("COMPLETED") == 2
    assert len(after) == 4


def test_the_demo_completions_come_from_the_modules_the_person_took():
    from courses.models import CourseModule, ModuleCompletion, QuizAttempt

    call_command("seed_demo")
    staff = User.objects.get(email=DEMO_STAFF_EMAIL)
    for enrollment in Enrollment.objects.filter(user=staff, status=Enrollment.Status.COMPLETED):
        modules = CourseModule.objects.filter(course_id=enrollment.course_id)
        assert modules.exists()
        done = ModuleCompletion.objects.filter(enrollment=enrollment)
        assert done.count() == modules.count()
        assert QuizAttempt.objects.filter(enrollment=enrollment, passed=True).exists()
