"""``Idempotency-Key`` on write calls: a retry with the same key by the same user gets the first answer.

The first response (status, content type, body) to a write call carrying the header is stored
(``IdempotentResponse``) when it is final: a success, or a client error other than 401, 403,
409 and 429 (those may succeed on a retry and are not kept). A retry with the same key and the
same user returns the stored response with ``Idempotent-Replayed: true`` and runs nothing; the
same key on another method or path is refused (422 ``idempotency_key_reused``). Anonymous calls
(the public objection) are not replayed: there is no user to scope the key to. Keys are kept
per user, at most 200 characters.
"""
import functools

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .auth import request_user
from .models import IdempotentResponse
from .problems import problem

HEADER = "Idempotency-Key"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
NOT_KEPT = frozenset({401, 403, 409, 429})
#: The status of a reserved key whose first call is still running.
IN_PROGRESS = 0


def replay(stored):
    from django.http import HttpResponse

    response = HttpResponse(bytes(stored.body), status=stored.status, content_type=stored.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(view):
    """Wrap a Django view (the API's URL callbacks) with the replay above.

    The key is reserved before the call (a row with ``status`` 0), so a twin arriving while the
    first call runs gets 409 ``idempotency_in_progress`` instead of running the step again; the
    row then takes the response, or is released when the response is not kept.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        if request.method not in WRITE_METHODS or not key:
            return view(request, *args, **kwargs)
        if len(key) > 200:
            return problem(422, "idempotency_key_invalid", _("Idempotency-Key 不能超过 200 个字符。"),
                           field=HEADER)
        user = request_user(request)
        if user is None:
            return view(request, *args, **kwargs)
        try:
            with transaction.atomic():
                reserved = IdempotentResponse.objects.create(
                    user=user, key=key, method=request.method, path=request.path[:300], status=IN_PROGRESS,
                    content_type="", body=b"")
        except IntegrityError:
            stored = IdempotentResponse.objects.filter(user=user, key=key).first()
            if stored is None:  # released meanwhile: run as a first call would
                return view(request, *args, **kwargs)
            if (stored.method, stored.path) != (request.method, request.path[:300]):
                return problem(422, "idempotency_key_reused", _("该 Idempotency-Key 已用于另一个请求（%(m)s %(p)s）。")
                               % {"m": stored.method, "p": stored.path}, field=HEADER)
            if stored.status == IN_PROGRESS:
                return problem(409, "idempotency_in_progress",
                               _("使用该 Idempotency-Key 的请求仍在处理中，请稍后重试。"), field=HEADER)
            return replay(stored)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            reserved.delete()
            raise
        if response.status_code < 500 and response.status_code not in NOT_KEPT and not response.streaming:
            reserved.status, reserved.content_type = response.status_code, response.get("Content-Type", "")
            reserved.body = response.content
            reserved.save(update_fields=["status", "content_type", "body"])
        else:
            reserved.delete()
        return response

    return wrapper
