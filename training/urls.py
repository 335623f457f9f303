"""Asynchronous training pages, mounted under /training/."""

from django.urls import path

from training import views

urlpatterns = [
    path("", views.async_training, name="async_training"),
    path("mine/", views.async_my_courses, name="async_my_courses"),
    path("approval/new/", views.async_course_approval_new, name="async_course_approval_new"),
    path(
        "approval/<int:pk>/",
        views.async_course_approval_detail,
        name="async_course_approval_detail",
    ),
    path(
        "approval/<int:pk>/syllabus/",
        views.async_course_approval_syllabus,
        name="async_course_approval_syllabus",
    ),
    path("completions/new/", views.async_completion_new, name="async_completion_new"),
    path("completions/<int:pk>/", views.async_completion_detail, name="async_completion_detail"),
    path(
        "completions/<int:pk>/proof/",
        views.async_completion_proof,
        name="async_completion_proof",
    ),
]
