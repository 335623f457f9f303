from django.urls import path

from portal import views

urlpatterns = [
    path("library/staff/", views.my_library_staff, name="my_library_staff"),
    path("library/<int:library_pk>/staff/", views.library_staff, name="library_staff"),
    path("library/<int:library_pk>/staff/csv/", views.library_staff_csv, name="library_staff_csv"),
]
