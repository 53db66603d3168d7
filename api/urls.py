"""``/api/v1/`` (the ninja API, each view wrapped for ``Idempotency-Key``) and the tokens page."""
from django.urls import include, path

from . import views
from .api import api
from .idempotency import idempotent


def _wrapped(patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _wrapped(pattern.url_patterns)
        else:
            pattern.callback = idempotent(pattern.callback)
    return patterns


api_patterns, _app_name, _namespace = api.urls
urlpatterns = [
    path("v1/", include((_wrapped(api_patterns), "api"), namespace="api")),
    path("tokens/", views.tokens, name="api_tokens"),
]
