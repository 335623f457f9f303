from django.urls import path

from courses import module_views, scorm_views, views

urlpatterns = [
    path("<int:pk>/", views.course_detail, name="course_detail"),
    path("<int:pk>/register/", views.course_register_view, name="course_register"),
    path(
        "<int:course_pk>/modules/<int:module_pk>/",
        module_views.module_detail,
        name="course_module",
    ),
    path(
        "<int:course_pk>/modules/<int:module_pk>/finish/",
        module_views.lesson_finish_view,
        name="lesson_finish",
    ),
    path(
        "<int:course_pk>/modules/<int:module_pk>/attempts/",
        module_views.quiz_start_view,
        name="quiz_start",
    ),
    path("attempts/<int:pk>/", module_views.quiz_attempt_result, name="quiz_attempt_result"),
    path("attempts/<int:pk>/submit/", module_views.quiz_submit_view, name="quiz_submit"),
    path(
        "live-sessions/<int:pk>/register/",
        module_views.live_session_register_view,
        name="live_session_register",
    ),
    path(
        "live-registrations/<int:pk>/attendance/",
        module_views.live_session_attendance_code_view,
        name="live_session_attendance_code",
    ),
    path(
        "live-registrations/<int:pk>/cancel/",
        module_views.live_session_cancel_view,
        name="live_session_cancel",
    ),
    path("scorm-attempts/<int:pk>/commit/", scorm_views.scorm_commit_view, name="scorm_commit"),
    path(
        "scorm-packages/<int:pk>/files/<path:path>",
        scorm_views.scorm_package_file,
        name="scorm_package_file",
    ),
]
