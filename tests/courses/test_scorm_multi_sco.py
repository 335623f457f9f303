"""SCORM packages of several SCOs: every SCO of the manifest's default organisation is stored
in order with its own thresholds, tracked in an attempt of its own, and the module is complete
only when every SCO is."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from courses.models import (
    CourseModule,
    Enrollment,
    ModuleCompletion,
    ScormAttempt,
    ScormPackage,
    ScormSco,
)
from courses.services.scorm_packages import scorm_package_upload
from courses.services.scorm_runtime import (
    scorm_attempt_launch,
    scorm_commit,
    scorm_commit_key,
    scorm_module_attempts,
)
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory
from tests.fixtures.scorm_packages import scorm_package_zip, scorm_two_sco_zip

pytestmark = pytest.mark.django_db


@pytest.fixture
def scorm_module():
    course = CourseFactory(title="Customer Service Basics")
    return CourseModule.objects.create(
        course=course, position=1, title="Service at the desk", kind=CourseModule.Kind.SCORM
    )


@pytest.fixture
def manager():
    return UserFactory(is_staff=True, email="manager@example.org")


def upload(module, manager, content: bytes) -> ScormPackage:
    return scorm_package_upload(
        module=module, upload=io.BytesIO(content), original_name="desk.zip", uploaded_by=manager
    )


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "scorm"
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def sco_rows(package: ScormPackage) -> list[tuple]:
    return list(
        package.scos.values_list(
            "order",
            "identifier",
            "title",
            "launch_path",
            "launch_parameters",
            "mastery_score",
            "completion_threshold",
            "scaled_passing_score",
        )
    )


class TestManifest:
    def test_it_stores_every_sco_of_the_default_organisation_in_order(self, scorm_module, manager):
        package = upload(scorm_module, manager, scorm_two_sco_zip(mastery_second="80"))
        assert package.title == "Service at the desk"
        assert sco_rows(package) == [
            (1, "sco-greeting", "Greeting patrons", "greeting/index.html", "?part=1",
             None, None, None),
            (2, "sco-questions", "Answering questions", "questions/index.html", "",
             Decimal("80.00"), None, None),
        ]  # fmt: skip
        # The package's own launch path and thresholds are its first SCO's.
        assert (package.launch_path, package.mastery_score) == ("greeting/index.html", None)

    def test_it_reads_each_scorm_2004_items_threshold_and_passing_score(
        self, scorm_module, manager
    ):
        package = upload(scorm_module, manager, scorm_two_sco_zip(standard="2004"))
        assert package.standard == "2004"
        assert [(row[0], row[6], row[7]) for row in sco_rows(package)] == [
            (1, Decimal("0.7500"), Decimal("0.8000")),
            (2, None, Decimal("0.6000")),
        ]

    def test_a_single_sco_package_has_one_sco(self, scorm_module, manager):
        package = upload(scorm_module, manager, scorm_package_zip(standard="1.2", mastery="80"))
        assert sco_rows(package) == [
            (1, "item1", "Customer service in practice", "index.html", "", Decimal("80.00"),
             None, None),
        ]  # fmt: skip

    @pytest.mark.parametrize("standard", ["1.2", "2004"])
    def test_it_refuses_a_missing_second_launch_file_and_stores_nothing(
        self, scorm_module, manager, standard
    ):
        with pytest.raises(ValidationError) as refusal:
            upload(
                scorm_module,
                manager,
                scorm_two_sco_zip(standard=standard, include_second_launch=False),
            )
        assert refusal.value.messages == [
            "The launch file named in imsmanifest.xml (questions/index.html) is not in the "
            "package. It is the launch file of “Answering questions”, SCO 2 of 2."
        ]
        assert not ScormPackage.objects.exists()
        assert not ScormSco.objects.exists()
        assert stored_files() == []


def one_item_2004(
    *,
    item_xml: str,
    href: str = "start.html",
    parameters: str = "",
    resource_type: str = 'adlcp:scormType="sco"',
) -> bytes:
    """A SCORM 2004 package of one item whose sequencing and launch the test writes."""
    manifest = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schemaversion>2004 3rd Edition</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>T</title>
    <item identifier="i1" identifierref="r1" parameters="{parameters}"><title>Only</title>{item_xml}</item>
  </organization></organizations>
  <resources><resource identifier="r1" type="webcontent" {resource_type} href="{href}"/></resources>
</manifest>"""
    return scorm_package_zip(
        include_manifest=False, launch="start.html", extra={"imsmanifest.xml": manifest.encode()}
    )  # fmt: skip


def objective(attributes: str, measure: str = "") -> str:
    inner = f"<imsss:minNormalizedMeasure>{measure}</imsss:minNormalizedMeasure>" if measure else ""
    return (
        "<imsss:sequencing><imsss:objectives>"
        f'<imsss:primaryObjective objectiveID="p" {attributes}>{inner}</imsss:primaryObjective>'
        "</imsss:objectives></imsss:sequencing>"
    )


class TestThresholdsAndLaunch:
    @pytest.mark.parametrize(
        ("item_xml", "threshold", "passing"),
        [
            ("<adlcp:completionThreshold>0.6</adlcp:completionThreshold>", Decimal("0.6"), None),
            ('<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.9"/>',
             Decimal("0.9"), None),
            ('<adlcp:completionThreshold minProgressMeasure="0.9"/>', None, None),
            (objective('satisfiedByMeasure="false"', "0.8"), None, None),
            (objective('satisfiedByMeasure="true"', "0.7"), None, Decimal("0.7")),
            (objective('satisfiedByMeasure="true"'), None, Decimal("1.0")),
        ],
        ids=["3rd-edition", "by-measure", "not-by-measure", "objective-not-by-measure",
             "objective-by-measure", "objective-default-measure"],
    )  # fmt: skip
    def test_scorm_2004_thresholds_apply_only_as_the_manifest_says(
        self, scorm_module, manager, item_xml, threshold, passing
    ):
        package = upload(scorm_module, manager, one_item_2004(item_xml=item_xml))
        sco = package.scos.get()
        assert (sco.completion_threshold, sco.scaled_passing_score) == (threshold, passing)

    def test_the_launch_address_joins_the_hrefs_query_and_the_items_parameters(
        self, scorm_module, manager
    ):
        package = upload(
            scorm_module,
            manager,
            # No scormType at all: taken as a SCO.
            one_item_2004(item_xml="", href="start.html?lang=en", parameters="&amp;unit=2#intro",
                          resource_type=""),
        )  # fmt: skip
        assert package.scos.values_list("launch_path", "launch_parameters").get() == (
            "start.html",
            "?lang=en&unit=2#intro",
        )

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (scorm_package_zip(mastery="150"),
             "imsmanifest.xml gives “Customer service in practice” a mastery score of 150; it "
             "must be between 0 and 100."),
            (one_item_2004(item_xml=objective('satisfiedByMeasure="true"', "2")),
             "imsmanifest.xml gives “Only” a passing score (minimum normalised measure) of 2; "
             "it must be between -1 and 1."),
            (one_item_2004(item_xml="", parameters="?a=&quot;b&quot;"),
             "The launch parameters of “Only” in imsmanifest.xml are not a web address's query"),
            (one_item_2004(item_xml="", resource_type='adlcp:scormType="asset"'),
             "The package's imsmanifest.xml names no item with a resource to launch."),
        ],
        ids=["mastery-over-100", "passing-over-1", "quoted-parameters", "assets-only"],
    )  # fmt: skip
    def test_it_refuses_a_manifest_it_cannot_judge_and_stores_nothing(
        self, scorm_module, manager, content, message
    ):
        with pytest.raises(ValidationError) as refusal:
            upload(scorm_module, manager, content)
        assert message in " ".join(refusal.value.messages)
        assert not ScormPackage.objects.exists()
        assert stored_files() == []


@pytest.fixture
def learner_attempts(scorm_module, manager):
    """A learner's attempts at a two-SCO SCORM 1.2 package whose second SCO's mastery score
    is 80."""
    upload(scorm_module, manager, scorm_two_sco_zip(mastery_second="80"))
    enrollment = EnrollmentFactory(course=scorm_module.course)
    return scorm_module_attempts(enrollment=enrollment, module=scorm_module)


@pytest.fixture
def learner_attempts_2004(scorm_module, manager):
    upload(scorm_module, manager, scorm_two_sco_zip(standard="2004"))
    enrollment = EnrollmentFactory(course=scorm_module.course)
    return scorm_module_attempts(enrollment=enrollment, module=scorm_module)


def commit(attempt, sequence, cmi):
    return scorm_commit(
        attempt_id=attempt.pk, user=attempt.enrollment.user, sequence=sequence, cmi=cmi
    )


def module_completed(attempt) -> bool:
    return ModuleCompletion.objects.filter(
        enrollment=attempt.enrollment_id, module=attempt.module_id
    ).exists()


def course_completed(attempt) -> bool:
    return Enrollment.objects.get(pk=attempt.enrollment_id).status == "COMPLETED"


PASSED_12 = {"core": {"lesson_status": "passed", "score": {"raw": "90"}}}


class TestRuntime:
    def test_the_first_launch_opens_one_attempt_per_sco_of_one_version(
        self, learner_attempts, scorm_module, manager
    ):
        first, second = learner_attempts
        assert [a.sco.order for a in learner_attempts] == [1, 2]
        assert first.package_id == second.package_id
        assert ScormAttempt.history.filter(history_type="+").count() == 2
        upload(scorm_module, manager, scorm_two_sco_zip(title="Second edition"))
        again = scorm_module_attempts(enrollment=first.enrollment, module=scorm_module)
        assert again == learner_attempts
        assert ScormAttempt.objects.count() == 2

    def test_it_resumes_each_sco_from_its_own_data(self, learner_attempts):
        first, second = learner_attempts
        commit(second, 1, {"core": {"lesson_location": "2"}, "suspend_data": "seen:2"})
        enrollment, module = first.enrollment, first.module
        resumed = scorm_attempt_launch(enrollment=enrollment, module=module, sco_order=2)
        assert resumed.runtime_data == {"core": {"lesson_location": "2"}, "suspend_data": "seen:2"}
        assert (
            scorm_attempt_launch(enrollment=enrollment, module=module, sco_order=1).runtime_data
            == {}
        )
        # Opening the module again goes back to the SCO last worked on.
        assert scorm_attempt_launch(enrollment=enrollment, module=module) == second

    def test_the_module_completes_only_after_every_sco(self, learner_attempts):
        first, second = learner_attempts
        commit(first, 1, PASSED_12)
        assert ScormAttempt.objects.get(pk=first.pk).completed_at is not None
        assert not module_completed(first)
        assert not course_completed(first)
        commit(second, 1, {"core": {"lesson_status": "passed", "score": {"raw": "81"}}})
        assert course_completed(first)
        # The module's score is the mean of its SCOs' scores, rounded down.
        assert ModuleCompletion.objects.get().score_percent == 85

    def test_a_failed_sco_does_not_complete_the_module(self, learner_attempts):
        first, second = learner_attempts
        commit(first, 1, PASSED_12)
        # The second SCO reports passed, but 70 is under its own mastery score of 80.
        commit(second, 1, {"core": {"lesson_status": "passed", "score": {"raw": "70"}}})
        saved = ScormAttempt.objects.get(pk=second.pk)
        assert (saved.lesson_status, saved.completed_at) == ("failed", None)
        assert not module_completed(first)
        assert not course_completed(first)

    def test_scorm_2004_judges_each_sco_by_its_own_thresholds(self, learner_attempts_2004):
        first, second = learner_attempts_2004
        scaled_07 = {"completion_status": "completed", "success_status": "passed",
                     "score": {"scaled": "0.7", "raw": "70"}}  # fmt: skip
        commit(first, 1, scaled_07)  # under the first SCO's passing score of 0.8
        commit(second, 1, scaled_07)  # over the second SCO's 0.6
        statuses = {
            a.sco.order: (a.success_status, a.completed_at is not None)
            for a in ScormAttempt.objects.select_related("sco")
        }
        assert statuses == {1: ("failed", False), 2: ("passed", True)}
        assert not module_completed(first)
        # Progress under the first SCO's completion threshold (0.75) is not completed.
        commit(first, 2, {**scaled_07, "score": {"scaled": "0.9"}, "progress_measure": "0.5"})
        assert ScormAttempt.objects.get(pk=first.pk).completion_status == "incomplete"
        assert not module_completed(first)
        commit(first, 3, {**scaled_07, "score": {"scaled": "0.9"}, "progress_measure": "0.8"})
        assert course_completed(first)

    def test_a_stale_commit_is_refused_per_sco(self, learner_attempts):
        first, second = learner_attempts
        commit(first, 5, {"core": {"lesson_location": "3"}})
        commit(second, 1, {"core": {"lesson_location": "2"}})  # its own sequence
        with pytest.raises(ValidationError) as refusal:
            commit(first, 4, PASSED_12)
        assert refusal.value.messages == [
            "Commit 4 is older than commit 5, already saved; it was not applied."
        ]
        with pytest.raises(ValidationError, match="Commit 1 is older than commit 1"):
            commit(second, 1, {"core": {"lesson_location": "3"}})
        saved = {a.sco.order: a.runtime_data for a in ScormAttempt.objects.select_related("sco")}
        assert saved == {
            1: {"core": {"lesson_location": "3"}},
            2: {"core": {"lesson_location": "2"}},
        }
        assert not module_completed(first)

    def test_another_persons_sco_attempt_is_refused(self, learner_attempts):
        first, second = learner_attempts
        commit(first, 1, PASSED_12)
        other = EnrollmentFactory(course=first.enrollment.course)
        for cmi in ({"core": {"lesson_location": "2"}}, PASSED_12):
            with pytest.raises(ValidationError, match="This SCORM attempt is not yours"):
                scorm_commit(attempt_id=second.pk, user=other.user, sequence=9, cmi=cmi)
        saved = ScormAttempt.objects.get(pk=second.pk)
        assert (saved.sequence, saved.runtime_data, saved.completed_at) == (0, {}, None)
        assert not module_completed(first)


def module_url(module, **query) -> str:
    url = reverse("course_module", args=[module.course_id, module.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


class TestPlayerPage:
    def test_it_lists_the_scos_and_links_the_next_unfinished_one(self, client, learner_attempts):
        first, second = learner_attempts
        client.force_login(first.enrollment.user)
        html = client.get(module_url(first.module)).content.decode()
        assert (
            'title="Greeting patrons, part 1 of 2 of Service at the desk (SCORM package)"' in html
        )
        assert (
            f'href="{module_url(first.module, sco=1)}" aria-current="page">Greeting patrons' in html
        )
        assert f'href="{module_url(first.module, sco=2)}">Answering questions' in html
        assert "(not done, open now)" in html
        assert "greeting/index.html?part=1" in html
        assert (
            f'<a class="btn btn-primary" href="{module_url(first.module, sco=2)}">'
            "Next: Answering questions</a>"
        ) in html
        assert "<script>" not in html

    def test_it_plays_the_sco_asked_for_with_its_own_commit_address(self, client, learner_attempts):
        first, second = learner_attempts
        commit(first, 1, PASSED_12)
        client.force_login(first.enrollment.user)
        html = client.get(module_url(first.module, sco=2)).content.decode()
        assert 'title="Answering questions, part 2 of 2 of Service at the desk' in html
        assert reverse("scorm_commit", args=[second.pk]) in html
        assert "questions/index.html" in html
        assert "(done)" in html
        # Every other SCO is done: no Next.
        assert "Next:" not in html

    @pytest.mark.parametrize("asked", ["3", "two"])
    def test_a_sco_the_package_does_not_have_is_not_found(self, client, learner_attempts, asked):
        client.force_login(learner_attempts[0].enrollment.user)
        assert client.get(module_url(learner_attempts[0].module, sco=asked)).status_code == 404

    def test_a_single_sco_package_shows_no_list(self, client, scorm_module, manager):
        upload(scorm_module, manager, scorm_package_zip())
        enrollment = EnrollmentFactory(course=scorm_module.course)
        client.force_login(enrollment.user)
        html = client.get(module_url(scorm_module)).content.decode()
        assert 'title="Service at the desk (SCORM package)"' in html
        assert "Parts of" not in html and "Next:" not in html


class TestQueryCounts:
    def test_the_commit_endpoint_runs_a_fixed_number_of_queries_for_each_sco(
        self, client, learner_attempts, django_assert_num_queries
    ):
        client.force_login(learner_attempts[0].enrollment.user)
        for attempt in learner_attempts:
            url = f"{reverse('scorm_commit', args=[attempt.pk])}?key={scorm_commit_key(attempt=attempt)}"
            client.post(
                url, json.dumps({"sequence": 1, "cmi": {}}), content_type="application/json"
            )
            with django_assert_num_queries(3):
                response = client.post(
                    url,
                    json.dumps({"sequence": 2, "cmi": {"core": {"lesson_location": "2"}}}),
                    content_type="application/json",
                )
            assert response.json() == {"result": True, "errorCode": 0}

    def test_the_player_page_runs_the_same_queries_for_one_or_two_scos(
        self, client, scorm_module, manager, django_assert_num_queries
    ):
        upload(scorm_module, manager, scorm_package_zip())
        single = EnrollmentFactory(course=scorm_module.course)
        scorm_module_attempts(enrollment=single, module=scorm_module)
        other = CourseModule.objects.create(
            course=scorm_module.course, position=2, title="Desk", kind=CourseModule.Kind.SCORM
        )
        upload(other, manager, scorm_two_sco_zip())
        scorm_module_attempts(enrollment=single, module=other)
        client.force_login(single.user)
        # Session, user, module, enrollment, the learner's attempts with their SCOs and
        # package, and the completion: the same whatever the number of SCOs.
        with django_assert_num_queries(6) as one:
            client.get(module_url(scorm_module))
        with django_assert_num_queries(len(one.captured_queries)):
            response = client.get(module_url(other))
        assert "Next: Answering questions" in response.content.decode()

    def test_the_course_page_keeps_its_queries_with_a_multi_sco_module_in_progress(
        self, client, learner_attempts, django_assert_num_queries
    ):
        first, _ = learner_attempts
        commit(first, 1, PASSED_12)
        client.force_login(first.enrollment.user)
        url = reverse("course_detail", args=[first.module.course_id])
        # As many as for a course of lessons (tests/courses/test_module_views.py).
        with django_assert_num_queries(6):
            response = client.get(url)
        assert "0 of 1 module done." in response.content.decode()


class TestReviewSite:
    def test_the_package_page_lists_its_scos_and_attempts_name_theirs(
        self, client, learner_attempts
    ):
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        package = learner_attempts[0].package
        page = client.get(reverse("admin:courses_scormpackage_change", args=[package.pk]))
        html = page.content.decode()
        assert "Greeting patrons" in html and "questions/index.html" in html
        attempts = client.get(reverse("admin:courses_scormattempt_changelist"))
        assert "SCO 2: Answering questions" in attempts.content.decode()


BEFORE_SCOS = [("courses", "0009_live_session_attendance_codes")]


@pytest.mark.django_db(transaction=True)
def test_packages_stored_before_sco_rows_get_one_sco_with_their_attempts():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_SCOS)
    try:
        old = executor.loader.project_state(BEFORE_SCOS).apps
        person = old.get_model("accounts", "User").objects.create(email="pat@example.org")
        category = old.get_model("courses", "Category").objects.create(name="KDLA", slug="kdla")
        course = old.get_model("courses", "Course").objects.create(
            title="Reference Basics", category=category, contact_hours=Decimal("3.0")
        )
        module = old.get_model("courses", "CourseModule").objects.create(
            course=course, position=1, title="Reference interview", kind="SCORM"
        )
        package = old.get_model("courses", "ScormPackage").objects.create(
            module=module, version=1, standard="2004", title="Reference interview",
            launch_path="content/start.html", storage_prefix="scorm/old", original_name="r.zip",
            entry_count=3, total_bytes=300, completion_threshold=Decimal("0.75"),
            scaled_passing_score=Decimal("0.8"), uploaded_by=person,
        )  # fmt: skip
        enrollment = old.get_model("courses", "Enrollment").objects.create(
            user=person, course=course
        )
        attempt = old.get_model("courses", "ScormAttempt").objects.create(
            enrollment=enrollment, module=module, package=package, sequence=4
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    sco = ScormSco.objects.get()
    assert (sco.package_id, sco.order, sco.title, sco.launch_path) == (
        package.pk, 1, "Reference interview", "content/start.html",
    )  # fmt: skip
    assert (sco.completion_threshold, sco.scaled_passing_score) == (Decimal("0.75"), Decimal("0.8"))
    assert ScormAttempt.objects.get(pk=attempt.pk).sco_id == sco.pk
