from django.urls import path

from portal import staff_views, views

urlpatterns = [
    path("", staff_views.home, name="home"),
    path("dashboard/", staff_views.dashboard, name="dashboard"),
    path("transcript/", staff_views.transcript, name="transcript"),
    path("transcript/csv/", staff_views.transcript_csv, name="transcript_csv"),
    # Under the courses' prefix, where the catalogue has always been.
    path("courses/", staff_views.course_catalogue, name="course_catalogue"),
    path("library/staff/", views.my_library_staff, name="my_library_staff"),
    path("library/<int:library_pk>/staff/", views.library_staff, name="library_staff"),
    path("library/<int:library_pk>/staff/csv/", views.library_staff_csv, name="library_staff_csv"),
]
