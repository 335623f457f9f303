from django.urls import path

from certificates import views

urlpatterns = [
    path(
        "certificates/<int:pk>/pdf/",
        views.certificate_pdf_download,
        name="certificate_pdf_download",
    ),
    path("name-change/", views.name_change_new, name="name_change_new"),
    path("name-change/<int:pk>/proof/", views.name_change_proof, name="name_change_proof"),
    path(
        "certificates/<int:pk>/open-badge.json",
        views.certificate_credential_download,
        name="certificate_credential_download",
    ),
    path("credentials/issuer/", views.open_badges_issuer, name="open_badges_issuer"),
    path("credentials/issuer/jwks.json", views.open_badges_jwks, name="open_badges_jwks"),
    path(
        "credentials/achievements/<slug:level>/",
        views.open_badges_achievement,
        name="open_badges_achievement",
    ),
    path("credentials/status/1/", views.open_badges_status_list, name="open_badges_status_list"),
    path("verify/credential/", views.verify_credential, name="certificate_verify_credential"),
    path("verify/", views.verify_lookup, name="certificate_verify_lookup"),
    path("verify/<str:code>/", views.verify, name="certificate_verify"),
]
