"""The ``NinjaAPI`` of ``/api/v1/``: its routers, its problem-details errors, its OpenAPI document."""
from ninja import NinjaAPI

from . import problems
from .endpoints import read, tokens, write  # noqa: F401 - write adds its operations to read.router

api = NinjaAPI(
    title="jifen API",
    version="1",
    description=(
        "积分制管理 open API. Authenticate with a personal access token (`Authorization: Bearer jf_…`, "
        "created on the 访问令牌 page) or the browser session (with `X-CSRFToken` on writes). Errors are "
        "RFC 9457 problem details (`application/problem+json`) carrying the service's `code` and `field`, "
        "in the language of `Accept-Language`. Write calls accept `Idempotency-Key`."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)
api.add_router("", read.router)
api.add_router("", tokens.router)
