"""``/verify/`` (upload a file to check) and ``/verify/<id or 发文字号>/``: public, no login."""
from django.urls import path

from . import verify

urlpatterns = [
    path("", verify.verify, name="verify_upload"),
    path("<str:key>/", verify.verify, name="verify"),
]
