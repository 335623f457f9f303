import datetime
import threading
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from certifications.models import CredentialType, Registration
from certifications.services.earned import registrations_refresh_earned
from certifications.services.registrations import add_calendar_years, credential_register
from courses.kdla_catalogue import PART_TIME_REQUIRED_COURSES
from courses.services.enrollments import course_register
from tests.certifications.kdla_history import (
    INITIAL,
    RENEWAL_APPLICATION,
    RENEWAL_CREDITS,
    complete_courses,
    decided_credit_request,
    kdla_course,
    kdla_credential,
    open_renewal_cycle,
)
from tests.factories import CredentialTypeFactory, RegistrationFactory, UserFactory

KENTUCKY = ZoneInfo("America/New_York")


@pytest.fixture
def today(time_machine) -> datetime.date:
    time_machine.move_to(datetime.datetime(2027, 2, 8, 9, 0, tzinfo=KENTUCKY), tick=False)
    return datetime.date(2027, 2, 8)


@pytest.fixture
def staff_member(db):
    return UserFactory(first_name="Casey")


def complete_all_part_time_courses(user) -> None:
    complete_courses(user, PART_TIME_REQUIRED_COURSES, datetime.date(2027, 1, 15))


@pytest.mark.django_db
class TestInitialApplication:
    def test_it_names_the_courses_still_missing(self, today, staff_member):
        complete_courses(
            staff_member,
            ["Customer Service Basics", "Solving Difficult Situations in the Library"],
            datetime.date(2027, 1, 15),
        )
        with pytest.raises(ValidationError) as refusal:
            credential_register(user=staff_member, credential_type=kdla_credential(INITIAL))
        assert refusal.value.messages == [
            "Complete these courses first: Reference Basics, Readers' Advisory Basics"
        ]
        assert Registration.objects.count() == 0

    def test_a_registered_but_unfinished_course_is_still_missing(self, today, staff_member):
        complete_courses(staff_member, PART_TIME_REQUIRED_COURSES[:3], datetime.date(2027, 1, 15))
        course_register(user=staff_member, course=kdla_course("Readers' Advisory Basics"))
        with pytest.raises(ValidationError) as refusal:
            credential_register(user=staff_member, credential_type=kdla_credential(INITIAL))
        assert refusal.value.messages == ["Complete these courses first: Readers' Advisory Basics"]
        assert Registration.objects.count() == 0

    def test_it_registers_once_the_four_courses_are_complete(self, today, staff_member):
        complete_all_part_time_courses(staff_member)
        registration = credential_register(
            user=staff_member, credential_type=kdla_credential(INITIAL)
        )
        assert registration.status == Registration.Status.ACTIVE
        assert registration.compliance == Registration.Compliance.NOT_COMPLIANT
        assert registration.credential_code == INITIAL
        assert registration.cycle_start == datetime.date(2027, 2, 8)
        # The seed's example: registered 02/08/2023, cycle to 04/09/2023 (60 days).
        assert registration.cycle_end == datetime.date(2027, 4, 9)
        # Day 30 is the last day the window is open.
        assert registration.upload_due_on == datetime.date(2027, 3, 10)

    def test_it_refuses_a_second_registration_for_the_open_cycle(self, today, staff_member):
        complete_all_part_time_courses(staff_member)
        credential_register(user=staff_member, credential_type=kdla_credential(INITIAL))
        with pytest.raises(ValidationError) as refusal:
            credential_register(user=staff_member, credential_type=kdla_credential(INITIAL))
        assert refusal.value.messages == [
            "You are already registered for Part-time Certification- Initial Application "
            "(cycle 02/08/2027 – 04/09/2027)."
        ]
        assert Registration.objects.count() == 1

    def test_it_allows_a_new_cycle_after_the_last_one_lapsed(self, today, staff_member):
        complete_all_part_time_courses(staff_member)
        first = credential_register(user=staff_member, credential_type=kdla_credential(INITIAL))
        Registration.objects.filter(pk=first.pk).update(status=Registration.Status.LAPSED)
        second = credential_register(user=staff_member, credential_type=kdla_credential(INITIAL))
        assert second.pk != first.pk


@pytest.mark.django_db
def test_the_database_refuses_two_open_cycles_of_one_credential():
    registration = RegistrationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(
            user=registration.user,
            credential_type=registration.credential_type,
            status=Registration.Status.PENDING_REVIEW,
        )


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_registrations_create_one_cycle():
    user = UserFactory()
    credential = CredentialTypeFactory()
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def register() -> None:
        start.wait()
        try:
            credential_register(user=user, credential_type=credential)
            outcomes.append("registered")
        except ValidationError as refusal:
            outcomes.append(refusal.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes)[1] == "registered"
    assert sorted(outcomes)[0].startswith(f"You are already registered for {credential.name}")
    assert Registration.objects.filter(user=user).count() == 1


@pytest.mark.django_db
class TestRenewalApplication:
    def test_it_is_refused_while_the_renewal_credits_are_not_complete(self, today, staff_member):
        cycle = open_renewal_cycle(staff_member, cycle_start=datetime.date(2026, 1, 5))
        decided_credit_request(
            cycle, activity_date=datetime.date(2026, 6, 1), requested="10", approved="10"
        )
        with pytest.raises(ValidationError) as refusal:
            credential_register(
                user=staff_member, credential_type=kdla_credential(RENEWAL_APPLICATION)
            )
        assert refusal.value.messages == [
            "You can register for Part-time Certification- Renewal Application once your "
            "Part Time Certification- Renewal credits cycle is complete: 5 more contact hours "
            "are missing (10 of 15 earned by 01/05/2031)."
        ]
        assert Registration.objects.filter(credential_code=RENEWAL_APPLICATION).count() == 0

    def test_it_is_refused_with_no_renewal_cycle_at_all(self, today, staff_member):
        with pytest.raises(ValidationError, match="once your Part Time Certification- Renewal"):
            credential_register(
                user=staff_member, credential_type=kdla_credential(RENEWAL_APPLICATION)
            )
        assert Registration.objects.count() == 0

    def test_it_registers_once_the_renewal_credits_are_complete(self, today, staff_member):
        cycle = open_renewal_cycle(staff_member, cycle_start=datetime.date(2026, 1, 5))
        decided_credit_request(
            cycle, activity_date=datetime.date(2026, 6, 1), requested="15", approved="15"
        )
        cycle.refresh_from_db()
        assert cycle.status == Registration.Status.COMPLETED
        registration = credential_register(
            user=staff_member, credential_type=kdla_credential(RENEWAL_APPLICATION)
        )
        assert registration.credential_code == RENEWAL_APPLICATION
        assert registration.upload_due_on == datetime.date(2027, 3, 10)


@pytest.mark.django_db
class TestCycleDates:
    def test_a_five_year_cycle_ends_on_the_same_calendar_day(self, time_machine):
        time_machine.move_to(datetime.datetime(2026, 7, 4, 10, tzinfo=KENTUCKY), tick=False)
        registration = credential_register(
            user=UserFactory(), credential_type=CredentialTypeFactory(cycle_length_years=5)
        )
        assert registration.cycle_end == datetime.date(2031, 7, 4)
        assert registration.upload_due_on is None

    def test_a_cycle_started_on_february_29_ends_on_february_28(self, time_machine):
        time_machine.move_to(datetime.datetime(2028, 2, 29, 10, tzinfo=KENTUCKY), tick=False)
        registration = credential_register(
            user=UserFactory(), credential_type=CredentialTypeFactory(cycle_length_years=5)
        )
        assert registration.cycle_end == datetime.date(2033, 2, 28)

    def test_years_and_days_add_up(self):
        assert add_calendar_years(datetime.date(2024, 2, 29), 1) == datetime.date(2025, 2, 28)
        assert add_calendar_years(datetime.date(2024, 2, 29), 4) == datetime.date(2028, 2, 29)

    def test_no_upload_date_without_required_documents(self, today):
        credential = CredentialTypeFactory(
            kind=CredentialType.Kind.INITIAL_APPLICATION,
            cycle_length_years=0,
            cycle_length_days=60,
            upload_window_days=30,
        )
        registration = credential_register(user=UserFactory(), credential_type=credential)
        assert registration.upload_due_on is None


@pytest.mark.django_db
class TestRuleVersions:
    @pytest.fixture
    def versions(self):
        old = CredentialTypeFactory(
            code="part-time-renewal-credits-test",
            version=1,
            required_credits=Decimal("15"),
            effective_on=datetime.date(2020, 1, 1),
        )
        new = CredentialTypeFactory(
            code="part-time-renewal-credits-test",
            version=2,
            name=old.name,
            required_credits=Decimal("20"),
            effective_on=datetime.date(2027, 7, 1),
        )
        return old, new

    def test_before_the_effective_date_new_registrations_get_the_old_rules(
        self, versions, time_machine
    ):
        old, new = versions
        time_machine.move_to(datetime.datetime(2027, 6, 30, 12, tzinfo=KENTUCKY), tick=False)
        registration = credential_register(user=UserFactory(), credential_type=new)
        assert registration.credential_type == old

    def test_after_the_effective_date_new_registrations_get_the_new_rules(
        self, versions, time_machine
    ):
        old, new = versions
        time_machine.move_to(datetime.datetime(2027, 7, 1, 12, tzinfo=KENTUCKY), tick=False)
        registration = credential_register(user=UserFactory(), credential_type=old)
        assert registration.credential_type == new
        assert registration.credential_type.required_credits == Decimal("20")

    def test_an_existing_registration_keeps_its_required_credits(self, versions, time_machine):
        old, new = versions
        time_machine.move_to(datetime.datetime(2027, 1, 10, 12, tzinfo=KENTUCKY), tick=False)
        user = UserFactory()
        registration = credential_register(user=user, credential_type=old)
        time_machine.move_to(datetime.datetime(2027, 8, 1, 12, tzinfo=KENTUCKY), tick=False)
        decided_credit_request(
            registration, activity_date=datetime.date(2027, 7, 15), requested="15", approved="15"
        )
        registration.refresh_from_db()
        assert registration.credential_type == old
        assert registration.status == Registration.Status.COMPLETED
        registrations_refresh_earned(registration_ids=[registration.pk])
        assert Registration.objects.get(pk=registration.pk).status == "COMPLETED"

    def test_an_inactive_credential_is_not_open_for_registration(self, today):
        credential = CredentialTypeFactory(name="Trustee Certification", active=False)
        with pytest.raises(ValidationError) as refusal:
            credential_register(user=UserFactory(), credential_type=credential)
        assert refusal.value.messages == ["Trustee Certification is not open for registration."]
        assert Registration.objects.count() == 0

    def test_a_credential_not_yet_in_force_is_not_open(self, today):
        credential = CredentialTypeFactory(
            name="Trustee Certification", effective_on=datetime.date(2027, 3, 1)
        )
        with pytest.raises(ValidationError, match="not open for registration"):
            credential_register(user=UserFactory(), credential_type=credential)
        assert Registration.objects.count() == 0


@pytest.mark.django_db
def test_the_renewal_credits_cycle_is_five_calendar_years(today):
    registration = credential_register(
        user=UserFactory(), credential_type=kdla_credential(RENEWAL_CREDITS)
    )
    assert (registration.cycle_start, registration.cycle_end) == (
        datetime.date(2027, 2, 8),
        datetime.date(2032, 2, 8),
    )
