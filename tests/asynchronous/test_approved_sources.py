"""The approved sources loaded by the data migration and the public page that lists them."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from courses.kdla_catalogue import load_kdla_catalogue
from courses.models import Course, Provider
from tests.asynchronous.factories import approved_async_course
from tests.factories import ProviderFactory

SEED_SOURCES = {
    "American Library Association eLearning": (
        "https://www.alastore.ala.org/search/store/product-type/elearning"
    ),
    "Amigos": "https://www.amigos.org/continuing_education",
    "Coursera": "https://www.coursera.org/",
    "edX": "https://www.edx.org/",
    "Employers Resource Association": "https://erahr.org/learning-and-development/",
    "Gale Courses": "https://www.gale.com/c/gale-courses",
    "Infopeople": "https://infopeople.org/",
    "Library Juice Academy": "http://libraryjuiceacademy.com/",
    "OpenLearn": "https://www.open.edu/openlearn/",
    "San Jose iSchool Open Classes": "http://ischool.sjsu.edu/programs/ischool-open-classes",
    "Simmons College": "https://www.simmons.edu/academics/non-degree-options",
    "Society for Human Resource Management": "https://www.shrm.org",
    "Udemy": "https://www.udemy.com/",
    "Universal Class": "https://www.universalclass.com/",
    "University of Wisconsin-Madison": "https://ischool.wisc.edu/continuing-education/",
}
migration = importlib.import_module("courses.migrations.0003_load_approved_async_sources")


@pytest.mark.django_db
def test_it_loads_exactly_the_fifteen_sources_of_the_guidelines(migration_installed_data):
    loaded = dict(
        Provider.objects.filter(is_approved_async_source=True, active=True).values_list(
            "name", "url"
        )
    )
    assert loaded == SEED_SOURCES


@pytest.mark.django_db
def test_it_never_duplicates_or_overwrites_sources_when_loaded_again(migration_installed_data):
    Provider.objects.filter(name="Udemy").update(
        url="https://www.udemy.com/business/", active=False
    )
    migration.load_approved_async_sources(apps, None)
    load_kdla_catalogue()
    assert Provider.objects.filter(name__in=SEED_SOURCES).count() == 15
    udemy = Provider.objects.get(name="Udemy")
    assert (udemy.url, udemy.active) == ("https://www.udemy.com/business/", False)


@pytest.mark.django_db
def test_it_shows_the_public_page_to_an_anonymous_visitor(client):
    approved_async_course(title="Grant Writing for Libraries", url="https://example.org/grants")
    response = client.get(reverse("async_training"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Approved asynchronous training" in content
    for name, url in SEED_SOURCES.items():
        assert f'href="{url}"' in content
        assert name in content
    assert "Grant Writing for Libraries" in content
    assert "at least 10 hours" in content
    assert "proof of successful completion" in content
    assert "Asynchronous Course Approval Submission Form" in content
    assert f'href="{reverse("async_course_approval_new")}"' in content


@pytest.mark.django_db
def test_it_hides_inactive_and_unlisted_sources_and_inactive_courses(client):
    Provider.objects.filter(name="Udemy").update(active=False)
    ProviderFactory(name="Unlisted Learning Co", is_approved_async_source=False)
    approved_async_course(title="Retired Course", active=False)
    approved_async_course(title="Portal Only", format=Course.Format.PORTAL)
    content = client.get(reverse("async_training")).content.decode()
    assert "Udemy" not in content
    assert "Unlisted Learning Co" not in content
    assert "Retired Course" not in content
    assert "Portal Only" not in content


@pytest.mark.django_db
def test_it_searches_providers_and_courses(client):
    approved_async_course(title="Grant Writing for Libraries")
    approved_async_course(title="Storytime Skills", description="Early literacy for toddlers")
    response = client.get(reverse("async_training"), {"q": "literacy"})
    assert [c.title for c in response.context["courses"]] == ["Storytime Skills"]
    assert response.context["providers"] == []
    response = client.get(reverse("async_training"), {"q": "cours"})
    assert [p.name for p in response.context["providers"]] == ["Coursera", "Gale Courses"]


@pytest.mark.django_db
@pytest.mark.parametrize("extra_courses", [1, 40])
def test_it_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, extra_courses):
    for number in range(extra_courses):
        approved_async_course(title=f"Approved course {number}")
    with django_assert_max_num_queries(4):
        response = client.get(reverse("async_training"))
    assert len(response.context["courses"]) == extra_courses
