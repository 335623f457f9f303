from django.urls import path

from courses import views

urlpatterns = [
    path("", views.course_catalogue, name="course_catalogue"),
    path("<int:pk>/", views.course_detail, name="course_detail"),
    path("<int:pk>/register/", views.course_register_view, name="course_register"),
    path("enrollments/<int:pk>/complete/", views.course_complete_view, name="course_complete"),
]
