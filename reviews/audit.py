"""The audit trail: one append-only row per transition, with before/after values."""
import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry, Declaration, ReviewRound


def _plain(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def snapshot(obj, fields):
    """``{field: value}`` for ``fields`` of ``obj``, JSON-ready (FKs by id)."""
    if obj is None:
        return {}
    result = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        result[name] = _plain(getattr(obj, attname))
    return result


def record(action, obj, *, actor=None, before=None, after=None, organisation=None, review_round=None,
           declaration=None, actor_label=""):
    """Write one AuditEntry for ``action`` on ``obj``."""
    if isinstance(obj, ReviewRound):
        review_round = review_round or obj
    if isinstance(obj, Declaration):
        declaration = declaration or obj
        review_round = review_round or obj.review_round
    if review_round is not None and organisation is None:
        organisation = review_round.organisation
    if declaration is not None and organisation is None:
        organisation = declaration.organisation
    if not actor_label:
        actor_label = (actor.get_full_name() or actor.get_username()) if actor is not None else "系统"
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=actor_label[:100],
        action=action,
        organisation=organisation,
        review_round=review_round,
        declaration=declaration,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        before={k: _plain(v) for k, v in (before or {}).items()},
        after={k: _plain(v) for k, v in (after or {}).items()},
    )
