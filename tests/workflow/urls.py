from django.urls import include, path

urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("flows.urls")),
    path("", include("reviews.urls")),
]
