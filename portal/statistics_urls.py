from django.urls import path

from portal import statistics_views

urlpatterns = [
    path("", statistics_views.statewide_page, name="statewide_statistics"),
    path("annual-report/", statistics_views.annual_report, name="statistics_annual_report"),
    path(
        "<slug:slug>.<str:file_format>",
        statistics_views.table_export,
        name="statistics_table_export",
    ),
]
