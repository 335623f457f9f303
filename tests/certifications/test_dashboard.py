import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from certifications.models import ExternalFile, Registration
from certifications.services.registrations import credential_register
from courses.kdla_catalogue import PART_TIME_REQUIRED_COURSES
from courses.services.enrollments import course_register
from courses.services.modules import lesson_finish, lesson_open
from tests.certifications.kdla_history import (
    INITIAL,
    RENEWAL_APPLICATION,
    complete_course,
    complete_courses,
    decided_credit_request,
    kdla_course,
    kdla_credential,
    open_renewal_cycle,
    uploaded_file,
)
from tests.courses.factories import LessonFactory
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db
KENTUCKY = ZoneInfo("America/New_York")
# Session, user, registrations, their required documents and files, current applications
# and their courses, enrollments, courses in progress with their modules and modules done,
# credit requests, certificates — and a little slack.
QUERY_BOUND = 14
# The whole page for a person with courses in progress (and nothing else), pinned exactly.
COURSES_IN_PROGRESS_QUERIES = 11


@pytest.fixture(autouse=True)
def today(time_machine) -> datetime.date:
    time_machine.move_to(datetime.datetime(2027, 2, 8, 9, 0, tzinfo=KENTUCKY), tick=False)
    return datetime.date(2027, 2, 8)


@pytest.fixture
def staff_member():
    return UserFactory(first_name="Casey", hours_per_month=60)


@pytest.fixture
def signed_in(client, staff_member):
    client.force_login(staff_member)
    return client


def dashboard_html(client) -> str:
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    """The page's words with tags removed and whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def next_steps(client) -> list[tuple[str, str]]:
    steps = client.get(reverse("dashboard")).context["dashboard"].next_steps
    return [(step.credential_name, step.text) for step in steps]


def registered_initial_application(user) -> Registration:
    complete_courses(user, PART_TIME_REQUIRED_COURSES, datetime.date(2027, 1, 20))
    return credential_register(user=user, credential_type=kdla_credential(INITIAL))


class TestPanelAndBoxes:
    def test_it_has_the_left_panel_and_the_boxes_of_the_how_to(self, signed_in):
        html = dashboard_html(signed_in)
        assert f'href="{reverse("course_catalogue")}">Register for Course</a>' in html
        assert f'href="{reverse("credit_request_new")}">Request new Credit</a>' in html
        assert "CREDENTIALS" in html
        assert "REQUEST CREDITS" in html
        assert "My courses" in html

    def test_the_credentials_box_shows_the_registration_with_its_dates(
        self, signed_in, staff_member
    ):
        registered_initial_application(staff_member)
        html = dashboard_html(signed_in)
        for column in [
            "Credential",
            "Current Cycle Start",
            "Current Cycle End",
            "Required Credits",
            "Earned Credits",
            "Status",
            "Compliance",
        ]:
            assert f'<th scope="col">{column}</th>' in html
        words = text_of(html)
        assert "Initial Part Time Certification 02/08/2027 04/09/2027" in words
        assert "ACTIVE NOT COMPLIANT" in words

    def test_the_request_credits_box_shows_the_decisions(self, signed_in, staff_member):
        cycle = open_renewal_cycle(staff_member, cycle_start=datetime.date(2026, 1, 6))
        decided_credit_request(
            cycle,
            activity_date=datetime.date(2026, 12, 1),
            requested="15",
            approved="15",
            reviewer_note="good",
        )
        decided_credit_request(
            cycle,
            activity_date=datetime.date(2026, 12, 2),
            requested="10",
            approved="4.5",
            reviewer_note="Only the workshop counts",
            course="State conference",
        )
        decided_credit_request(
            cycle, activity_date=datetime.date(2027, 1, 2), requested="2", approved=None
        )
        words = text_of(dashboard_html(signed_in))
        for column in ["Request Date", "Requested Credits", "Approved Credits", "Notes"]:
            assert column in words
        assert "02/08/2027 APPROVED 15 15 good" in words
        assert "02/08/2027 PARTIALLY APPROVED 10 4.5 Only the workshop counts" in words
        assert "02/08/2027 PENDING 2" in words
        assert words.count("Part Time Certification- Renewal credits Annual Summation") == 2

    def test_the_earned_credits_have_an_accessible_progress_bar(self, signed_in, staff_member):
        cycle = open_renewal_cycle(staff_member, cycle_start=datetime.date(2026, 1, 6))
        decided_credit_request(
            cycle, activity_date=datetime.date(2026, 3, 1), requested="2.5", approved="2.5"
        )
        html = dashboard_html(signed_in)
        assert re.search(
            r'class="progress[^"]*" role="progressbar"\s+'
            r'aria-label="Earned credits for Part Time Certification- Renewal credits"\s+'
            r'aria-valuenow="2.5" aria-valuemin="0"\s+aria-valuemax="15"',
            html,
        )
        assert 'class="progress-bar progress-16"' in html

    def test_my_courses_lists_registered_and_completed_courses_with_links(
        self, signed_in, staff_member
    ):
        complete_course(staff_member, kdla_course("Reference Basics"), datetime.date(2027, 1, 4))
        course_register(user=staff_member, course=kdla_course("Customer Service Basics"))
        html = dashboard_html(signed_in)
        reference = kdla_course("Reference Basics")
        assert f'href="{reverse("course_detail", args=[reference.pk])}">Reference Basics' in html
        words = text_of(html)
        assert "Reference Basics completed 01/04/2027 · 3 contact hours" in words
        assert "Customer Service Basics registered 02/08/2027" in words

    def test_it_shows_only_the_persons_own_records(self, signed_in):
        other = UserFactory()
        cycle = open_renewal_cycle(other, cycle_start=datetime.date(2026, 1, 6))
        decided_credit_request(
            cycle, activity_date=datetime.date(2026, 3, 1), requested="3", approved="3"
        )
        EnrollmentFactory(user=other, course__title="Someone Else's Course")
        dashboard = signed_in.get(reverse("dashboard")).context["dashboard"]
        assert dashboard.credential_rows == []
        assert dashboard.credit_requests == []
        assert dashboard.courses_in_progress == []


class TestUploadMissingFiles:
    def test_the_orange_button_shows_the_days_left_of_the_thirty(self, signed_in, staff_member):
        registration = registered_initial_application(staff_member)
        html = dashboard_html(signed_in)
        url = reverse("registration_files", args=[registration.pk])
        assert f'class="btn btn-sm btn-upload-missing text-nowrap" href="{url}"' in html
        assert "Upload Missing Files" in html
        assert "30 days left" in html

    def test_the_days_left_count_down_to_the_last_day(self, signed_in, staff_member, time_machine):
        registered_initial_application(staff_member)
        time_machine.move_to(datetime.datetime(2027, 2, 26, 9, tzinfo=KENTUCKY), tick=False)
        signed_in.force_login(staff_member)  # sessions expire as time moves
        assert "12 days left" in dashboard_html(signed_in)
        time_machine.move_to(datetime.datetime(2027, 3, 10, 20, tzinfo=KENTUCKY), tick=False)
        signed_in.force_login(staff_member)  # sessions expire as time moves
        assert "last day today" in dashboard_html(signed_in)

    def test_the_button_goes_once_the_window_closed(self, signed_in, staff_member, time_machine):
        registered_initial_application(staff_member)
        time_machine.move_to(datetime.datetime(2027, 3, 11, 9, tzinfo=KENTUCKY), tick=False)
        signed_in.force_login(staff_member)  # sessions expire as time moves
        html = dashboard_html(signed_in)
        assert "btn-upload-missing" not in html
        assert (
            "The time to upload the Application for Certification of Part-Time Library Staff "
            "ended on 03/10/2027." in html
        )

    @pytest.mark.parametrize("status", [ExternalFile.Status.PENDING, ExternalFile.Status.APPROVED])
    def test_a_file_awaiting_review_or_approved_fills_the_slot(
        self, signed_in, staff_member, status
    ):
        uploaded_file(registered_initial_application(staff_member), status=status)
        html = dashboard_html(signed_in)
        assert "btn-upload-missing" not in html
        assert next_steps(signed_in) == [
            ("Initial Part Time Certification", "Awaiting KDLA review")
        ]

    def test_a_rejected_file_must_be_replaced(self, signed_in, staff_member):
        uploaded_file(
            registered_initial_application(staff_member), status=ExternalFile.Status.REJECTED
        )
        assert "btn-upload-missing" in dashboard_html(signed_in)


class TestNextSteps:
    def test_a_new_part_time_staff_member_is_told_the_four_courses(self, signed_in):
        kdla_credential(INITIAL)
        assert next_steps(signed_in) == [
            (
                "Part-time Certification- Initial Application",
                "Complete 4 more courses to apply: Customer Service Basics, Reference Basics, "
                "Solving Difficult Situations in the Library, Readers' Advisory Basics",
            )
        ]

    def test_it_names_the_two_courses_still_to_complete(self, signed_in, staff_member):
        complete_courses(
            staff_member,
            ["Customer Service Basics", "Solving Difficult Situations in the Library"],
            datetime.date(2027, 1, 20),
        )
        assert next_steps(signed_in) == [
            (
                "Part-time Certification- Initial Application",
                "Complete 2 more courses to apply: Reference Basics, Readers' Advisory Basics",
            )
        ]
        assert (
            "Complete 2 more courses to apply: Reference Basics, Readers&#x27; Advisory Basics"
            in dashboard_html(signed_in)
        )

    def test_full_time_staff_without_part_time_courses_get_no_part_time_step(self, client):
        kdla_credential(INITIAL)
        client.force_login(UserFactory(hours_per_month=160))
        assert next_steps(client) == []

    def test_after_the_courses_it_says_to_register(self, signed_in, staff_member):
        complete_courses(staff_member, PART_TIME_REQUIRED_COURSES, datetime.date(2027, 1, 20))
        assert next_steps(signed_in) == [
            (
                "Part-time Certification- Initial Application",
                "All courses are complete — you can now register for "
                "Part-time Certification- Initial Application",
            )
        ]

    def test_after_registering_it_says_what_to_upload_by_when(
        self, signed_in, staff_member, time_machine
    ):
        registered_initial_application(staff_member)
        time_machine.move_to(datetime.datetime(2027, 2, 26, 9, tzinfo=KENTUCKY), tick=False)
        signed_in.force_login(staff_member)  # sessions expire as time moves
        assert next_steps(signed_in) == [
            (
                "Initial Part Time Certification",
                "Upload the Application for Certification of Part-Time Library Staff "
                "by 03/10/2027 (12 days left)",
            )
        ]

    def test_while_kdla_reviews_it_says_so(self, signed_in, staff_member):
        registration = registered_initial_application(staff_member)
        uploaded_file(registration)
        Registration.objects.filter(pk=registration.pk).update(
            status=Registration.Status.PENDING_REVIEW
        )
        words = text_of(dashboard_html(signed_in))
        assert "PENDING REVIEW NOT COMPLIANT" in words
        assert next_steps(signed_in) == [
            ("Initial Part Time Certification", "Awaiting KDLA review")
        ]

    def test_a_renewal_cycle_says_how_many_hours_are_left_and_by_when(
        self, signed_in, staff_member
    ):
        cycle = open_renewal_cycle(staff_member, cycle_start=datetime.date(2023, 2, 6))
        decided_credit_request(
            cycle, activity_date=datetime.date(2026, 3, 1), requested="2.5", approved="2.5"
        )
        assert next_steps(signed_in) == [
            (
                "Part Time Certification- Renewal credits",
                "12.5 more contact hours by 02/06/2028",
            )
        ]

    def test_a_completed_renewal_cycle_points_to_the_renewal_application(
        self, signed_in, staff_member
    ):
        cycle = open_renewal_cycle(staff_member, cycle_start=datetime.date(2023, 2, 6))
        decided_credit_request(
            cycle, activity_date=datetime.date(2026, 3, 1), requested="15", approved="15"
        )
        kdla_credential(RENEWAL_APPLICATION)
        words = text_of(dashboard_html(signed_in))
        assert "02/06/2023 02/06/2028 15 15" in words
        assert "COMPLETED COMPLIANT" in words
        assert next_steps(signed_in) == [
            (
                "Part Time Certification- Renewal credits",
                "Completed — you can now register for Part-time Certification- Renewal Application",
            )
        ]

    def test_once_registered_for_renewal_it_no_longer_suggests_it(self, signed_in, staff_member):
        cycle = open_renewal_cycle(staff_member, cycle_start=datetime.date(2023, 2, 6))
        decided_credit_request(
            cycle, activity_date=datetime.date(2026, 3, 1), requested="15", approved="15"
        )
        credential_register(user=staff_member, credential_type=kdla_credential(RENEWAL_APPLICATION))
        steps = dict(next_steps(signed_in))
        assert steps["Part Time Certification- Renewal credits"] == "Completed"
        assert steps["Part Time Certification"].startswith(
            "Upload the Application for Certification of Part-Time Library Staff by 03/10/2027"
        )

    def test_an_approved_application_points_to_its_renewal_credits(self, signed_in, staff_member):
        registration = registered_initial_application(staff_member)
        Registration.objects.filter(pk=registration.pk).update(
            status=Registration.Status.COMPLETED, compliance=Registration.Compliance.COMPLIANT
        )
        assert next_steps(signed_in) == [
            (
                "Initial Part Time Certification",
                "Approved — your contact hours now count toward "
                "Part Time Certification- Renewal credits",
            )
        ]


def build_history(user, count: int) -> None:
    """``count`` completed courses, credit requests and registrations' files."""
    cycle = open_renewal_cycle(user, cycle_start=datetime.date(2023, 2, 6))
    for number in range(count):
        course = CourseFactory(title=f"Course {number}", contact_hours=Decimal("0.5"))
        complete_course(user, course, datetime.date(2024, 1, 1) + datetime.timedelta(days=number))
        decided_credit_request(
            cycle,
            activity_date=datetime.date(2025, 1, 1),
            requested="0.5",
            approved="0.5" if number % 2 else None,
            reviewer_note="ok",
            course=f"Workshop {number}",
        )
    application = registered_initial_application(user)
    for _ in range(count):
        uploaded_file(application, status=ExternalFile.Status.REJECTED)


@pytest.mark.parametrize("count", [1, 50])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    signed_in, staff_member, django_assert_max_num_queries, count
):
    build_history(staff_member, count)
    with django_assert_max_num_queries(QUERY_BOUND):
        response = signed_in.get(reverse("dashboard"))
    dashboard = response.context["dashboard"]
    assert len(dashboard.credit_requests) == count
    assert len(dashboard.completed_enrollments) == count + 4
    assert "btn-upload-missing" in response.content.decode()


def course_with_lessons(title: str, count: int = 3):
    course = CourseFactory(title=title, contact_hours=Decimal("2"))
    return course, [
        LessonFactory(course=course, title=f"{title} part {n}") for n in range(1, count + 1)
    ]


def read_lesson(enrollment, module) -> None:
    view = lesson_open(enrollment=enrollment, module=module)
    lesson_finish(enrollment=enrollment, module=module, view_token=str(view.token))


class TestCoursesInProgress:
    def test_a_course_in_progress_shows_modules_done_last_activity_and_continue(
        self, signed_in, staff_member, time_machine
    ):
        course, lessons = course_with_lessons("Weeding the Collection")
        enrollment = course_register(user=staff_member, course=course)
        time_machine.move_to(datetime.datetime(2027, 2, 10, 14, 0, tzinfo=KENTUCKY), tick=False)
        read_lesson(enrollment, lessons[0])
        time_machine.move_to(datetime.datetime(2027, 2, 12, 23, 30, tzinfo=KENTUCKY), tick=False)
        lesson_open(enrollment=enrollment, module=lessons[1])  # opened, not finished
        signed_in.force_login(staff_member)  # days later: the idle session has timed out

        html = dashboard_html(signed_in)
        words = text_of(html)
        # 11:30 pm in Kentucky is already the next day in UTC: the date shown is Kentucky's.
        assert (
            "Weeding the Collection registered 02/08/2027 "
            "1 of 3 modules done · last activity 02/12/2027" in words
        )
        continue_url = reverse("course_module", args=[course.pk, lessons[1].pk])
        assert f'href="{continue_url}">Continue' in html
        assert "Continue Weeding the Collection: Weeding the Collection part 2" in words

    def test_an_optional_module_is_counted_but_continue_skips_it(self, signed_in, staff_member):
        course, lessons = course_with_lessons("Storytime Basics")
        lessons[1].required = False
        lessons[1].save()
        enrollment = course_register(user=staff_member, course=course)
        read_lesson(enrollment, lessons[0])
        progress = signed_in.get(reverse("dashboard")).context["dashboard"].courses_in_progress
        assert [(p.modules_done, p.modules_total, p.next_module) for p in progress] == [
            (1, 3, lessons[2])
        ]

    def test_a_completed_course_leaves_the_courses_in_progress(self, signed_in, staff_member):
        course, lessons = course_with_lessons("Genealogy Help", count=1)
        enrollment = course_register(user=staff_member, course=course)
        read_lesson(enrollment, lessons[0])
        dashboard = signed_in.get(reverse("dashboard")).context["dashboard"]
        assert dashboard.courses_in_progress == []
        assert [e.course.title for e in dashboard.completed_enrollments] == ["Genealogy Help"]

    def test_a_course_without_modules_has_no_continue_button(self, signed_in, staff_member):
        course_register(user=staff_member, course=CourseFactory(title="Board Relations"))
        words = text_of(dashboard_html(signed_in))
        assert "Board Relations registered 02/08/2027" in words
        assert "Continue" not in words

    def test_only_the_persons_own_progress_shows(self, signed_in, staff_member):
        course, lessons = course_with_lessons("Makerspaces")
        other = course_register(user=UserFactory(), course=course)
        read_lesson(other, lessons[0])
        mine = course_register(user=staff_member, course=course)
        progress = signed_in.get(reverse("dashboard")).context["dashboard"].courses_in_progress
        assert [(p.enrollment, p.modules_done) for p in progress] == [(mine, 0)]


@pytest.mark.parametrize("courses", [1, 12])
def test_courses_in_progress_cost_the_same_queries_for_1_or_12_courses(
    signed_in, staff_member, django_assert_num_queries, courses
):
    for number in range(courses):
        course, lessons = course_with_lessons(f"Course {number:02}", count=4)
        enrollment = course_register(user=staff_member, course=course)
        read_lesson(enrollment, lessons[0])
    signed_in.get(reverse("dashboard"))  # the session is loaded once like any other page
    with django_assert_num_queries(COURSES_IN_PROGRESS_QUERIES):
        response = signed_in.get(reverse("dashboard"))
    progress = response.context["dashboard"].courses_in_progress
    assert [(p.modules_done, p.modules_total) for p in progress] == [(1, 4)] * courses
