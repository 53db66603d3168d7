"""异议: lodged by anyone during a publicity, answered by the branch within 7 working days, the
written explanation filed by the higher committee, an overdue answer supervised by it."""
import datetime
from contextlib import contextmanager, nullcontext

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.kinds import explanation, objection_answer, objection_receipt, result_objection
from organisations.permissions import BRANCH_STAFF, can_review, require
from workdays.calendar import add_working_days
from workflow.steps import complete_human_task

from .. import announce, audit, flows, privacy, refusals
from .. import integration as docs
from ..audit import AuditAction
from ..errors import NON_FIELD_ERRORS, error, step_conflict
from ..errors import ReviewErrorCode as Code
from ..models import Declaration, Objection, ObjectionOutcome, local_today
from .common import OBJECTION_FIELDS, locked_objection, locked_round
from .points import effective_points, effective_points_before, parse_points, signed_points

#: The branch answers an objection within this many Chinese working days.
ANSWER_WORKING_DAYS = 7


def lodge_objection(declaration, *, objector_name, objector_contact, reason, received_on=None, received_by=None,
                    client=""):
    """Anyone may object to a published item during the window; the branch must answer in 7 working days.

    ``received_by``: the staff user recording an objection received on paper (None for the
    public form). ``client``: the public form's client address, counted against
    ``reviews.refusals.limits()``. Starts an ``ObjectionFlow`` and requests the receipt (受理回执).
    A public attempt that is refused is written to ``RefusedObjection`` for the branch to see.

    Raises:
        PermissionDenied: a back-dated ``received_on`` recorded by someone not branch staff.
        ValidationError: ``objector_name_missing`` (objector_name), ``objector_contact_missing``
            (objector_contact), ``objection_reason_missing`` (reason), ``received_on_future``
            (received_on); ``declaration_not_published``, ``outside_publicity_window``,
            ``declaration_not_in_publicity``, ``objection_duplicate``, ``objection_client_limit``,
            ``objection_declaration_limit`` (whole step).
    """
    with _refusals_logged(received_by, client, objector_name, declaration=declaration):
        return _lodge(declaration, objector_name=objector_name, objector_contact=objector_contact, reason=reason,
                      received_on=received_on, received_by=received_by, client=client)


@contextmanager
def _refusals_logged(received_by, client, objector_name, *, declaration=None, organisation=None):
    """A public attempt (``received_by`` None) refused inside is written to ``RefusedObjection``, then
    the refusal goes on; enter it outside any lock, so the record outlives the step's rollback."""
    try:
        yield
    except ValidationError as exc:
        if received_by is None:
            for code, message in _codes(exc):
                refusals.record(declaration, organisation=organisation, client=client, code=code, message=message,
                                objector_name=objector_name)
        raise


def _objector_fields(objector_name, objector_contact, reason, received_on, received_by, organisation):
    """The objection's own fields, stripped and checked: ``(name, contact, reason, received_on)``.

    ``received_on`` defaults to today; back-dating it is for ``organisation``'s branch staff.
    """
    objector_name, objector_contact, reason = (objector_name or "").strip(), (objector_contact or "").strip(), (reason or "").strip()
    if not objector_name:
        raise error("objector_name", Code.OBJECTOR_NAME_MISSING, _("请填写异议人姓名。"))
    if not objector_contact:
        raise error("objector_contact", Code.OBJECTOR_CONTACT_MISSING, _("请填写异议人联系方式，以便支部答复。"))
    if not reason:
        raise error("reason", Code.OBJECTION_REASON_MISSING, _("请填写异议理由。"))
    today = local_today()
    received_on = received_on or today
    if received_on > today:
        raise error("received_on", Code.RECEIVED_ON_FUTURE, _("受理日期 %(d)s 在今天之后。"), d=received_on)
    if received_by is not None and received_on != today:
        require(received_by, organisation, BRANCH_STAFF)
    return objector_name, objector_contact, reason, received_on


def _codes(exc):
    errors = [e for errs in exc.error_dict.values() for e in errs] if hasattr(exc, "error_dict") else exc.error_list
    return [(e.code or "invalid", " ".join(e.messages)) for e in errors][:1]


def _check_limits(same_item, objector_name, reason, public, client):
    """Refuse an exact duplicate, and a public objection over the client's or the item's limit;
    ``same_item``: the objections to the same item (a declaration, or a member's result)."""
    earlier = same_item.filter(objector_name=objector_name, reason=reason).order_by("pk").first()
    if earlier is not None:
        raise error(NON_FIELD_ERRORS, Code.OBJECTION_DUPLICATE,
                    _("相同的异议（同一异议人、同一理由）已于 %(d)s 受理，支部将一并答复，无需重复提交。"),
                    d=earlier.received_on)
    if not public:
        return
    now, rule = timezone.now(), refusals.limits()
    if client:
        since = now - datetime.timedelta(minutes=rule["client_window_minutes"])
        if Objection.objects.filter(client=client, lodged_at__gte=since).count() >= rule["per_client"]:
            raise error(NON_FIELD_ERRORS, Code.OBJECTION_CLIENT_LIMIT,
                        _("提交过于频繁：同一来源 %(m)s 分钟内最多提交 %(n)s 条异议，请稍后再试。"),
                        m=rule["client_window_minutes"], n=rule["per_client"])
    since = now - datetime.timedelta(minutes=rule["declaration_window_minutes"])
    count = same_item.filter(received_by__isnull=True, lodged_at__gte=since).count()
    if count >= rule["per_declaration"]:
        raise error(NON_FIELD_ERRORS, Code.OBJECTION_DECLARATION_LIMIT,
                    _("该事项已收到 %(n)s 条网上异议，支部正在处理；如有新情况，请直接向支部反映。"),
                    n=rule["per_declaration"])


def _lodge(declaration, *, objector_name, objector_contact, reason, received_on, received_by, client):
    declaration = Declaration.objects.select_related("member", "review_round", "organisation").get(pk=declaration.pk)
    objector_name, objector_contact, reason, received_on = _objector_fields(
        objector_name, objector_contact, reason, received_on, received_by, declaration.organisation)
    if declaration.review_round_id is None:
        raise error(NON_FIELD_ERRORS, Code.DECLARATION_NOT_PUBLISHED, _("该事项未在公示中，不能提出异议。"))
    with locked_round(declaration.review_round) as (rr, _process):
        publicity = rr.current_publicity()
        if publicity is None or not publicity.is_open_on(received_on):
            raise error(NON_FIELD_ERRORS, Code.OUTSIDE_PUBLICITY_WINDOW,
                        _("“%(round)s”在 %(d)s 不在公示期内，不能提出异议。"), round=rr, d=received_on)
        if not publicity.declarations.filter(pk=declaration.pk).exists():
            raise error(NON_FIELD_ERRORS, Code.DECLARATION_NOT_IN_PUBLICITY, _("“%(d)s”不在本次公示的事项中。"),
                        d=declaration)
        public = not getattr(received_by, "is_authenticated", False)
        _check_limits(Objection.objects.filter(declaration=declaration), objector_name, reason, public,
                      client if public else "")
        objection = Objection.objects.create(
            declaration=declaration,
            publicity=publicity,
            objector_name=objector_name,
            objector_contact=objector_contact,
            reason=reason,
            received_on=received_on,
            due_on=add_working_days(received_on, ANSWER_WORKING_DAYS),
            received_by=received_by if getattr(received_by, "is_authenticated", False) else None,
            client=(client or "")[:64] if public else "",
            organisation=rr.organisation,
        )
        audit.record(AuditAction.OBJECTION_LODGED, objection, actor=objection.received_by,
                     actor_label=objector_name if objection.received_by is None else "",
                     review_round=rr, declaration=declaration,
                     after={"received_on": received_on, "due_on": objection.due_on, "reason": reason})
        process = flows.ObjectionFlow.start.run(objection=objection)
        docs.request_document(
            docs.DOC_OBJECTION_RECEIPT,
            organisation=rr.organisation,
            context=objection_receipt.build_context(objection, signed_points=signed_points),
            triggered_by=objection.received_by,
            process=process,
            subject_key=f"objection:{objection.pk}:receipt",
        )
        announce.objection_lodged(objection)
        return objection


def lodge_result_objection(subject, *, member, organisation, objector_name, objector_contact, reason, received_on=None,
                           received_by=None, client="", lock=None):
    """An objection against ``member``'s entry in a published record other than a declaration
    (a year-end evaluation's results).

    ``subject`` says whether it takes objections on a day (``accepts_objection_on(day)``), what
    it is (``objection_item``) and where it is shown (``get_absolute_url``); ``organisation``
    answers the objection. The
    same ObjectionFlow as for a declaration follows: the branch answers within 7 working days,
    the higher committee files the explanation, an overdue answer is supervised. ``client``: as for
    ``lodge_objection``: the same duplicate rule and limits (per client, per member's result), and
    a refused public attempt is written to ``RefusedObjection``. ``lock``: the subject's own lock, a
    context manager ``lock(subject)`` yielding the locked subject, taken for the check and the write
    (the refusal is written outside it, so it outlives the refused step's rollback).

    Raises:
        PermissionDenied: a back-dated ``received_on`` recorded by someone not branch staff.
        ValidationError: ``objector_name_missing`` (objector_name), ``objector_contact_missing``
            (objector_contact), ``objection_reason_missing`` (reason), ``received_on_future``
            (received_on); ``outside_publicity_window``, ``objection_duplicate``,
            ``objection_client_limit``, ``objection_declaration_limit`` (whole step).
    """
    with _refusals_logged(received_by, client, objector_name, organisation=organisation):
        with lock(subject) if lock is not None else nullcontext(subject) as locked:
            return _lodge_result(locked, member=member, organisation=organisation, objector_name=objector_name,
                                 objector_contact=objector_contact, reason=reason, received_on=received_on,
                                 received_by=received_by, client=client)


def _lodge_result(subject, *, member, organisation, objector_name, objector_contact, reason, received_on, received_by,
                  client):
    objector_name, objector_contact, reason, received_on = _objector_fields(
        objector_name, objector_contact, reason, received_on, received_by, organisation)
    if not subject.accepts_objection_on(received_on):
        raise error(NON_FIELD_ERRORS, Code.OUTSIDE_PUBLICITY_WINDOW,
                    _("“%(round)s”在 %(d)s 不在公示期内，不能提出异议。"), round=subject, d=received_on)
    public = not getattr(received_by, "is_authenticated", False)
    same_item = Objection.objects.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk,
                                         member=member)
    _check_limits(same_item, objector_name, reason, public, client if public else "")
    objection = Objection.objects.create(
        subject=subject, member=member, organisation=organisation, objector_name=objector_name, objector_contact=objector_contact,
        reason=reason, received_on=received_on, due_on=add_working_days(received_on, ANSWER_WORKING_DAYS),
        received_by=received_by if getattr(received_by, "is_authenticated", False) else None,
        client=(client or "")[:64] if public else "",
    )
    audit.record(AuditAction.OBJECTION_LODGED, objection, actor=objection.received_by, organisation=organisation,
                 actor_label=objector_name if objection.received_by is None else "",
                 after={"received_on": received_on, "due_on": objection.due_on, "reason": reason})
    process = flows.ObjectionFlow.start.run(objection=objection)
    docs.request_document(docs.DOC_OBJECTION_RECEIPT, organisation=organisation,
                          context=result_objection.receipt_context(objection), triggered_by=objection.received_by,
                          process=process, subject_key=f"objection:{objection.pk}:receipt")
    announce.objection_lodged(objection)
    return objection


def _check_answer(objection, outcome, reason, corrected_points, answered_on):
    """The answer's fields, validated: returns ``(reason, corrected_points, answered_on)``."""
    reason = (reason or "").strip()
    if not reason:
        raise error("reason", Code.ANSWER_REASON_MISSING, _("答复须说明调查核实情况和理由。"))
    answered_on = answered_on or local_today()
    if answered_on > local_today():
        raise error("answered_on", Code.ANSWERED_ON_FUTURE, _("答复日期 %(d)s 在今天之后。"), d=answered_on)
    if answered_on < objection.received_on:
        raise error("answered_on", Code.ANSWERED_ON_BEFORE_RECEIVED, _("答复日期 %(d)s 早于受理日期 %(r)s。"),
                    d=answered_on, r=objection.received_on)
    if objection.declaration_id is None:
        # Another record (a year-end result): an upheld objection is corrected by the record's own
        # process (the evaluation goes back to the branch), never by typing a value here.
        if outcome not in ObjectionOutcome.values:
            raise error("outcome", Code.OUTCOME_INVALID, _("处理结果“%(o)s”无效，应为异议成立或异议不成立。"), o=outcome)
        if corrected_points not in (None, ""):
            raise error("corrected_points", Code.CORRECTED_POINTS_NOT_ALLOWED,
                        _("年终评定结果的异议成立时，由支部重新评定更正，不在此填写分值。"))
        return reason, None, answered_on
    if outcome == ObjectionOutcome.UPHELD:
        if corrected_points is None:
            raise error("corrected_points", Code.CORRECTED_POINTS_MISSING, _("异议成立须填写更正后的分值。"))
        corrected_points = parse_points(corrected_points, field="corrected_points", label=_("更正后的分值"))
        if corrected_points == effective_points(objection.declaration):
            raise error("corrected_points", Code.CORRECTED_POINTS_UNCHANGED,
                        _("更正后的分值与现有分值相同；若无需更正，请选择“异议不成立”。"))
    elif outcome == ObjectionOutcome.DISMISSED:
        if corrected_points is not None:
            raise error("corrected_points", Code.CORRECTED_POINTS_NOT_ALLOWED, _("异议不成立时不能填写更正分值。"))
    else:
        raise error("outcome", Code.OUTCOME_INVALID, _("处理结果“%(o)s”无效，应为异议成立或异议不成立。"), o=outcome)
    return reason, corrected_points, answered_on


def answer_objection(objection, by, outcome, reason, *, corrected_points=None, answered_on=None):
    """The branch answers: upheld (with the corrected points) or dismissed, each with a reason.

    Requests the written answer (答复书) and the explanation to the higher committee (情况说明).

    Raises:
        PermissionDenied: ``by`` is not branch staff, or is the member objected against (回避).
        StepConflict: ``objection_already_answered``.
        ValidationError: ``answer_reason_missing`` (reason), ``answered_on_future`` /
            ``answered_on_before_received`` (answered_on), ``corrected_points_missing`` /
            ``corrected_points_unchanged`` / ``corrected_points_not_allowed`` / ``points_*``
            (corrected_points), ``outcome_invalid`` (outcome).
    """
    rr = objection.review_round
    require(by, objection.organisation, BRANCH_STAFF)
    if privacy.is_objected_member(by, objection):
        raise PermissionDenied(_("您是被提出异议的党员，应当回避，不能答复该异议。"))
    reason, corrected_points, answered_on = _check_answer(objection, outcome, reason, corrected_points, answered_on)
    with locked_objection(objection) as (obj, process):
        if obj.answered_on is not None:
            raise step_conflict(Code.OBJECTION_ALREADY_ANSWERED, _("该异议已于 %(d)s 答复。"), d=obj.answered_on)
        before = audit.snapshot(obj, OBJECTION_FIELDS)
        obj.outcome = outcome
        obj.answer_reason = reason
        obj.corrected_points = corrected_points
        obj.answered_on = answered_on
        obj.answered_by = by
        obj.save()
        audit.record(AuditAction.OBJECTION_ANSWERED, obj, actor=by, review_round=rr, declaration=obj.declaration,
                     organisation=obj.organisation, before=before, after=audit.snapshot(obj, OBJECTION_FIELDS))
        task = complete_human_task(process, flows.ObjectionFlow.answer, by, _("该异议已由他人答复。"))
        if rr is None:  # a year-end result: the papers name the result objected to
            for kind, context, key in ((docs.DOC_OBJECTION_ANSWER, result_objection.answer_context(obj), "answer"),
                                       (docs.DOC_EXPLANATION, result_objection.explanation_context(obj), "explanation")):
                docs.request_document(kind, organisation=obj.organisation, context=context, triggered_by=by,
                                      process=process, task=task, subject_key=f"objection:{obj.pk}:{key}")
            return obj
        old_points = effective_points_before(obj)
        docs.request_document(
            docs.DOC_OBJECTION_ANSWER,
            organisation=rr.organisation,
            context=objection_answer.build_context(obj, previous_points=old_points, signed_points=signed_points),
            triggered_by=by, process=process, task=task, subject_key=f"objection:{obj.pk}:answer",
        )
        docs.request_document(
            docs.DOC_EXPLANATION,
            organisation=rr.organisation,
            context=explanation.build_context(obj, previous_points=old_points, signed_points=signed_points),
            triggered_by=by, process=process, task=task, subject_key=f"objection:{obj.pk}:explanation",
        )
        return obj


def file_explanation(objection, by):
    """The higher committee files the branch's written explanation (情况说明备案).

    Raises:
        PermissionDenied: ``by`` reviews no organisation above the branch.
        StepConflict: ``explanation_already_filed``.
        ValidationError: ``objection_not_answered`` (whole step).
    """
    rr = objection.review_round
    if not can_review(by, objection.organisation):
        raise PermissionDenied(_("只有上级党组织的审查人可以将情况说明存档备案。"))
    with locked_objection(objection) as (obj, process):
        if obj.answered_on is None:
            raise error(NON_FIELD_ERRORS, Code.OBJECTION_NOT_ANSWERED, _("支部尚未答复该异议，没有可备案的情况说明。"))
        if obj.explanation_filed_on is not None:
            raise step_conflict(Code.EXPLANATION_ALREADY_FILED, _("情况说明已于 %(d)s 备案。"), d=obj.explanation_filed_on)
        before = audit.snapshot(obj, OBJECTION_FIELDS)
        obj.explanation_filed_on = local_today()
        obj.explanation_filed_by = by
        obj.save(update_fields=["explanation_filed_on", "explanation_filed_by"])
        audit.record(AuditAction.EXPLANATION_FILED, obj, actor=by, review_round=rr, declaration=obj.declaration,
                     organisation=obj.organisation, before=before, after=audit.snapshot(obj, OBJECTION_FIELDS))
        complete_human_task(process, flows.ObjectionFlow.file_explanation, by, _("情况说明已由他人备案。"))
        return obj


def flow_mark_overdue(process, task):
    """Node ``escalate``: the answer deadline passed unanswered; the higher committee is tasked."""
    obj = process.objection
    obj.escalated_at = timezone.now()
    obj.save(update_fields=["escalated_at"])
    audit.record(AuditAction.OBJECTION_OVERDUE, obj, review_round=obj.review_round, organisation=obj.organisation,
                 declaration=obj.declaration, after={"due_on": obj.due_on, "escalated_at": obj.escalated_at})


def supervise_overdue(objection, by, note):
    """The higher committee records its supervision (督办) of an overdue answer.

    Raises:
        PermissionDenied: ``by`` reviews no organisation above the branch.
        ValidationError: ``note_missing`` (note).
    """
    rr = objection.review_round
    if not can_review(by, objection.organisation):
        raise PermissionDenied(_("只有上级党组织的审查人可以督办逾期异议。"))
    note = (note or "").strip()
    if not note:
        raise error("note", Code.NOTE_MISSING, _("请填写督办意见。"))
    with locked_objection(objection) as (obj, process):
        audit.record(AuditAction.OVERDUE_SUPERVISED, obj, actor=by, review_round=rr, declaration=obj.declaration,
                     organisation=obj.organisation, after={"note": note})
        complete_human_task(process, flows.ObjectionFlow.supervise_overdue, by, _("该逾期异议已由他人督办。"))
        return obj


def overdue_objections(today=None):
    """Objections still unanswered after their due day (default: today in Asia/Shanghai)."""
    today = today or local_today()
    return Objection.objects.filter(answered_on__isnull=True, due_on__lt=today)
