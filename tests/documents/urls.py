"""URLconf for the documents view tests (the project's root URLconf is the lead's to wire)."""
from django.http import HttpResponse
from django.urls import include, path

urlpatterns = [
    path("documents/", include("documents.urls")),
    path("verify/", include("documents.verify_urls")),
    path("login/", lambda request: HttpResponse("login"), name="login"),
]
