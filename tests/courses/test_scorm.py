"""SCORM packages: checked before storing, versioned, served only to their learners; the
runtime's commits are the learner's own, in order, and the server decides completion."""

from __future__ import annotations

import datetime
import io
import json
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.reviewers import REVIEWERS_GROUP, add_to_reviewers
from courses.models import (
    CourseModule,
    Enrollment,
    ModuleCompletion,
    ScormAttempt,
    ScormInteraction,
    ScormPackage,
)
from courses.services.scorm_interactions import scorm_interactions_read, scorm_interactions_store
from courses.services.scorm_packages import SCORM_ZIP_LIMITS, scorm_package_upload
from courses.services.scorm_runtime import scorm_attempt_launch, scorm_commit, scorm_commit_key
from notifications.models import OutboxMessage
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory
from tests.fixtures.scorm_packages import scorm_package_zip, zip_bomb, zip_with_symlink

pytestmark = pytest.mark.django_db


@pytest.fixture
def scorm_module():
    course = CourseFactory(title="Customer Service Basics")
    return CourseModule.objects.create(
        course=course, position=1, title="Service in practice", kind=CourseModule.Kind.SCORM
    )


@pytest.fixture
def manager():
    return UserFactory(is_staff=True, email="manager@example.org")


def upload(module, manager, content: bytes, name: str = "package.zip") -> ScormPackage:
    return scorm_package_upload(
        module=module, upload=io.BytesIO(content), original_name=name, uploaded_by=manager
    )


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "scorm"
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


class TestUpload:
    def test_it_stores_a_scorm_12_package_privately(self, scorm_module, manager):
        package = upload(scorm_module, manager, scorm_package_zip(standard="1.2", mastery="80"))
        assert (package.version, package.standard, package.launch_path) == (1, "1.2", "index.html")
        assert package.title == "Customer service in practice"
        assert package.mastery_score == 80
        assert sorted(path.name for path in stored_files()) == [
            "imsmanifest.xml",
            "index.html",
            "sco.js",
        ]
        assert package.history.count() == 1

    def test_it_reads_a_scorm_2004_manifest(self, scorm_module, manager):
        package = upload(
            scorm_module, manager, scorm_package_zip(standard="2004", threshold="0.75")
        )
        assert package.standard == "2004"
        assert package.scaled_passing_score == Decimal("0.8")
        assert package.completion_threshold == Decimal("0.75")

    def test_a_new_upload_is_a_new_version_and_learners_keep_theirs(self, scorm_module, manager):
        first = upload(scorm_module, manager, scorm_package_zip())
        enrollment = EnrollmentFactory(course=scorm_module.course)
        attempt = scorm_attempt_launch(enrollment=enrollment, module=scorm_module)
        second = upload(scorm_module, manager, scorm_package_zip(title="Second edition"))
        assert second.version == 2
        assert scorm_attempt_launch(enrollment=enrollment, module=scorm_module) == attempt
        assert attempt.package == first
        newcomer = EnrollmentFactory(course=scorm_module.course)
        assert scorm_attempt_launch(enrollment=newcomer, module=scorm_module).package == second

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"not a zip at all", "The file is not a zip file."),
            (
                scorm_package_zip(include_manifest=False),
                "The package has no imsmanifest.xml at its top level",
            ),
            (
                scorm_package_zip(include_launch=False),
                "The launch file named in imsmanifest.xml (index.html) is not in the package.",
            ),
            (
                scorm_package_zip(extra={"../../outside.html": b"x"}),
                "The package holds a part whose name points outside the archive (../../outside.html)",
            ),
            (
                scorm_package_zip(extra={"/etc/cron.d/evil": b"x"}),
                "The package holds a part whose name points outside the archive (/etc/cron.d/evil)",
            ),
            (zip_with_symlink(), "The package contains a link (link.html)"),
            (
                zip_bomb(),
                "The package holds a part compressed far more than any real file can be "
                "(padding.html: a “zip bomb”); it was refused.",
            ),
            (
                scorm_package_zip(extra={"tools/setup.exe": b"MZ\x90\x00"}),
                "The package contains a program or a document with macros (tools/setup.exe)",
            ),
            (
                scorm_package_zip(extra={"handout.docm": b"PK"}),
                "The package contains a program or a document with macros (handout.docm)",
            ),
            (
                scorm_package_zip(extra={"images/logo.png": b"\x7fELF\x02\x01"}),
                "The package contains a program (images/logo.png)",
            ),
            (
                scorm_package_zip(include_manifest=False, extra={"imsmanifest.xml": b"<manifest"}),
                "could not be read as XML",
            ),
        ],
        ids=[
            "not-zip",
            "no-manifest",
            "no-launch-file",
            "dot-dot",
            "absolute",
            "symlink",
            "zip-bomb",
            "executable",
            "macro-document",
            "disguised-program",
            "broken-manifest",
        ],
    )
    def test_it_refuses_a_bad_package_and_stores_nothing(
        self, scorm_module, manager, content, message
    ):
        with pytest.raises(ValidationError) as refusal:
            upload(scorm_module, manager, content)
        assert message in " ".join(refusal.value.messages)
        assert not ScormPackage.objects.exists()
        assert stored_files() == []

    def test_it_refuses_an_xml_bomb_in_the_manifest(self, scorm_module, manager):
        bomb = (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><manifest>&lol2;</manifest>'
        )
        with pytest.raises(ValidationError, match="could not be read as XML"):
            upload(
                scorm_module,
                manager,
                scorm_package_zip(include_manifest=False, extra={"imsmanifest.xml": bomb}),
            )
        assert not ScormPackage.objects.exists()

    def test_it_refuses_too_many_files(self, scorm_module, manager, monkeypatch):
        monkeypatch.setattr(
            "courses.services.scorm_packages.SCORM_ZIP_LIMITS",
            replace(SCORM_ZIP_LIMITS, max_entries=3),
        )
        with pytest.raises(ValidationError, match="The package holds more than 3 parts"):
            upload(scorm_module, manager, scorm_package_zip(extra={"a.css": b"a"}))
        assert stored_files() == []


@pytest.fixture
def attempt_12(scorm_module, manager):
    upload(scorm_module, manager, scorm_package_zip(standard="1.2"))
    enrollment = EnrollmentFactory(course=scorm_module.course)
    return scorm_attempt_launch(enrollment=enrollment, module=scorm_module)


@pytest.fixture
def attempt_2004(scorm_module, manager):
    upload(scorm_module, manager, scorm_package_zip(standard="2004"))
    enrollment = EnrollmentFactory(course=scorm_module.course)
    return scorm_attempt_launch(enrollment=enrollment, module=scorm_module)


def commit(attempt, sequence, cmi):
    return scorm_commit(
        attempt_id=attempt.pk, user=attempt.enrollment.user, sequence=sequence, cmi=cmi
    )


def course_completed(attempt) -> bool:
    return Enrollment.objects.get(pk=attempt.enrollment_id).status == "COMPLETED"


class TestRuntime:
    def test_scorm_12_passed_completes_the_course(self, attempt_12):
        commit(attempt_12, 1, {"core": {"lesson_status": "incomplete", "lesson_location": "2"}})
        assert not course_completed(attempt_12)
        commit(attempt_12, 2, {"core": {"lesson_status": "passed", "score": {"raw": "90"}}})
        assert course_completed(attempt_12)
        assert ModuleCompletion.objects.get().score_percent == 90

    def test_it_reads_the_data_as_scorm_again_renders_it(self, attempt_2004):
        cmi = {"cmi": {"completion_status": "completed", "success_status": "passed",
                       "score": {"scaled": "0.9", "raw": "90"}}}  # fmt: skip
        commit(attempt_2004, 1, cmi)
        attempt = ScormAttempt.objects.get()
        assert (attempt.completion_status, attempt.success_status) == ("completed", "passed")
        assert attempt.score_raw == 90
        assert course_completed(attempt_2004)

    def test_scorm_12_failed_does_not_complete(self, attempt_12):
        commit(attempt_12, 1, {"core": {"lesson_status": "failed", "score": {"raw": "40"}}})
        attempt = ScormAttempt.objects.get()
        assert (attempt.lesson_status, attempt.completed_at) == ("failed", None)
        assert not course_completed(attempt_12)

    def test_scorm_2004_completed_and_not_failed_completes(self, attempt_2004):
        commit(attempt_2004, 1, {"completion_status": "completed", "success_status": "failed"})
        assert not course_completed(attempt_2004)
        commit(attempt_2004, 2, {"completion_status": "completed", "success_status": "unknown"})
        assert course_completed(attempt_2004)

    def test_scorm_2004_applies_the_manifests_passing_score(self, attempt_2004):
        cmi = {
            "completion_status": "completed",
            "success_status": "passed",
            "score": {"scaled": "0.5"},
        }
        commit(attempt_2004, 1, cmi)
        attempt = ScormAttempt.objects.get()
        assert attempt.success_status == "failed"  # 0.5 is under the manifest's 0.8
        assert not course_completed(attempt_2004)

    def test_resumes_from_the_saved_data(self, attempt_12):
        commit(attempt_12, 1, {"core": {"lesson_location": "2"}, "suspend_data": "seen:2"})
        resumed = scorm_attempt_launch(enrollment=attempt_12.enrollment, module=attempt_12.module)
        assert resumed.runtime_data == {"core": {"lesson_location": "2"}, "suspend_data": "seen:2"}
        assert resumed.sequence == 1

    def test_an_out_of_order_commit_is_refused(self, attempt_12):
        commit(attempt_12, 5, {"core": {"lesson_location": "3"}})
        with pytest.raises(ValidationError) as refusal:
            commit(attempt_12, 4, {"core": {"lesson_location": "1"}})
        assert refusal.value.messages == [
            "Commit 4 is older than commit 5, already saved; it was not applied."
        ]
        assert ScormAttempt.objects.get().runtime_data == {"core": {"lesson_location": "3"}}

    def test_a_commit_to_someone_elses_attempt_is_refused(self, attempt_12):
        with pytest.raises(ValidationError, match="This SCORM attempt is not yours"):
            scorm_commit(
                attempt_id=attempt_12.pk,
                user=UserFactory(),
                sequence=1,
                cmi={"core": {"lesson_status": "passed"}},
            )
        assert ScormAttempt.objects.get().sequence == 0
        assert not course_completed(attempt_12)

    @pytest.mark.parametrize(
        "cmi", [{"core": {"lesson_status": "incomplete"}}, {"core": {"lesson_status": "passed"}}]
    )
    def test_someone_elses_attempt_is_refused_after_its_owners_commit(self, attempt_12, cmi):
        commit(attempt_12, 1, {"core": {"lesson_location": "2"}})  # its rules are now known
        with pytest.raises(ValidationError, match="This SCORM attempt is not yours"):
            scorm_commit(attempt_id=attempt_12.pk, user=UserFactory(), sequence=9, cmi=cmi)
        attempt = ScormAttempt.objects.get()
        assert (attempt.sequence, attempt.runtime_data) == (1, {"core": {"lesson_location": "2"}})
        assert not course_completed(attempt_12)

    def test_a_commit_to_an_attempt_that_does_not_exist_is_refused(self, attempt_12):
        with pytest.raises(ValidationError, match="This SCORM attempt is not yours"):
            commit(ScormAttempt(pk=attempt_12.pk + 1000, enrollment=attempt_12.enrollment), 1, {})

    def test_an_out_of_order_passing_commit_is_refused(self, attempt_12):
        commit(attempt_12, 5, {"core": {"lesson_location": "3"}})
        with pytest.raises(ValidationError, match="Commit 4 is older than commit 5"):
            commit(attempt_12, 4, {"core": {"lesson_status": "passed"}})
        assert not course_completed(attempt_12)

    def test_commits_after_completion_keep_the_completion_and_add_no_history(self, attempt_12):
        commit(attempt_12, 1, {"core": {"lesson_status": "passed"}})
        completed_at = ScormAttempt.objects.get().completed_at
        history_rows = ScormAttempt.history.count()
        commit(attempt_12, 2, {"core": {"lesson_status": "passed", "lesson_location": "3"}})
        attempt = ScormAttempt.objects.get()
        assert (attempt.sequence, attempt.completed_at) == (2, completed_at)
        assert ScormAttempt.history.count() == history_rows

    def test_a_repeated_passing_commit_credits_and_emails_once(self, attempt_12):
        commit(attempt_12, 1, {"core": {"lesson_status": "passed"}})
        commit(attempt_12, 2, {"core": {"lesson_status": "passed"}})
        assert ModuleCompletion.objects.count() == 1
        assert course_completed(attempt_12)
        assert OutboxMessage.objects.filter(kind="course_completed").count() == 1


def commit_url(attempt) -> str:
    return f"{reverse('scorm_commit', args=[attempt.pk])}?key={scorm_commit_key(attempt=attempt)}"


class TestViews:
    def test_a_commit_without_its_key_is_refused(self, client, attempt_12):
        client.force_login(attempt_12.enrollment.user)
        body = json.dumps({"sequence": 1, "cmi": {"core": {"lesson_status": "passed"}}})
        for url in [
            reverse("scorm_commit", args=[attempt_12.pk]),
            reverse("scorm_commit", args=[attempt_12.pk]) + "?key=forged",
        ]:
            response = client.post(url, body, content_type="application/json")
            assert response.status_code == 403
            assert response.json()["message"] == (
                "This SCORM attempt is not yours, or it does not exist."
            )
        assert ScormAttempt.objects.get().sequence == 0

    def test_a_commit_with_a_nul_character_is_refused_and_nothing_is_stored(
        self, client, attempt_12
    ):
        client.force_login(attempt_12.enrollment.user)
        body = json.dumps({"sequence": 1, "cmi": {"suspend_data": "page\u00003"}})
        assert "\\u0000" in body
        response = client.post(commit_url(attempt_12), body, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["message"] == (
            "The commit holds a NUL character (\\u0000), which SCORM data cannot."
        )
        attempt_12.refresh_from_db()
        assert (attempt_12.sequence, attempt_12.runtime_data) == (0, {})

    def test_the_commit_endpoint_runs_a_fixed_number_of_queries(
        self, client, attempt_12, django_assert_num_queries
    ):
        client.force_login(attempt_12.enrollment.user)
        url = commit_url(attempt_12)
        client.post(url, json.dumps({"sequence": 1, "cmi": {}}), content_type="application/json")
        for sequence in (2, 3):
            body = {"sequence": sequence, "cmi": {"core": {"lesson_location": str(sequence)}}}
            # Session and user, then the commit itself: one conditional UPDATE (no
            # transaction of its own; the package's rules were read at the first commit); the
            # same whatever the data's size.
            with django_assert_num_queries(3):
                response = client.post(url, json.dumps(body), content_type="application/json")
            assert response.json() == {"result": True, "errorCode": 0}

    def test_a_commit_that_changes_the_interactions_runs_one_query_more(
        self, client, attempt_12, django_assert_num_queries
    ):
        client.force_login(attempt_12.enrollment.user)
        url = commit_url(attempt_12)
        client.post(url, json.dumps({"sequence": 1, "cmi": {}}), content_type="application/json")
        answers = [("a",), ("a",), ("b",), ("b", "b"), ("b", "b")]
        # Session, user, the conditional UPDATE (which also says whether the interactions
        # changed), and only when they did, their rows in one INSERT … ON CONFLICT.
        expected = [4, 3, 4, 4, 3]
        for sequence, (responses, queries) in enumerate(
            zip(answers, expected, strict=True), start=2
        ):
            cmi = with_interactions(
                *(interaction_12(number, response) for number, response in enumerate(responses)),
                lesson_location=str(sequence),
            )
            body = json.dumps({"sequence": sequence, "cmi": cmi})
            with django_assert_num_queries(queries):
                response = client.post(url, body, content_type="application/json")
            assert response.json() == {"result": True, "errorCode": 0}
        assert [row.learner_response for row in stored_interactions(attempt_12)] == ["b", "b"]

    def test_the_commit_endpoint_answers_refusals_in_scorm_terms(self, client, attempt_12):
        client.force_login(attempt_12.enrollment.user)
        url = commit_url(attempt_12)
        ok = client.post(
            url, json.dumps({"sequence": 2, "cmi": {}}), content_type="application/json"
        )
        assert ok.status_code == 200
        stale = client.post(
            url, json.dumps({"sequence": 1, "cmi": {}}), content_type="application/json"
        )
        assert stale.status_code == 409
        assert stale.json()["result"] is False
        assert "older than commit 2" in stale.json()["message"]
        bad = client.post(url, "sequence=3", content_type="text/plain")
        assert bad.status_code == 400
        client.force_login(UserFactory())
        other = client.post(
            url, json.dumps({"sequence": 9, "cmi": {}}), content_type="application/json"
        )
        assert other.status_code == 403
        assert ScormAttempt.objects.get().sequence == 2

    def test_package_files_are_served_to_enrolled_people_with_a_restrictive_policy(
        self, client, attempt_12
    ):
        package = attempt_12.package
        url = reverse("scorm_package_file", args=[package.pk, "index.html"])
        client.force_login(UserFactory())
        assert client.get(url).status_code == 404
        client.force_login(attempt_12.enrollment.user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"Page 1 of 3" in b"".join(response.streaming_content)
        assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_a_path_outside_the_package_is_not_served(self, client, attempt_12, manager):
        other = upload(attempt_12.module, manager, scorm_package_zip(title="Other"))
        client.force_login(attempt_12.enrollment.user)
        for path in ["../" + other.storage_prefix.split("/")[1] + "/index.html", "a/../../x"]:
            url = (
                reverse("scorm_package_file", args=[attempt_12.package.pk, "x"]).removesuffix("x")
                + path
            )
            assert client.get(url).status_code == 404

    def test_the_player_page_has_a_titled_frame_and_no_inline_script(self, client, attempt_12):
        client.force_login(attempt_12.enrollment.user)
        response = client.get(
            reverse("course_module", args=[attempt_12.module.course_id, attempt_12.module_id])
        )
        html = response.content.decode()
        assert 'title="Service in practice (SCORM package)"' in html
        assert "data-commit-url" in html and "scorm12.min.js" in html
        assert "<script>" not in html


def interaction_12(number: int, response: str = "b", **fields) -> dict:
    """A SCORM 1.2 interaction as scorm-again renders it (its lists as objects keyed "0")."""
    return {
        "id": f"question-{number + 1}",
        "time": "10:15:03",
        "type": "choice",
        "weighting": "1",
        "student_response": response,
        "result": "correct" if response == "b" else "wrong",
        "latency": "0000:00:12",
        "objectives": {"0": {"id": "greeting"}},
        "correct_responses": {"0": {"pattern": "b"}},
        **fields,
    }


def with_interactions(*interactions: dict, **core) -> dict:
    return {
        "cmi": {
            "core": {"lesson_status": "incomplete", **core},
            "interactions": {str(number): entry for number, entry in enumerate(interactions)},
        }
    }


def stored_interactions(attempt) -> list[ScormInteraction]:
    return list(ScormInteraction.objects.filter(attempt=attempt).order_by("index"))


class TestInteractions:
    def test_scorm_12_interactions_are_stored_as_rows(self, attempt_12):
        commit(attempt_12, 1, with_interactions(interaction_12(0), interaction_12(1, "c")))
        first, second = stored_interactions(attempt_12)
        assert (first.index, first.interaction_id, first.interaction_type) == (
            0,
            "question-1",
            "choice",
        )
        assert (first.learner_response, first.result, first.weighting) == ("b", "correct", 1)
        assert (first.latency, first.timestamp_text, first.timestamp) == (
            "0000:00:12",
            "10:15:03",
            None,  # SCORM 1.2 gives a time of day without its date
        )
        assert (first.correct_responses, first.objective_ids) == (["b"], ["greeting"])
        assert (second.interaction_id, second.learner_response, second.result) == (
            "question-2",
            "c",
            "wrong",
        )
        assert first.commit_sequence == 1

    def test_scorm_2004_interactions_are_stored_as_rows(self, attempt_2004):
        cmi = {"cmi": {"completion_status": "incomplete", "interactions": {"0": {
            "id": "urn:kdla:reference:question-1",
            "type": "long-fill-in",
            "objectives": {"0": {"id": "reference-interview"}, "1": {"id": "follow-up"}},
            "timestamp": "2026-12-03T10:15:03.5-05:00",
            "weighting": "0.5",
            "learner_response": "Ask what the patron needs it for.",
            "result": "incorrect",
            "latency": "PT1M12S",
            "description": "Which question opens a reference interview?",
            "correct_responses": {"0": {"pattern": "{case_matters=false}What do you need?"}},
        }}}}  # fmt: skip
        commit(attempt_2004, 1, cmi)
        (interaction,) = stored_interactions(attempt_2004)
        assert interaction.interaction_id == "urn:kdla:reference:question-1"
        assert (interaction.interaction_type, interaction.result) == ("long-fill-in", "incorrect")
        assert interaction.description == "Which question opens a reference interview?"
        assert interaction.learner_response == "Ask what the patron needs it for."
        assert interaction.correct_responses == ["{case_matters=false}What do you need?"]
        assert interaction.objective_ids == ["reference-interview", "follow-up"]
        assert (interaction.weighting, interaction.latency) == (Decimal("0.5"), "PT1M12S")
        assert interaction.timestamp == datetime.datetime(
            2026, 12, 3, 15, 15, 3, 500000, tzinfo=datetime.UTC
        )
        assert interaction.timestamp_text == "2026-12-03T10:15:03.5-05:00"

    def test_a_timestamp_without_a_zone_is_taken_in_the_portals_time_zone(self, attempt_2004):
        entry = {"id": "q1", "type": "true-false", "timestamp": "2026-07-01T09:30:00"}
        commit(attempt_2004, 1, {"cmi": {"interactions": {"0": entry}}})
        (interaction,) = stored_interactions(attempt_2004)
        assert interaction.timestamp == datetime.datetime(2026, 7, 1, 13, 30, tzinfo=datetime.UTC)

    @pytest.mark.parametrize(
        "cmi",
        [
            {"cmi": {"interactions": [interaction_12(0), interaction_12(1)]}},
            {"cmi": {"interactions": {"childArray": [interaction_12(0), interaction_12(1)]}}},
            {"interactions": {"0": interaction_12(0), "1": interaction_12(1), "_count": 2}},
            {
                "cmi.core.lesson_status": "incomplete",
                "cmi.interactions.0.id": "question-1",
                "cmi.interactions.0.student_response": "b",
                "cmi.interactions.0.correct_responses.0.pattern": "b",
                "cmi.interactions.1.id": "question-2",
                "cmi.interactions.1.student_response": "b",
                "cmi.interactions.1.correct_responses.0.pattern": "b",
            },
            {
                "cmi": {
                    "interactions": {
                        "0": {
                            "_id": "question-1",
                            "_student_response": "b",
                            "correct_responses": {"childArray": [{"_pattern": "b"}]},
                        },
                        "1": {
                            "id": "question-2",
                            "student_response": "b",
                            "correct_responses": ["b"],
                        },
                    }
                }
            },
        ],
        ids=["list", "child-array", "no-cmi-level", "flattened", "without-to-json"],
    )
    def test_it_reads_every_form_scorm_again_renders_lists_in(self, attempt_12, cmi):
        commit(attempt_12, 1, cmi)
        rows = stored_interactions(attempt_12)
        assert [(row.index, row.interaction_id) for row in rows] == [
            (0, "question-1"),
            (1, "question-2"),
        ]
        assert [(row.learner_response, row.correct_responses) for row in rows] == [
            ("b", ["b"]),
            ("b", ["b"]),
        ]

    def test_a_later_commit_updates_the_rows_instead_of_adding_more(self, attempt_12):
        commit(attempt_12, 1, with_interactions(interaction_12(0, "a")))
        first_row = stored_interactions(attempt_12)[0]
        commit(attempt_12, 2, with_interactions(interaction_12(0, "b"), interaction_12(1)))
        rows = stored_interactions(attempt_12)
        assert [(row.index, row.learner_response, row.commit_sequence) for row in rows] == [
            (0, "b", 2),
            (1, "b", 2),
        ]
        assert rows[0].pk == first_row.pk
        attempt = ScormAttempt.objects.get()
        assert (attempt.sequence, attempt.interactions_sequence) == (2, 2)

    def test_a_commit_with_the_same_interactions_rewrites_nothing(self, attempt_12):
        commit(attempt_12, 1, with_interactions(interaction_12(0)))
        commit(attempt_12, 2, with_interactions(interaction_12(0), lesson_location="3"))
        (row,) = stored_interactions(attempt_12)
        assert row.commit_sequence == 1
        attempt = ScormAttempt.objects.get()
        assert (attempt.sequence, attempt.interactions_sequence) == (2, 1)
        assert attempt.runtime_data["cmi"]["core"]["lesson_location"] == "3"

    def test_a_stale_commit_writes_no_interactions(self, attempt_12):
        commit(attempt_12, 5, with_interactions(interaction_12(0, "b")))
        for cmi in (
            with_interactions(interaction_12(0, "a"), interaction_12(1, "a")),
            with_interactions(interaction_12(0, "a"), lesson_status="passed"),
        ):
            with pytest.raises(ValidationError, match="Commit 4 is older than commit 5"):
                commit(attempt_12, 4, cmi)
        (row,) = stored_interactions(attempt_12)
        assert (row.learner_response, row.commit_sequence) == ("b", 5)
        assert ScormAttempt.objects.get().interactions_sequence == 5

    def test_an_older_commits_rows_written_late_never_replace_a_newer_commits(self, attempt_12):
        # Two commits in flight at once: the newer one's rows land first, the older one's
        # statement after it. Only a newer commit replaces a row.
        scorm_interactions_store(
            attempt_id=attempt_12.pk,
            sequence=7,
            records=scorm_interactions_read(with_interactions(interaction_12(0, "b"))),
        )
        scorm_interactions_store(
            attempt_id=attempt_12.pk,
            sequence=6,
            records=scorm_interactions_read(
                with_interactions(interaction_12(0, "a"), interaction_12(1, "a"))
            ),
        )
        rows = stored_interactions(attempt_12)
        assert [(row.index, row.learner_response, row.commit_sequence) for row in rows] == [
            (0, "b", 7),
            (1, "a", 6),  # an index the newer commit did not carry yet is still added
        ]
        scorm_interactions_store(
            attempt_id=attempt_12.pk,
            sequence=8,
            records=scorm_interactions_read(with_interactions(interaction_12(0, "c"))),
        )
        assert [
            (row.learner_response, row.commit_sequence) for row in stored_interactions(attempt_12)
        ] == [
            ("c", 8),
            ("a", 6),
        ]

    @pytest.mark.parametrize("lesson_status", ["incomplete", "passed"])
    def test_someone_elses_attempt_is_refused_and_no_interaction_stored(
        self, attempt_12, lesson_status
    ):
        for sequence in (1, 2):  # before and after the package's rules are kept
            with pytest.raises(ValidationError, match="This SCORM attempt is not yours"):
                scorm_commit(
                    attempt_id=attempt_12.pk,
                    user=UserFactory(),
                    sequence=sequence,
                    cmi=with_interactions(interaction_12(0), lesson_status=lesson_status),
                )
        assert not ScormInteraction.objects.exists()
        attempt = ScormAttempt.objects.get()
        assert (attempt.sequence, attempt.interactions_digest) == (0, "")

    def test_the_completing_commit_stores_its_interactions_once(self, attempt_12):
        commit(attempt_12, 1, with_interactions(interaction_12(0), lesson_status="passed"))
        commit(attempt_12, 2, with_interactions(interaction_12(0), interaction_12(1, "c"),
                                                lesson_status="passed"))  # fmt: skip
        rows = stored_interactions(attempt_12)
        assert [(row.interaction_id, row.commit_sequence) for row in rows] == [
            ("question-1", 2),
            ("question-2", 2),
        ]
        assert course_completed(attempt_12)
        assert ScormAttempt.history.filter(interactions_sequence=1).exists()

    def test_malformed_entries_are_left_out_and_the_rest_kept(self, attempt_12):
        cmi = {"cmi": {"core": {"lesson_location": "2"}, "interactions": {
            "0": "not an object",
            "1": {"type": "choice", "student_response": "b"},  # no id
            "2": {"id": "   "},
            "x": {"id": "not-an-index"},
            "250": {"id": "beyond-the-limit"},
            "3": {
                "id": " question-4 ",
                "type": "essay",
                "student_response": {"nested": "object"},
                "result": True,
                "weighting": "heavy",
                "time": "yesterday",
                "latency": ["a list"],
                "objectives": "not a list",
                "correct_responses": {"0": {"pattern": None}, "1": 7},
            },
        }}}  # fmt: skip
        commit(attempt_12, 1, cmi)
        (row,) = stored_interactions(attempt_12)
        assert (row.index, row.interaction_id, row.interaction_type) == (3, "question-4", "")
        assert (row.learner_response, row.result, row.weighting, row.latency) == ("", "", None, "")
        assert (row.timestamp_text, row.timestamp) == ("yesterday", None)
        assert (row.objective_ids, row.correct_responses) == ([], ["", "7"])
        assert ScormAttempt.objects.get().sequence == 1  # the commit itself was applied

    def test_oversize_values_are_clipped_to_scorms_limits(self, attempt_2004):
        entry = {
            "id": "i" * 5000,
            "type": "choice",
            "description": "d" * 300,
            "learner_response": "r" * 5000,
            "result": "1" * 40,
            "weighting": "9999999999.99999999",  # rounds up past real(10,7)
            "objectives": [{"id": f"objective-{number}"} for number in range(15)],
            "correct_responses": [{"pattern": "p" * 5000} for _ in range(15)],
        }
        interactions = {str(number): {"id": f"q{number}"} for number in range(300)}
        interactions["0"] = entry
        commit(attempt_2004, 1, {"cmi": {"interactions": interactions}})
        rows = stored_interactions(attempt_2004)
        assert len(rows) == 250
        assert rows[-1].index == 249
        first = rows[0]
        assert (len(first.interaction_id), len(first.description)) == (4000, 250)
        assert (len(first.learner_response), len(first.result)) == (4000, 30)
        assert first.weighting is None
        assert len(first.objective_ids) == len(first.correct_responses) == 10
        assert {len(pattern) for pattern in first.correct_responses} == {4000}

    def test_a_weighting_is_kept_to_seven_places(self, attempt_2004):
        entry = {"id": "q1", "weighting": "-2.123456789"}
        commit(attempt_2004, 1, {"cmi": {"interactions": {"0": entry}}})
        assert stored_interactions(attempt_2004)[0].weighting == Decimal("-2.1234568")


QUERIES_ON_THE_ATTEMPT_PAGE = 16


class TestReviewSite:
    @pytest.fixture
    def reviewer_client(self, client):
        reviewer = UserFactory(email="robin@example.org")
        add_to_reviewers(reviewer)
        client.force_login(reviewer)
        return client

    def test_the_migration_lets_reviewers_read_interactions(self, migration_installed_data):
        reviewers = Group.objects.get(name=REVIEWERS_GROUP)
        assert reviewers.permissions.filter(codename="view_scorminteraction").exists()

    def test_a_reviewer_reads_the_interactions_on_the_attempt_and_cannot_change_them(
        self, reviewer_client, attempt_2004
    ):
        entry = {"id": "q1", "type": "choice", "learner_response": "patron_first",
                 "result": "correct", "timestamp": "2026-12-03T10:15:03-05:00",
                 "description": "Whom do you greet first?",
                 "correct_responses": {"0": {"pattern": "patron_first"}}}  # fmt: skip
        commit(attempt_2004, 1, {"cmi": {"interactions": {"0": entry}}})
        url = reverse("admin:courses_scormattempt_change", args=[attempt_2004.pk])
        html = reviewer_client.get(url).content.decode()
        assert "Whom do you greet first?" in html
        assert "12/03/2026 10:15:03 AM" in html
        assert "patron_first" in html
        # Shown, not a form: the inline's only inputs are the hidden keys Django adds.
        fields = re.findall(r'<(input|textarea|select)[^>]*name="interactions-0-([a-z_]+)"', html)
        assert sorted(fields) == [("input", "attempt"), ("input", "id")]
        assert "Add another interaction" not in html
        response = reviewer_client.post(url, {"interactions-TOTAL_FORMS": "0"})
        assert response.status_code == 403
        assert ScormInteraction.objects.get().learner_response == "patron_first"

    def test_the_attempt_page_runs_the_same_queries_for_one_or_thirty_interactions(
        self, reviewer_client, attempt_12, django_assert_num_queries
    ):
        url = reverse("admin:courses_scormattempt_change", args=[attempt_12.pk])
        commit(attempt_12, 1, with_interactions(interaction_12(0)))
        reviewer_client.get(url)  # the process's caches (content types) are then warm
        with django_assert_num_queries(QUERIES_ON_THE_ATTEMPT_PAGE) as one:
            assert reviewer_client.get(url).status_code == 200
        commit(attempt_12, 2, with_interactions(*(interaction_12(n) for n in range(30))))
        with django_assert_num_queries(len(one.captured_queries)):
            html = reviewer_client.get(url).content.decode()
        assert "question-30" in html
