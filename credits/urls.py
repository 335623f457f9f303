from django.urls import path

from credits import views

urlpatterns = [
    path("new/", views.credit_request_new, name="credit_request_new"),
    path(
        "<int:pk>/documentation/",
        views.credit_request_documentation,
        name="credit_request_documentation",
    ),
]
