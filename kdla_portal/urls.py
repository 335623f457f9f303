from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "KDLA Certification Review"
admin.site.site_title = "KDLA Certification Review"
admin.site.index_title = "Review queues and records"

urlpatterns = [
    # Before the admin's own URLs, under its prefix: the statistics are part of the review site.
    path("admin/statistics/", include("portal.statistics_urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("courses/", include("courses.urls")),
    path("credits/", include("credits.urls")),
    path("training/", include("training.urls")),
    path("", include("portal.urls")),
    path("", include("certifications.urls")),
    path("", include("certificates.urls")),
]
