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


# -- TEMPORARY (branch appraisals-svc): the appraisal codes only. The full AuditAction enum of
# -- the reviews/ rework replaces this block at merge; it keeps these members and values. The
# -- labels reuse msgids the catalogues already hold (flow and status labels), so this block
# -- adds nothing to locale/.
from django.db import models  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402


class AuditAction(models.TextChoices):
    """Audit codes (``AuditEntry.action``) with their labels; member name = code upper-cased."""

    EVALUATION_OPENED = "evaluation_opened", _("书记发起年终评定")
    APPRAISAL_RECORDED = "appraisal_recorded", _("民主评议")
    RESULTS_COMPUTED = "results_computed", _("已计算结果")
    RESULTS_PROPOSED = "results_proposed", _("支部提出等次意见")
    RESULTS_APPROVED = "results_approved", _("上级已同意")
    RESULTS_RETURNED = "results_returned", _("上级退回修改")
    PUBLICITY_STARTED = "publicity_started", _("开始公示")
    RESULTS_PUBLISHED = "results_published", _("结果已公布")
    RESULTS_USED = "results_used", _("结果运用")
    TALK_NOTICE_ISSUED = "talk_notice_issued", _("发出谈话通知")
    RECTIFICATION_STARTED = "rectification_started", _("发出限期整改通知")
    DISPOSITION_CONFIRMED = "disposition_confirmed", _("已办结")
    DISPOSAL_DECIDED = "disposal_decided", _("支部决定并请示")
    DISPOSAL_APPROVED = "disposal_approved", _("上级已批准")
    DISPOSAL_REJECTED = "disposal_rejected", _("上级未批准")
    RECTIFICATION_OUTCOME = "rectification_outcome", _("记录整改结果")
