"""The audit trail: one append-only row per transition, with before/after values.

``AuditAction`` lists every code the trail stores (the review chain's and the year-end
appraisal's), each with its label in simplified Chinese (the msgid) and English (the .po).
``record`` refuses any other code.
"""
import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import pgettext_lazy

# reviews.models imports AuditAction from here (AuditEntry.action's choices), so the models
# module is bound by name and its classes are read when a row is written.
from . import models as review_models


class AuditAction(models.TextChoices):
    """Every audit code. Member name = the code upper-cased (``"round_opened"`` → ``ROUND_OPENED``)."""

    # -- declarations (reviews.services.declarations, rounds) ----------------------------------
    DECLARATION_CREATED = "declaration_created", pgettext_lazy("audit action", "申报")
    EVIDENCE_ADDED = "evidence_added", pgettext_lazy("audit action", "上传佐证材料")
    DECLARATION_COLLECTED = "declaration_collected", pgettext_lazy("audit action", "纳入审核批次")
    DECLARATION_WITHDRAWN = "declaration_withdrawn", pgettext_lazy("audit action", "撤回申报")
    # -- review rounds and the branch meeting (rounds, meeting) ---------------------------------
    ROUND_OPENED = "round_opened", pgettext_lazy("audit action", "发起审核批次")
    MEETING_RECORDED = "meeting_recorded", pgettext_lazy("audit action", "记录支部会议")
    MEETING_CORRECTED = "meeting_corrected", pgettext_lazy("audit action", "更正会议记录")
    DECLARATION_DECIDED = "declaration_decided", pgettext_lazy("audit action", "支部会议认定")
    ROUND_SUBMITTED = "round_submitted", pgettext_lazy("audit action", "报上级审查")
    ROUND_STATUS = "round_status", pgettext_lazy("audit action", "批次状态变更")
    # -- higher-level review (filing) ----------------------------------------------------------
    ROUND_FILED = "round_filed", pgettext_lazy("audit action", "上级审查通过并备案")
    ROUND_RETURNED = "round_returned", pgettext_lazy("audit action", "上级退回修改")
    # -- publicity (publicity; PUBLICITY_STARTED also for the year-end results) ----------------
    PUBLICITY_OPENED = "publicity_opened", pgettext_lazy("audit action", "开始公示")
    PUBLICITY_STARTED = "publicity_started", pgettext_lazy("audit action", "开始公示")
    PUBLICITY_CLOSED = "publicity_closed", pgettext_lazy("audit action", "公示期满")
    PUBLICITY_WINDOW_CLOSED = "publicity_window_closed", pgettext_lazy("audit action", "公示期满")
    CORRECTIONS_REPUBLISHED = "corrections_republished", pgettext_lazy("audit action", "更正结果公示")
    # -- objections ----------------------------------------------------------------------------
    OBJECTION_LODGED = "objection_lodged", pgettext_lazy("audit action", "提出异议")
    OBJECTION_ANSWERED = "objection_answered", pgettext_lazy("audit action", "答复异议")
    OBJECTION_OVERDUE = "objection_overdue", pgettext_lazy("audit action", "异议答复逾期")
    OVERDUE_SUPERVISED = "overdue_supervised", pgettext_lazy("audit action", "上级督办")
    EXPLANATION_FILED = "explanation_filed", pgettext_lazy("audit action", "情况说明备案")
    OBJECTION_REMINDED = "objection_reminded", pgettext_lazy("audit action", "上级催办")
    OBJECTION_DUE_MOVED = "objection_due_moved", pgettext_lazy("audit action", "答复期限随工作日历调整")
    # -- ledger (posting) ----------------------------------------------------------------------
    POSTING_QUEUED = "posting_queued", pgettext_lazy("audit action", "准备记入台账")
    ROUND_POSTED_TO_LEDGER = "round_posted_to_ledger", pgettext_lazy("audit action", "记入台账")
    # -- year-end appraisal (appraisals.services) ----------------------------------------------
    EVALUATION_OPENED = "evaluation_opened", pgettext_lazy("audit action", "发起年终评定")
    APPRAISAL_RECORDED = "appraisal_recorded", pgettext_lazy("audit action", "录入民主评议")
    RESULTS_COMPUTED = "results_computed", pgettext_lazy("audit action", "计算评定结果")
    RESULTS_PROPOSED = "results_proposed", pgettext_lazy("audit action", "支部确认等次")
    RESULTS_APPROVED = "results_approved", pgettext_lazy("audit action", "上级同意评定结果")
    RESULTS_RETURNED = "results_returned", pgettext_lazy("audit action", "上级退回评定结果")
    RESULTS_PUBLISHED = "results_published", pgettext_lazy("audit action", "公布评定结果")
    RESULTS_REOPENED = "results_reopened", pgettext_lazy("audit action", "异议成立，退回更正评定结果")
    RESULTS_USED = "results_used", pgettext_lazy("audit action", "启动结果运用")
    TALK_NOTICE_ISSUED = "talk_notice_issued", pgettext_lazy("audit action", "发出谈话通知")
    RECTIFICATION_STARTED = "rectification_started", pgettext_lazy("audit action", "开始限期整改")
    DISPOSITION_CONFIRMED = "disposition_confirmed", pgettext_lazy("audit action", "确认处理完成")
    DISPOSAL_DECIDED = "disposal_decided", pgettext_lazy("audit action", "支部决定组织处置")
    DISPOSAL_APPROVED = "disposal_approved", pgettext_lazy("audit action", "上级批准组织处置")
    DISPOSAL_REJECTED = "disposal_rejected", pgettext_lazy("audit action", "上级不批准组织处置")
    RECTIFICATION_OUTCOME = "rectification_outcome", pgettext_lazy("audit action", "记录整改结果")
    QUOTA_PLACE_AWARDED = "quota_place_awarded", pgettext_lazy("audit action", "决定并列名额")
    # -- who does a task (workflow.assignment, workflow.history; reviews.task_audit) -----------
    TASK_CLAIMED = "task_claimed", pgettext_lazy("audit action", "领取任务")
    TASK_RELEASED = "task_released", pgettext_lazy("audit action", "任务退回待领取")
    TASK_REASSIGNED = "task_reassigned", pgettext_lazy("audit action", "转交任务")
    COPIED_TO_HIGHER = "copied_to_higher", pgettext_lazy("audit action", "抄送上级")
    REPORT_WITHDRAWN = "report_withdrawn", pgettext_lazy("audit action", "撤回上报")
    TASK_URGED = "task_urged", pgettext_lazy("audit action", "催办")
    DELEGATION_GRANTED = "delegation_granted", pgettext_lazy("audit action", "委派")
    DELEGATION_REVOKED = "delegation_revoked", pgettext_lazy("audit action", "收回委派")


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


def entry(action, obj, *, actor=None, before=None, after=None, organisation=None, review_round=None,
          declaration=None, actor_label=""):
    """The unsaved AuditEntry :func:`record` writes (for :func:`record_many`)."""
    action = AuditAction(action)
    if isinstance(obj, review_models.ReviewRound):
        review_round = review_round or obj
    if isinstance(obj, review_models.Declaration):
        declaration = declaration or obj
        review_round = review_round or obj.review_round
    if review_round is not None and organisation is None:
        organisation = review_round.organisation
    if declaration is not None and organisation is None:
        organisation = declaration.organisation
    if not actor_label:
        actor_label = (actor.get_full_name() or actor.get_username()) if actor is not None else "系统"
    return review_models.AuditEntry(
        actor=actor,
        actor_label=actor_label[:100],
        action=action.value,
        organisation=organisation,
        review_round=review_round,
        declaration=declaration,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        before={k: _plain(v) for k, v in (before or {}).items()},
        after={k: _plain(v) for k, v in (after or {}).items()},
    )


def record(action, obj, *, actor=None, before=None, after=None, organisation=None, review_round=None,
           declaration=None, actor_label=""):
    """Write one AuditEntry for ``action`` (an ``AuditAction`` or its code) on ``obj``.

    ``before``/``after``: ``{field: value}`` (Decimals, dates and rows stored JSON-ready).
    The round, declaration and organisation are taken from ``obj`` when not given.
    Raises ValueError for a code that is not an ``AuditAction``.
    """
    row = entry(action, obj, actor=actor, before=before, after=after, organisation=organisation,
                review_round=review_round, declaration=declaration, actor_label=actor_label)
    row.save(force_insert=True)
    return row


def record_many(entries):
    """Write the unsaved entries of :func:`entry` in one bulk insert (a bulk step: one query, not one per row).

    A bulk insert sends no ``post_save``: use it for actions nobody listens to (the copies to the
    higher committee, ``portal.cc``, listen to filings and results; write those with :func:`record`).
    """
    return review_models.AuditEntry.objects.bulk_create(entries, batch_size=500)
