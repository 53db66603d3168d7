"""Every error of the API as a problem-details body (RFC 9457, ``application/problem+json``).

A service's ``ValidationError`` keeps its code and field: ``{"type", "title", "status",
"detail", "code", "field", "errors": [{"field", "code", "detail"}, ...]}``; ``field`` is
``null`` for an error about the whole step (``__all__``). The messages are those the service
raised, in the language of the request (``Accept-Language``, through Django's
``LocaleMiddleware``); a ``StepConflict`` is a 409, ``PermissionDenied`` a 403, a missing
object a 404, a rejected request body or parameter (the schema's own check) a 422.
"""
import json
import logging

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from workflow.steps import StepConflict

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/problem+json"
#: A problem type is a URN naming the code (RFC 9457 allows a URI that is not dereferenced).
TYPE_BASE = "urn:jifen:problem:"


def problem(status, code, detail, *, title=None, field=None, errors=None, headers=None):
    """A problem-details response."""
    body = {"type": TYPE_BASE + code, "title": title or detail, "status": status, "detail": detail,
            "code": code, "field": field, "errors": errors or [{"field": field, "code": code, "detail": detail}]}
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _message(err):
    message = str(err.message)
    if err.params:
        try:
            message = message % err.params
        except (TypeError, KeyError, ValueError):
            pass
    return message


#: Service refusals that are limits on how often, answered 429 (the public objection limits of
#: ``reviews.refusals``, the same as on the web form).
RATE_LIMIT_CODES = {"objection_client_limit", "objection_declaration_limit"}


def validation_errors(exc):
    """``[{"field", "code", "detail"}]`` of a Django ``ValidationError``, in its own order."""
    items = []
    if hasattr(exc, "error_dict"):
        for field, errs in exc.error_dict.items():
            for err in errs:
                items.append({"field": None if field == NON_FIELD_ERRORS else field,
                              "code": err.code or "invalid", "detail": _message(err)})
    else:
        for err in exc.error_list:
            items.append({"field": None, "code": err.code or "invalid", "detail": _message(err)})
    return items


def on_validation_error(request, exc):
    items = validation_errors(exc) or [{"field": None, "code": "invalid", "detail": _("请求无效。")}]
    first = items[0]
    status = 409 if isinstance(exc, StepConflict) else 429 if first["code"] in RATE_LIMIT_CODES else 422
    return problem(status, first["code"], first["detail"], title=_("请求无法完成"), field=first["field"], errors=items)


def on_permission_denied(request, exc):
    return problem(403, "permission_denied", str(exc) or _("您无权执行此操作。"), title=_("无权操作"))


def on_not_found(request, exc):
    return problem(404, "not_found", _("未找到该对象，或您无权查看。"), title=_("未找到"))


def on_schema_error(request, exc):
    items = []
    for err in exc.errors:
        loc = [str(part) for part in err.get("loc", ()) if part not in ("body", "query", "path", "form", "file", "payload")]
        items.append({"field": ".".join(loc) or None, "code": "schema_" + str(err.get("type", "invalid")),
                      "detail": str(err.get("msg", ""))})
    first = items[0] if items else {"field": None, "code": "schema_invalid", "detail": _("请求格式无效。")}
    return problem(422, first["code"], _("请求格式无效：%(field)s") % {"field": first["field"] or "—"},
                   title=_("请求格式无效"), field=first["field"], errors=items)


def on_authentication_error(request, exc):
    return problem(401, "not_authenticated", _("请登录，或在 Authorization 头中提供有效的访问令牌（Bearer）。"),
                   title=_("未认证"), headers={"WWW-Authenticate": 'Bearer realm="jifen"'})


def on_http_error(request, exc):
    status = getattr(exc, "status_code", 400)
    if status == 429:
        wait = getattr(exc, "wait", None)
        return problem(429, "too_many_requests", _("请求过于频繁，请稍后再试。"), title=_("请求过于频繁"),
                       headers={"Retry-After": str(int(wait))} if wait else None)
    code = getattr(exc, "code", None) or {401: "not_authenticated", 403: "permission_denied", 404: "not_found",
                                          405: "method_not_allowed", 429: "too_many_requests"}.get(status, "error")
    return problem(status, code, str(exc.message if hasattr(exc, "message") else exc))


def on_unreadable_body(request, exc):
    return problem(400, "body_unreadable", _("请求体无法解析（%(reason)s）。") % {"reason": exc}, title=_("请求格式无效"))


def on_unexpected(request, exc):
    logger.exception("API call %s %s failed", request.method, request.path)
    return problem(500, "server_error", _("服务器内部错误，请稍后重试。"), title=_("服务器错误"))


def install(api):
    """Register every handler on the ``NinjaAPI``."""
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(AuthorizationError, on_permission_denied)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(ObjectDoesNotExist, on_not_found)
    api.add_exception_handler(SchemaValidationError, on_schema_error)
    api.add_exception_handler(AuthenticationError, on_authentication_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(MultiPartParserError, on_unreadable_body)
    api.add_exception_handler(Exception, on_unexpected)


class Problem(HttpError):
    """An ``HttpError`` that carries a code (raised by the API's own checks)."""

    def __init__(self, status_code, code, message):
        super().__init__(status_code, message)
        self.code = code
