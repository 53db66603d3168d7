"""Personal access tokens and webhook endpoints, managed through the API itself.

Tokens: only a session (the browser) may create one, so a leaked token cannot mint others; any
of the caller's tokens may be listed or revoked with a session or a write token. Webhooks: the
secretary of an organisation (or anyone with a branch-staff role above it) registers URLs.
"""
import secrets

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status
from ninja.security import SessionAuth

from organisations.permissions import BRANCH_STAFF, organisations_for

from .. import auth
from ..models import AccessToken, WebhookEndpoint
from ..schemas import Id, TokenCreated, TokenIn, TokenOut, WebhookCreated, WebhookIn, WebhookOut

router = Router()


@router.get("/tokens", response=list[TokenOut], auth=auth.READ, tags=["tokens"], summary="The caller's tokens")
def list_tokens(request):
    return AccessToken.objects.filter(user=request.user)


@router.post("/tokens", response={201: TokenCreated}, auth=[SessionAuth()], tags=["tokens"],
             summary="Create a token (browser session only); the secret is shown once")
def create_token(request, payload: TokenIn):
    token, secret = AccessToken.issue(request.user, payload.name.strip() or "API", payload.scope)
    return Status(201, {**TokenOut.from_orm(token).dict(), "secret": secret})


@router.delete("/tokens/{int:token_id}", response={204: None}, auth=auth.WRITE, tags=["tokens"],
               summary="Revoke a token")
def revoke_token(request, token_id: Id):
    token = get_object_or_404(AccessToken.objects.filter(user=request.user), pk=token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return Status(204, None)


@router.get("/webhooks", response=list[WebhookOut], auth=auth.READ, tags=["webhooks"])
def list_webhooks(request):
    return WebhookEndpoint.objects.filter(organisation__in=organisations_for(request.user, BRANCH_STAFF))


@router.post("/webhooks", response={201: WebhookCreated}, auth=auth.WRITE, tags=["webhooks"],
             summary="Register a URL for events of an organisation's subtree; the signing secret is shown once")
def create_webhook(request, payload: WebhookIn):
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    organisation = get_object_or_404(organisations_for(request.user, BRANCH_STAFF), pk=payload.organisation_id)
    try:
        URLValidator(schemes=["http", "https"])(payload.url)
    except ValidationError as exc:
        raise ValidationError({"url": exc.error_list}) from None
    if not payload.events:
        raise ValidationError({"events": ValidationError(_("请至少选择一个事件。"), code="events_missing")})
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation, url=payload.url, events=sorted({str(e.value) for e in payload.events}),
        secret=secrets.token_hex(32), created_by=request.user)
    return Status(201, {**WebhookOut.from_orm(endpoint).dict(), "secret": endpoint.secret})


@router.delete("/webhooks/{int:webhook_id}", response={204: None}, auth=auth.WRITE, tags=["webhooks"])
def delete_webhook(request, webhook_id: Id):
    endpoint = get_object_or_404(
        WebhookEndpoint.objects.filter(organisation__in=organisations_for(request.user, BRANCH_STAFF)), pk=webhook_id)
    endpoint.is_active = False
    endpoint.save(update_fields=["is_active"])
    return Status(204, None)
