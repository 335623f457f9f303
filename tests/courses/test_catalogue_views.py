import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Enrollment
from tests.certifications.kdla_history import kdla_course, kdla_credential
from tests.factories import CategoryFactory, CourseFactory, EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db
KENTUCKY = ZoneInfo("America/New_York")


@pytest.fixture
def staff_member():
    return UserFactory(first_name="Casey")


@pytest.fixture
def signed_in(client, staff_member):
    client.force_login(staff_member)
    return client


@pytest.fixture
def kdla_rules():
    kdla_credential("part-time-initial-application")


class TestCatalogue:
    def test_it_offers_all_categories_first_and_kdla_certifications(self, signed_in, kdla_rules):
        response = signed_in.get(reverse("course_catalogue"))
        html = response.content.decode()
        assert response.status_code == 200
        assert re.search(r'<label\s+for="id_category"[^>]*>\s*All categories\s*</label>', html)
        assert html.index('<option value="" selected>All categories</option>') < html.index(
            '<option value="kdla-certifications">KDLA Certifications</option>'
        )
        assert re.search(r'<label\s+for="id_q"[^>]*>\s*Search\s*</label>', html)

    def test_it_offers_request_new_credit_as_the_how_to_says(self, signed_in):
        html = signed_in.get(reverse("course_catalogue")).content.decode()
        assert f'href="{reverse("credit_request_new")}">Request new Credit</a>' in html

    def test_the_category_drop_down_filters_on_change_and_keeps_the_search_button(self, signed_in):
        html = signed_in.get(reverse("course_catalogue")).content.decode()
        assert 'src="/static/js/catalogue_filter.js" defer' in html
        assert "data-catalogue-filter" in html and "data-catalogue-results" in html
        assert 'aria-live="polite" data-catalogue-status' in html
        assert '<button type="submit" class="btn btn-primary w-100">Search</button>' in html

    def test_kdla_certifications_shows_the_credential_cards(self, signed_in, kdla_rules):
        response = signed_in.get(reverse("course_catalogue"), {"category": "kdla-certifications"})
        credentials = [credential.name for credential in response.context["credentials"]]
        assert "Part-time Certification- Initial Application" in credentials
        assert "Part-time Certification- Renewal Application" in credentials
        # Renewal-credits cycles start with an approval, never from the catalogue.
        assert "Part-time Certification- Renewal credits" not in credentials
        assert response.context["course_cards"] == []
        initial = kdla_credential("part-time-initial-application")
        assert reverse("credential_register", args=[initial.pk]) in response.content.decode()

    def test_a_category_shows_its_courses_only(self, signed_in, kdla_rules):
        response = signed_in.get(
            reverse("course_catalogue"), {"category": "part-time-certification-courses"}
        )
        titles = [course.title for course, _ in response.context["course_cards"]]
        assert titles == [
            "Customer Service Basics",
            "Readers' Advisory Basics",
            "Reference Basics",
            "Solving Difficult Situations in the Library",
        ]
        assert response.context["credentials"] == []

    def test_the_search_box_finds_courses_by_title_and_description(self, signed_in, kdla_rules):
        response = signed_in.get(reverse("course_catalogue"), {"q": "reference interview"})
        assert [course.title for course, _ in response.context["course_cards"]] == [
            "Reference Basics"
        ]

    def test_an_unknown_category_shows_everything_with_the_error(self, signed_in, kdla_rules):
        response = signed_in.get(reverse("course_catalogue"), {"category": "no-such"})
        assert response.status_code == 200
        assert len(response.context["course_cards"]) > 4

    def test_inactive_courses_are_not_listed(self, signed_in):
        CourseFactory(title="Old Cataloguing Rules", active=False)
        CourseFactory(title="Genealogy Basics")
        response = signed_in.get(reverse("course_catalogue"))
        assert [c.title for c, _ in response.context["course_cards"]] == ["Genealogy Basics"]

    def test_it_shows_which_courses_the_person_already_took(self, signed_in, staff_member):
        EnrollmentFactory(user=staff_member, course__title="Genealogy Basics")
        response = signed_in.get(reverse("course_catalogue"))
        html = response.content.decode()
        assert "Registered" in html
        assert "Open course" in html

    def test_it_pages_twenty_courses_at_a_time(self, signed_in):
        category = CategoryFactory(name="Library Services", slug="library-services")
        for number in range(45):
            CourseFactory(title=f"Course {number:02d}", category=category)
        first = signed_in.get(reverse("course_catalogue"), {"category": "library-services"})
        third = signed_in.get(
            reverse("course_catalogue"), {"category": "library-services", "page": 3}
        )
        assert len(first.context["course_cards"]) == 20
        assert [c.title for c, _ in third.context["course_cards"]] == [
            f"Course {n}" for n in range(40, 45)
        ]
        assert "category=library-services&amp;page=2" in first.content.decode()

    def test_it_runs_the_same_queries_for_one_or_fifty_courses(
        self, signed_in, staff_member, django_assert_max_num_queries, kdla_rules
    ):
        with django_assert_max_num_queries(9):
            signed_in.get(reverse("course_catalogue"))
        for number in range(50):
            course = CourseFactory(title=f"Extra {number}")
            EnrollmentFactory(user=staff_member, course=course)
        with django_assert_max_num_queries(9):
            response = signed_in.get(reverse("course_catalogue"), {"page": 2})
        assert response.status_code == 200

    def test_it_asks_visitors_to_sign_in(self, client):
        response = client.get(reverse("course_catalogue"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


class TestCourseRegistration:
    def test_register_leads_to_the_course_page(self, signed_in, staff_member, kdla_rules):
        course = kdla_course("Reference Basics")
        response = signed_in.post(reverse("course_register", args=[course.pk]), follow=True)
        assert response.redirect_chain == [(reverse("course_detail", args=[course.pk]), 302)]
        html = response.content.decode()
        assert "The reference interview and finding answers" in html
        # No self-attested completion: the course page lists the modules to take instead.
        assert "Mark course complete" not in html
        assert "I have completed this course" not in html
        assert "Course modules" in html
        assert "0 of 2 modules done." in html
        assert Enrollment.objects.filter(user=staff_member, course=course).count() == 1

    def test_registering_twice_is_refused_with_the_reason(self, signed_in, staff_member):
        course = CourseFactory(title="Genealogy Basics")
        signed_in.post(reverse("course_register", args=[course.pk]))
        response = signed_in.post(reverse("course_register", args=[course.pk]), follow=True)
        assert "You are already registered for Genealogy Basics." in response.content.decode()
        assert Enrollment.objects.filter(user=staff_member).count() == 1

    def test_an_inactive_course_is_refused(self, signed_in):
        course = CourseFactory(title="Old Cataloguing Rules", active=False)
        response = signed_in.post(reverse("course_register", args=[course.pk]), follow=True)
        assert response.redirect_chain[-1][0] == reverse("course_catalogue")
        assert "Old Cataloguing Rules is no longer offered" in response.content.decode()
        assert Enrollment.objects.count() == 0

    def test_registering_needs_a_post(self, signed_in):
        course = CourseFactory()
        assert signed_in.get(reverse("course_register", args=[course.pk])).status_code == 405
        assert Enrollment.objects.count() == 0

    def test_a_post_without_the_csrf_token_is_refused(self, staff_member):
        client = Client(enforce_csrf_checks=True)
        client.force_login(staff_member)
        course = CourseFactory()
        response = client.post(reverse("course_register", args=[course.pk]))
        assert response.status_code == 403
        assert Enrollment.objects.count() == 0

    def test_an_inactive_course_page_is_not_found_for_newcomers(self, signed_in):
        course = CourseFactory(active=False)
        assert signed_in.get(reverse("course_detail", args=[course.pk])).status_code == 404
