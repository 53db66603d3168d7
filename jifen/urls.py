"""Root URL configuration."""
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("health.urls")),  # /healthz, /readyz (docs/deploy.md)
    path("members/", include("members.urls")),
    path("documents/", include("documents.urls")),
    path("verify/", include("documents.verify_urls")),
    path("appraisals/", include("appraisals.urls")),
    path("market/", include("market.urls")),
    path("notifications/", include("notifications.urls")),
    path("captcha/", include("captcha.urls")),  # the public objection form's challenge (django-simple-captcha)
    path("api/", include("api.urls")),
    path("", include("reviews.urls")),
    path("", include("portal.urls")),
]
