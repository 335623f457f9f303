"""Moving an agency's records in from CSV: all of a file, or nothing from it."""

import datetime
import re
from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.importers import PersonResource
from accounts.models import Library, User
from certifications.models import Registration
from courses.models import Enrollment
from tests.factories import CourseFactory, LibraryFactory, UserFactory
from tests.reviews.builders import renewal_credits_type, reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client):
    person = User.objects.create_superuser(
        email="admin@example.org", password=None, first_name="Ada", last_name="Admin"
    )
    client.force_login(person)
    return person


def csv_upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("records.csv", text.encode(), content_type="text/csv")


def import_through_the_admin(client, model_path: str, text: str):
    """Upload (the dry run), then confirm when the dry run allowed it."""
    url = f"/admin/{model_path}/import/"
    preview = client.post(url, {"format": "0", "import_file": csv_upload(text)})
    assert preview.status_code == 200
    page = preview.content.decode()
    if 'name="import_file_name"' not in page:
        return page
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    fields.pop("csrfmiddlewaretoken", None)
    client.post(f"/admin/{model_path}/process_import/", fields)
    return page


def test_it_imports_libraries_and_people(client, administrator):
    import_through_the_admin(
        client,
        "accounts/library",
        "name,county\nBoyd County Public Library,Boyd\nPike County Public Library,Pike\n",
    )
    import_through_the_admin(
        client,
        "accounts/user",
        "email,first_name,last_name,library,position,hours_per_month,phone\n"
        "Pat@Example.org,Pat,Example,Boyd County Public Library,Library Assistant,80,\n",
    )

    assert set(Library.objects.values_list("name", "county")) == {
        ("Boyd County Public Library", "Boyd"),
        ("Pike County Public Library", "Pike"),
    }
    pat = User.objects.get(email="pat@example.org")
    assert (pat.library.name, pat.hours_per_month) == ("Boyd County Public Library", 80)
    assert not pat.has_usable_password()


def test_a_bad_row_is_reported_by_row_number_and_nothing_is_imported(client, administrator):
    LibraryFactory(name="Boyd County Public Library")
    page = import_through_the_admin(
        client,
        "accounts/user",
        "email,first_name,last_name,library,position,hours_per_month,phone\n"
        "one@example.org,One,Person,Boyd County Public Library,,80,\n"
        "two@example.org,Two,Person,No Such Library,,80,\n"
        "three@example.org,Three,Person,Boyd County Public Library,,80,\n",
    )

    assert "Line number: 2" in page
    assert 'name="import_file_name"' not in page
    assert (
        User.objects.filter(email__endswith="@example.org")
        .exclude(email="admin@example.org")
        .count()
        == 0
    )


def test_a_row_failing_validation_is_reported_and_nothing_is_imported(client, administrator):
    page = import_through_the_admin(
        client,
        "accounts/user",
        "email,first_name,last_name,library,position,hours_per_month,phone\n"
        "one@example.org,One,Person,,,80,\n"
        "not-an-email,Two,Person,,,80,\n",
    )

    assert "Some rows failed to validate" in page
    assert re.search(r"<td>2 </td>", page)
    assert not User.objects.filter(email="one@example.org").exists()


def test_the_real_import_rolls_back_the_whole_file_on_a_bad_row():
    LibraryFactory(name="Boyd County Public Library")
    dataset = tablib.Dataset(headers=["email", "first_name", "last_name", "library"])
    dataset.append(["one@example.org", "One", "Person", "Boyd County Public Library"])
    dataset.append(["two@example.org", "Two", "Person", "No Such Library"])

    result = PersonResource().import_data(
        dataset, dry_run=False, rollback_on_validation_errors=True
    )

    assert result.has_errors()
    assert [line for line, _ in result.row_errors()] == [2]
    assert not User.objects.filter(email__in=["one@example.org", "two@example.org"]).exists()


def test_it_imports_registrations_and_completed_hours_and_counts_them(client, administrator):
    renewal_credits_type(required_credits=Decimal("15"))
    pat = UserFactory(email="pat@example.org")
    course = CourseFactory(title="Reference Basics", contact_hours=Decimal("6"))
    import_through_the_admin(
        client,
        "certifications/registration",
        "email,credential_code,credential_version,cycle_start,cycle_end,upload_due_on,status,compliance\n"
        "pat@example.org,part-time-renewal-credits,1,02/06/2023,02/06/2028,,ACTIVE,NOT_COMPLIANT\n",
    )
    import_through_the_admin(
        client,
        "courses/enrollment",
        "email,course,completed_on\npat@example.org,Reference Basics,03/15/2024\n",
    )

    registration = Registration.objects.get(user=pat)
    assert registration.credential_code == "part-time-renewal-credits"
    assert (registration.cycle_start, registration.cycle_end) == (
        datetime.date(2023, 2, 6),
        datetime.date(2028, 2, 6),
    )
    enrollment = Enrollment.objects.get(user=pat, course=course)
    assert (enrollment.status, enrollment.completed_on) == ("COMPLETED", datetime.date(2024, 3, 15))
    assert registration.history.count() >= 1
    registration.refresh_from_db()
    assert registration.earned_credits == Decimal("6")


def test_it_refuses_a_second_open_cycle_in_an_import(client, administrator):
    renewal_credits_type()
    UserFactory(email="pat@example.org")
    page = import_through_the_admin(
        client,
        "certifications/registration",
        "email,credential_code,credential_version,cycle_start,cycle_end,upload_due_on,status,compliance\n"
        "pat@example.org,part-time-renewal-credits,1,02/06/2023,02/06/2028,,ACTIVE,NOT_COMPLIANT\n"
        "pat@example.org,part-time-renewal-credits,1,03/06/2023,03/06/2028,,ACTIVE,NOT_COMPLIANT\n",
    )

    assert "Some rows failed to validate" in page or "Line number: 2" in page
    assert Registration.objects.count() == 0


def test_it_refuses_completed_hours_without_a_date(client, administrator):
    UserFactory(email="pat@example.org")
    CourseFactory(title="Reference Basics")
    page = import_through_the_admin(
        client,
        "courses/enrollment",
        "email,course,completed_on\npat@example.org,Reference Basics,\n",
    )

    assert "Enter the completion date (MM/DD/YYYY)." in page
    assert Enrollment.objects.count() == 0


def test_reviewers_cannot_import(client):
    client.force_login(reviewer())
    response = client.post(
        "/admin/accounts/library/import/",
        {"format": "0", "import_file": csv_upload("name,county\nX Library,X\n")},
    )
    assert response.status_code == 403
    assert not Library.objects.filter(name="X Library").exists()


def test_the_resources_are_offered_on_their_lists(client, administrator):
    for url in [
        "accounts_library",
        "accounts_user",
        "certifications_registration",
        "courses_enrollment",
    ]:
        assert client.get(reverse(f"admin:{url}_import")).status_code == 200
