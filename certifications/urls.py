from django.urls import path

from certifications import file_views, views

urlpatterns = [
    path(
        "credentials/<int:pk>/register/",
        views.credential_register_view,
        name="credential_register",
    ),
    path(
        "registrations/<int:pk>/checkout-complete/",
        views.checkout_complete,
        name="checkout_complete",
    ),
    path("registrations/<int:pk>/files/", file_views.registration_files, name="registration_files"),
    path(
        "registrations/<int:pk>/files/add/",
        file_views.external_file_add,
        name="external_file_add",
    ),
    path("files/<int:pk>/", file_views.external_file_download, name="external_file_download"),
    path(
        "document-types/<int:pk>/blank-form/",
        file_views.document_type_blank_form,
        name="document_type_blank_form",
    ),
]
