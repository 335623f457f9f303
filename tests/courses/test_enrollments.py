import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from certifications.models import Registration
from courses.models import Course, Enrollment
from courses.services.enrollments import course_complete, course_register
from tests.certifications.kdla_history import open_renewal_cycle
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db
KENTUCKY = ZoneInfo("America/New_York")


@pytest.fixture
def today(time_machine) -> datetime.date:
    # Late evening in Kentucky is already the next day in UTC: dates must be local.
    time_machine.move_to(datetime.datetime(2026, 3, 1, 23, 30, tzinfo=KENTUCKY), tick=False)
    return datetime.date(2026, 3, 1)


def test_it_registers_a_person_for_an_active_course():
    user, course = UserFactory(), CourseFactory(title="Reference Basics")
    enrollment = course_register(user=user, course=course)
    assert enrollment.status == Enrollment.Status.REGISTERED
    assert enrollment.completed_on is None


def test_it_refuses_a_second_registration_for_the_same_course():
    user, course = UserFactory(), CourseFactory(title="Reference Basics")
    course_register(user=user, course=course)
    with pytest.raises(ValidationError) as refusal:
        course_register(user=user, course=course)
    assert refusal.value.messages == ["You are already registered for Reference Basics."]
    assert Enrollment.objects.count() == 1


def test_it_refuses_to_register_for_an_inactive_course():
    course = CourseFactory(title="Old Cataloguing Rules", active=False)
    with pytest.raises(ValidationError, match="Old Cataloguing Rules is no longer offered"):
        course_register(user=UserFactory(), course=course)
    assert Enrollment.objects.count() == 0


def test_it_completes_a_course_today_in_kentucky(today):
    enrollment = EnrollmentFactory()
    course_complete(enrollment=enrollment)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert enrollment.completed_on == today


def test_it_refuses_to_complete_a_course_twice(today):
    enrollment = EnrollmentFactory(course__title="Reference Basics")
    course_complete(enrollment=enrollment, completed_on=datetime.date(2026, 2, 1))
    with pytest.raises(ValidationError) as refusal:
        course_complete(enrollment=enrollment)
    assert refusal.value.messages == ["You already completed Reference Basics on 02/01/2026."]
    enrollment.refresh_from_db()
    assert enrollment.completed_on == datetime.date(2026, 2, 1)


def test_it_refuses_a_completion_date_in_the_future(today):
    enrollment = EnrollmentFactory()
    with pytest.raises(ValidationError, match="cannot be in the future"):
        course_complete(enrollment=enrollment, completed_on=today + datetime.timedelta(days=1))
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.REGISTERED


def test_it_credits_a_course_completed_inside_the_renewal_cycle(today):
    user = UserFactory()
    cycle = open_renewal_cycle(user, cycle_start=datetime.date(2025, 6, 1))
    course_complete(enrollment=EnrollmentFactory(user=user, course__contact_hours=Decimal("2.5")))
    cycle.refresh_from_db()
    assert cycle.earned_credits == Decimal("2.5")


def test_it_does_not_credit_a_course_completed_before_the_cycle(today):
    user = UserFactory()
    cycle = open_renewal_cycle(user, cycle_start=datetime.date(2025, 6, 1))
    course_complete(
        enrollment=EnrollmentFactory(user=user), completed_on=datetime.date(2025, 5, 31)
    )
    cycle.refresh_from_db()
    assert cycle.earned_credits == Decimal("0")


def test_it_does_not_credit_another_persons_cycle(today):
    cycle = open_renewal_cycle(UserFactory(), cycle_start=datetime.date(2025, 6, 1))
    course_complete(enrollment=EnrollmentFactory())
    cycle.refresh_from_db()
    assert cycle.earned_credits == Decimal("0")


def test_the_fifth_course_completes_a_part_time_renewal_cycle(today):
    user = UserFactory()
    cycle = open_renewal_cycle(user, cycle_start=datetime.date(2025, 6, 1))
    for _ in range(4):
        course_complete(enrollment=EnrollmentFactory(user=user))
    cycle.refresh_from_db()
    assert (cycle.earned_credits, cycle.status) == (Decimal("12"), Registration.Status.ACTIVE)

    course_complete(enrollment=EnrollmentFactory(user=user))
    cycle.refresh_from_db()
    assert cycle.earned_credits == Decimal("15")
    assert cycle.status == Registration.Status.COMPLETED
    assert cycle.compliance == Registration.Compliance.COMPLIANT


@pytest.mark.django_db
def test_it_sends_an_asynchronous_course_to_report_completion_instead_of_registering(client):
    person = UserFactory()
    course = CourseFactory(title="Grant Writing Online", format=Course.Format.ASYNC_EXTERNAL)
    with pytest.raises(ValidationError, match="report your completion with proof"):
        course_register(user=person, course=course)
    assert not Enrollment.objects.exists()

    client.force_login(person)
    catalogue = client.get(reverse("course_catalogue")).content.decode()
    report_link = f"{reverse('async_completion_new')}?course={course.pk}"
    assert report_link in catalogue
    form = client.get(report_link).content.decode()
    assert f'<option value="{course.pk}" selected>' in form
