import csv
import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import LibraryRole
from accounts.reviewers import add_to_reviewers
from accounts.services import library_role_grant
from certifications.models import Registration
from tests.factories import (
    CredentialTypeFactory,
    LibraryFactory,
    LibraryRoleFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
KENTUCKY = ZoneInfo("America/New_York")
TODAY = datetime.date(2027, 2, 8)
# Session, user, the director's role, the staff, their registrations with credential types.
ROSTER_QUERIES = 5


@pytest.fixture(autouse=True)
def today(time_machine) -> datetime.date:
    time_machine.move_to(datetime.datetime(2027, 2, 8, 9, 0, tzinfo=KENTUCKY), tick=False)
    return TODAY


@pytest.fixture
def library():
    return LibraryFactory(name="Boyd County Public Library", county="Boyd")


@pytest.fixture
def director(library):
    person = UserFactory(library=library, first_name="Dana", last_name="Director")
    LibraryRoleFactory(user=person, library=library)
    return person


@pytest.fixture
def signed_in(client, director):
    client.force_login(director)
    return client


def cycle_for(person, *, ends_in_days: int, status=Registration.Status.ACTIVE, earned="4"):
    end = TODAY + datetime.timedelta(days=ends_in_days)
    return RegistrationFactory(
        user=person,
        credential_type=CredentialTypeFactory(required_credits=Decimal("15")),
        status=status,
        cycle_start=end - datetime.timedelta(days=5 * 365),
        cycle_end=end,
        earned_credits=Decimal(earned),
    )


def staff_url(library, suffix="") -> str:
    name = "library_staff_csv" if suffix == "csv" else "library_staff"
    return reverse(name, kwargs={"library_pk": library.pk})


def page_names(response) -> list[str]:
    return [row.person.full_name for row in response.context["rows"]]


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_it_shows_a_director_only_their_own_staff(signed_in, library, director):
    colleague = UserFactory(library=library, first_name="Casey", last_name="Jones")
    cycle_for(colleague, ends_in_days=60, earned="12.5")
    outsider = UserFactory(first_name="Oscar", last_name="Outside")
    cycle_for(outsider, ends_in_days=60)

    response = signed_in.get(staff_url(library))

    assert response.status_code == 200
    assert sorted(page_names(response)) == ["Casey Jones", "Dana Director"]
    body = response.content.decode()
    assert "Oscar" not in body
    assert "12.5" in body
    assert f"{TODAY + datetime.timedelta(days=60):%m/%d/%Y}" in body
    assert "Within 90 days" in body


def test_it_gives_another_librarys_director_404_for_page_and_csv(client, library, director):
    other_director = LibraryRoleFactory(role=LibraryRole.Role.DELEGATE).user
    client.force_login(other_director)

    assert client.get(staff_url(library)).status_code == 404
    assert client.get(staff_url(library, "csv")).status_code == 404


def test_it_refuses_a_person_without_a_role(client, library):
    colleague = UserFactory(library=library)
    client.force_login(colleague)

    assert client.get(reverse("my_library_staff")).status_code == 403
    assert client.get(staff_url(library)).status_code == 404
    assert client.get(staff_url(library, "csv")).status_code == 404


def test_it_sends_a_signed_out_visitor_to_sign_in(client, library):
    response = client.get(staff_url(library))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_it_redirects_a_director_to_their_librarys_roster(signed_in, library):
    response = signed_in.get(reverse("my_library_staff"))
    assert response.status_code == 302
    assert response["Location"] == staff_url(library)


def test_it_exports_the_same_rows_as_the_page(signed_in, library):
    for number, days in enumerate([30, 120, 400]):
        cycle_for(UserFactory(library=library, last_name=f"Staff{number}"), ends_in_days=days)
    query = "?sort=cycle_end&expiring=180"

    page = signed_in.get(staff_url(library) + query)
    export = signed_in.get(staff_url(library, "csv") + query)

    assert export["Content-Type"].startswith("text/csv")
    rows = csv_rows(export)
    assert rows[0][0] == "Name"
    assert rows[1:] == [row.all_cells() for row in page.context["rows"]]
    assert [row[0].split()[-1] for row in rows[1:]] == ["Staff0", "Staff1"]
    assert [row[10:] for row in rows[1:]] == [["Yes", "Yes"], ["No", "Yes"]]


def test_it_filters_by_status(signed_in, library):
    cycle_for(
        UserFactory(library=library, last_name="Lapsed"),
        ends_in_days=-5,
        status=Registration.Status.LAPSED,
    )
    cycle_for(UserFactory(library=library, last_name="Active"), ends_in_days=300)

    lapsed = signed_in.get(staff_url(library) + "?status=LAPSED")
    unregistered = signed_in.get(staff_url(library) + "?status=NONE")

    assert [row.person.last_name for row in lapsed.context["rows"]] == ["Lapsed"]
    assert [row.person.last_name for row in unregistered.context["rows"]] == ["Director"]


def test_it_filters_by_expiring_window(signed_in, library):
    cycle_for(UserFactory(library=library, last_name="Soon"), ends_in_days=89)
    cycle_for(UserFactory(library=library, last_name="Later"), ends_in_days=170)
    cycle_for(UserFactory(library=library, last_name="Far"), ends_in_days=181)

    within_90 = signed_in.get(staff_url(library) + "?expiring=90")
    within_180 = signed_in.get(staff_url(library) + "?expiring=180")

    assert [row.person.last_name for row in within_90.context["rows"]] == ["Soon"]
    assert [row.person.last_name for row in within_180.context["rows"]] == ["Later", "Soon"]


def test_it_ignores_unknown_filter_values(signed_in, library):
    response = signed_in.get(staff_url(library) + "?status=BOGUS&expiring=7&sort=evil")
    assert response.status_code == 200
    assert page_names(response) == ["Dana Director"]


def test_it_sorts_by_earned_hours(signed_in, library):
    cycle_for(UserFactory(library=library, last_name="Aaa"), ends_in_days=300, earned="9")
    cycle_for(UserFactory(library=library, last_name="Bbb"), ends_in_days=300, earned="2")

    response = signed_in.get(staff_url(library) + "?sort=earned")

    assert [row.person.last_name for row in response.context["rows"]] == [
        "Director",
        "Bbb",
        "Aaa",
    ]


def test_it_shows_nothing_about_files_or_credit_requests(signed_in, library):
    cycle_for(UserFactory(library=library), ends_in_days=300)
    body = signed_in.get(staff_url(library)).content.decode()
    assert "/files/" not in body
    assert "/credits/" not in body


@pytest.mark.parametrize("count", [2, 40])
def test_the_roster_runs_a_fixed_number_of_queries(
    signed_in, library, django_assert_num_queries, count
):
    for number in range(count):
        person = UserFactory(library=library)
        cycle_for(person, ends_in_days=30 + number)
        cycle_for(person, ends_in_days=-400 - number, status=Registration.Status.COMPLETED)

    with django_assert_num_queries(ROSTER_QUERIES):
        response = signed_in.get(staff_url(library))
    assert len(response.context["rows"]) == 2 * count + 1

    with django_assert_num_queries(ROSTER_QUERIES):
        signed_in.get(staff_url(library, "csv"))


def test_the_dashboard_links_the_roster_only_for_people_with_a_role(client, signed_in, library):
    roster_link = f'href="{staff_url(library)}"'
    assert roster_link in signed_in.get(reverse("dashboard")).content.decode()

    colleague = UserFactory(library=library)
    client.force_login(colleague)
    body = client.get(reverse("dashboard")).content.decode()
    assert roster_link not in body
    assert "director of your library system" in body


def test_it_records_who_granted_a_role_in_the_review_site(client, library):
    reviewer = UserFactory(email="reviewer@example.org", library=None)
    add_to_reviewers(reviewer)
    assert reviewer.groups.get().permissions.filter(codename="add_libraryrole").exists()
    person = UserFactory(library=library)
    client.force_login(reviewer)

    response = client.post(
        reverse("admin:accounts_libraryrole_add"),
        {"user": person.pk, "library": library.pk, "role": LibraryRole.Role.DELEGATE},
    )

    assert response.status_code == 302
    role = LibraryRole.objects.get(user=person)
    assert role.granted_by == reviewer
    assert role.history.count() == 1
    assert Permission.objects.filter(codename="view_historicallibraryrole").exists()


def test_it_changes_a_role_and_keeps_who_first_granted_it(library):
    person = UserFactory(library=library)
    first_reviewer, second_reviewer = UserFactory(library=None), UserFactory(library=None)
    library_role_grant(
        user=person, library=library, role=LibraryRole.Role.DELEGATE, granted_by=first_reviewer
    )

    role = library_role_grant(
        user=person, library=library, role=LibraryRole.Role.DIRECTOR, granted_by=second_reviewer
    )

    role.refresh_from_db()
    assert role.role == LibraryRole.Role.DIRECTOR
    assert role.granted_by == first_reviewer
    assert role.history.count() == 2
