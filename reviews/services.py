"""Every transition of the review chain, callable from views, Celery tasks and the shell.

Each public function here:

* checks the organisation-tree permission (``organisations.permissions``) for the user it
  is given, so a code path without HTTP cannot bypass it;
* validates its input and raises ``ValidationError`` with a Chinese message that names the
  problem;
* runs atomically under the round's workflow lock (``select_for_update`` on the process
  row): a step that fails leaves the workflow where it was, and two people completing the
  same step at once get exactly one success and one clear ``StepConflict``;
* writes an ``AuditEntry`` (who, when, what, before/after) and requests the step's document.

The ``flow_*`` functions are the bodies of the automatic workflow nodes in
``reviews.flows``; they run inside the flow lock that viewflow already holds.
"""
import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.kinds import (
    explanation,
    filing_report,
    meeting_record,
    objection_answer,
    objection_receipt,
    publicity_notice,
    summary_table,
)
from organisations.models import RoleKind
from organisations.permissions import ANY_ROLE, BRANCH_STAFF, can_act_on, can_review, require
from schemes.models import SchemeVersion
from workflow.steps import StepConflict, complete_human_task, locked_process
from workdays.calendar import add_working_days

from . import audit, flows
from . import evidence as evidence_files
from . import integration as docs
from .models import (
    COUNTED,
    DECIDED,
    MIN_PUBLICITY_DAYS,
    BranchMeeting,
    Declaration,
    DeclarationStatus,
    Evidence,
    FilingDecision,
    FilingOutcome,
    MeetingKind,
    Objection,
    ObjectionOutcome,
    PeriodKind,
    Publicity,
    PublicityKind,
    ReporterKind,
    ReviewRound,
    RoundStatus,
    local_today,
)

ROUND_OWNERS = (RoleKind.SECRETARY,)

DECLARATION_FIELDS = ("status", "points", "decided_points", "decision_reason", "decided_at_meeting", "review_round")
ROUND_FIELDS = ("status", "review_pass", "finalised_at")
OBJECTION_FIELDS = ("outcome", "answered_on", "answer_reason", "corrected_points", "escalated_at", "explanation_filed_on")


def _err(message, **params):
    return ValidationError(message % params if params else message)


def _quarter(day):
    return (day.month - 1) // 3 + 1


def _points(value, label):
    try:
        result = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise _err(_("%(label)s“%(value)s”不是有效的分值。"), label=label, value=value) from None
    if not result.is_finite():
        raise _err(_("%(label)s“%(value)s”不是有效的分值。"), label=label, value=value)
    if result != result.quantize(Decimal("0.01")):
        raise _err(_("%(label)s最多保留两位小数，收到“%(value)s”。"), label=label, value=value)
    if abs(result) >= Decimal("1000000"):
        raise _err(_("%(label)s“%(value)s”超出范围。"), label=label, value=value)
    return result.quantize(Decimal("0.01"))


# -- locking and tasks -------------------------------------------------------------------


def _locked_round(review_round):
    """Hold the round's workflow lock and yield fresh ``(round, process)`` rows."""
    return locked_process(
        flows.ReviewRoundFlow, review_round, subject_field="review_round_id", select_related=("organisation",),
        missing_message=_("审核批次“%(round)s”没有对应的审核流程。") % {"round": review_round},
        busy_message=_("审核批次“%(round)s”正由他人处理，请稍后再试。") % {"round": review_round},
    )


def _locked_objection(objection):
    """Hold the objection's workflow lock and yield fresh ``(objection, process)`` rows."""
    return locked_process(
        flows.ObjectionFlow, objection, subject_field="objection_id",
        select_related=("declaration__review_round__organisation", "declaration__member"),
        missing_message=_("该异议没有对应的处理流程。"),
        busy_message=_("该异议正由他人处理，请稍后再试。"),
    )


def _set_round_status(review_round, status, actor=None, action="round_status"):
    before = audit.snapshot(review_round, ROUND_FIELDS)
    review_round.status = status
    if status == RoundStatus.FINAL:
        review_round.finalised_at = timezone.now()
    review_round.save(update_fields=["status", "review_pass", "finalised_at"])
    audit.record(action, review_round, actor=actor, before=before, after=audit.snapshot(review_round, ROUND_FIELDS))


# -- rounds --------------------------------------------------------------------------------


def _period_for(day, period_kind):
    if period_kind == PeriodKind.MONTH:
        start = day.replace(day=1)
    else:
        start = datetime.date(day.year, (_quarter(day) - 1) * 3 + 1, 1)
    months = 1 if period_kind == PeriodKind.MONTH else 3
    month_index = start.month - 1 + months
    next_start = datetime.date(start.year + month_index // 12, month_index % 12 + 1, 1)
    return start, next_start - datetime.timedelta(days=1)


def open_round(*, organisation, by, period_start=None, period_end=None, period_kind=None, cycle_start=None,
               publicity_days=None, requires_guide_signatory=None):
    """The secretary opens a review round for the branch and period; it collects the declarations.

    Period defaults to the quarter (or month, per the scheme) containing today.
    """
    require(by, organisation, ROUND_OWNERS)
    if organisation.parent_id is None:
        raise _err(_("“%(org)s”没有上级党组织，无法报上级审查备案，不能发起审核批次。"), org=organisation)
    scheme = docs.scheme_settings(organisation, period_start or local_today())
    period_kind = period_kind or scheme["period_kind"]
    if period_kind not in PeriodKind.values:
        raise _err(_("审核周期“%(kind)s”无效，应为季度或月度。"), kind=period_kind)
    if period_start is None:
        period_start, default_end = _period_for(local_today(), period_kind)
        period_end = period_end or default_end
    elif period_end is None:
        period_end = _period_for(period_start, period_kind)[1]
    if period_end < period_start:
        raise _err(_("截止日期 %(end)s 早于起始日期 %(start)s。"), end=period_end, start=period_start)
    publicity_days = scheme["publicity_days"] if publicity_days is None else publicity_days
    if int(publicity_days) < MIN_PUBLICITY_DAYS:
        raise _err(_("公示期为 %(days)s 天，少于规定的 %(min)s 天。"), days=publicity_days, min=MIN_PUBLICITY_DAYS)
    if requires_guide_signatory is None:
        requires_guide_signatory = bool(scheme["rural"])
    cycle_start = cycle_start or datetime.date(period_start.year, 1, 1)
    if cycle_start > period_start:
        raise _err(_("考核周期起始日 %(cycle)s 晚于审核期起始日 %(start)s。"), cycle=cycle_start, start=period_start)
    overlapping = ReviewRound.objects.filter(
        organisation=organisation, period_start__lte=period_end, period_end__gte=period_start
    ).first()
    if overlapping is not None:
        raise _err(_("“%(org)s”已有与该期间重叠的审核批次：%(round)s。"), org=organisation, round=overlapping)

    with transaction.atomic():
        review_round = ReviewRound.objects.create(
            organisation=organisation,
            period_kind=period_kind,
            period_start=period_start,
            period_end=period_end,
            cycle_start=cycle_start,
            publicity_days=int(publicity_days),
            requires_guide_signatory=requires_guide_signatory,
            opened_by=by,
        )
        audit.record("round_opened", review_round, actor=by, after=audit.snapshot(review_round, ROUND_FIELDS))
        flows.ReviewRoundFlow.start.run(review_round=review_round)
        _collect(review_round, by)
    return review_round


def _collect(review_round, by):
    """Attach the period's submitted, unattached declarations of the branch (late ones included)."""
    pending = Declaration.objects.filter(
        organisation=review_round.organisation,
        status=DeclarationStatus.SUBMITTED,
        review_round__isnull=True,
        occurred_on__gte=review_round.cycle_start,
        occurred_on__lte=review_round.period_end,
    )
    collected = []
    for declaration in pending.select_for_update():
        declaration.review_round = review_round
        declaration.save(update_fields=["review_round"])
        audit.record("declaration_collected", declaration, actor=by, after={"review_round": review_round.pk})
        collected.append(declaration)
    return collected


def collect_declarations(review_round, by):
    """Pick up declarations submitted since the round opened (only at the branch meeting step)."""
    require(by, review_round.organisation, BRANCH_STAFF)
    with _locked_round(review_round) as (rr, _process):
        if not rr.is_at_branch_meeting:
            raise _err(_("审核批次“%(round)s”已报上级，不能再收集申报。"), round=rr)
        return _collect(rr, by)


# -- declarations ---------------------------------------------------------------------------


def _check_reporter(by, member, reporter_kind, reporter_name, reporter_contact):
    org = member.organisation
    if reporter_kind == ReporterKind.SELF:
        if by is None or getattr(member, "user_id", None) != by.pk:
            raise PermissionDenied(_("只能以本人名义申报自己的积分；为他人申报请选择“专人代为申报”。"))
    elif reporter_kind == ReporterKind.CLERK:
        require(by, org, BRANCH_STAFF)
    elif reporter_kind == ReporterKind.GRID_WORKER:
        require(by, org, (RoleKind.GRID_WORKER,))
    elif reporter_kind == ReporterKind.MASS:
        if not reporter_name.strip() or not reporter_contact.strip():
            raise _err(_("群众反映须填写反映人姓名和联系方式。"))
    else:
        raise _err(_("申报方式“%(kind)s”无效。"), kind=reporter_kind)


def create_declaration(*, member, by, reporter_kind, component, rule_item, occurred_on, description, points=None,
                       place="", quantity=1, rule_item_label="", reporter_name="", reporter_contact="",
                       evidence=(), scheme_version=None):
    """申报: a member (self), a clerk, a grid worker or the public declares an event for ``member``.

    With a scheme in force for the member's organisation (or ``scheme_version`` given), the
    component and rule item are checked against it and a listed item's fixed points are
    filled in (× quantity); without one, the given points are taken as declared.
    """
    _check_reporter(by, member, reporter_kind, reporter_name, reporter_contact)
    if not member.is_active:
        raise _err(_("%(member)s 不在册，不能申报。"), member=member)
    if not component or not str(component).strip():
        raise _err(_("请填写积分项目。"))
    if not rule_item or not str(rule_item).strip():
        raise _err(_("请选择积分细则条目。"))
    if not description or not description.strip():
        raise _err(_("请填写事由。"))
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        raise _err(_("数量“%(q)s”不是整数。"), q=quantity) from None
    if quantity < 1:
        raise _err(_("数量至少为1，收到 %(q)s。"), q=quantity)
    if not isinstance(occurred_on, datetime.date):
        raise _err(_("发生日期无效。"))
    if occurred_on > local_today():
        raise _err(_("发生日期 %(d)s 在今天之后，不能申报尚未发生的事项。"), d=occurred_on)
    component, rule_item = str(component).strip(), str(rule_item).strip()
    if points is not None:
        points = _points(points, _("申报分值"))
    scheme_version = scheme_version or SchemeVersion.objects.in_force(member.organisation, occurred_on)
    if scheme_version is not None:
        points, label = docs.resolve_rule_item(scheme_version, component, rule_item, points, quantity)
        rule_item_label = rule_item_label or label
    if points is None:
        raise _err(_("请填写申报分值。"))
    points = _points(points, _("申报分值"))

    with transaction.atomic():
        declaration = Declaration.objects.create(
            organisation=member.organisation,
            member=member,
            reporter_kind=reporter_kind,
            declared_by=by if getattr(by, "is_authenticated", False) else None,
            reporter_name=reporter_name.strip(),
            reporter_contact=reporter_contact.strip(),
            scheme_version=scheme_version,
            component=component,
            rule_item=rule_item,
            rule_item_label=rule_item_label,
            points=points,
            quantity=quantity,
            occurred_on=occurred_on,
            place=place,
            description=description.strip(),
        )
        audit.record(
            "declaration_created", declaration, actor=by if declaration.declared_by_id else None,
            actor_label="" if declaration.declared_by_id else reporter_name,
            after=audit.snapshot(declaration, ("status", "component", "rule_item", "points", "quantity", "occurred_on")),
        )
        for uploaded in evidence:
            _store_evidence(declaration, uploaded, by)
        open_round_for = ReviewRound.objects.filter(
            organisation=member.organisation,
            status__in=(RoundStatus.BRANCH_MEETING, RoundStatus.RETURNED),
            cycle_start__lte=occurred_on,
            period_end__gte=occurred_on,
        ).order_by("period_start").first()
        if open_round_for is not None and not open_round_for.meetings.filter(review_pass=open_round_for.review_pass).exists():
            declaration.review_round = open_round_for
            declaration.save(update_fields=["review_round"])
            audit.record("declaration_collected", declaration, actor=None, after={"review_round": open_round_for.pk})
    return declaration


def _store_evidence(declaration, uploaded, by):
    data, content_type, digest = evidence_files.read_checked(uploaded)
    item = Evidence(
        declaration=declaration,
        original_name=(getattr(uploaded, "name", "") or "")[:200],
        content_type=content_type,
        size=len(data),
        sha256=digest,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    item.file.save(f"{digest}", ContentFile(data), save=False)
    item.save()
    audit.record("evidence_added", item, actor=item.uploaded_by, declaration=declaration,
                 after={"sha256": digest, "content_type": content_type, "size": len(data)})
    return item


def add_evidence(declaration, uploaded, by):
    """Attach one evidence file (author or branch staff, while the declaration is undecided)."""
    if not (declaration.declared_by_id == getattr(by, "pk", None) or can_act_on(by, declaration.organisation, BRANCH_STAFF)):
        raise PermissionDenied(_("只有申报人或支部工作人员可以补充佐证材料。"))
    if declaration.status != DeclarationStatus.SUBMITTED:
        raise _err(_("申报已%(status)s，不能再补充佐证材料。"), status=declaration.get_status_display())
    with transaction.atomic():
        return _store_evidence(declaration, uploaded, by)


def can_view_declaration(user, declaration):
    """The author, the member themself, and anyone with a role over the member's organisation."""
    if not getattr(user, "is_authenticated", False):
        return False
    if declaration.declared_by_id == user.pk or getattr(declaration.member, "user_id", None) == user.pk:
        return True
    return can_act_on(user, declaration.organisation, ANY_ROLE)


def withdraw_declaration(declaration, by):
    """The author withdraws a declaration, until the branch meeting takes it up."""
    declaration = Declaration.objects.select_related("review_round").get(pk=declaration.pk)
    if declaration.declared_by_id is None or declaration.declared_by_id != getattr(by, "pk", None):
        raise PermissionDenied(_("只有申报人本人可以撤回申报。"))

    def _withdraw(decl):
        if decl.status != DeclarationStatus.SUBMITTED:
            raise _err(_("申报已%(status)s，不能撤回。"), status=decl.get_status_display())
        rr = decl.review_round
        if rr is not None and (not rr.is_at_branch_meeting or rr.meetings.filter(review_pass=rr.review_pass).exists()):
            raise _err(_("支部会议已开始审核该申报，不能撤回。"))
        before = audit.snapshot(decl, DECLARATION_FIELDS)
        decl.status = DeclarationStatus.WITHDRAWN
        decl.review_round = None
        decl.save(update_fields=["status", "review_round"])
        audit.record("declaration_withdrawn", decl, actor=by, review_round=rr, before=before,
                     after=audit.snapshot(decl, DECLARATION_FIELDS))
        return decl

    if declaration.review_round_id:
        with _locked_round(declaration.review_round) as (_rr, _process):
            return _withdraw(Declaration.objects.select_for_update().get(pk=declaration.pk))
    with transaction.atomic():
        return _withdraw(Declaration.objects.select_for_update().get(pk=declaration.pk))


# -- branch meeting -------------------------------------------------------------------------


def _require_branch_meeting_step(rr):
    if not rr.is_at_branch_meeting:
        raise StepConflict(
            _("审核批次“%(round)s”当前状态为“%(status)s”，不在支部会议审核阶段。")
            % {"round": rr, "status": rr.get_status_display()}
        )


def record_meeting(review_round, by, *, kind, held_on, entitled_count, minute_taker, attendee_count=None,
                   attendees=(), attendee_names="", guide_signatory="", observers=""):
    """Record the 支部会议/支委会 that reviews the round (this pass)."""
    require(by, review_round.organisation, BRANCH_STAFF)
    if kind not in MeetingKind.values:
        raise _err(_("会议类型“%(kind)s”无效，应为支部党员大会或支委会。"), kind=kind)
    if not isinstance(held_on, datetime.date) or held_on > local_today():
        raise _err(_("会议日期无效或在今天之后。"))
    attendees = list(attendees)
    if attendee_count is None:
        attendee_count = len(attendees)
    try:
        entitled_count, attendee_count = int(entitled_count), int(attendee_count)
    except (TypeError, ValueError):
        raise _err(_("应到人数和实到人数必须是整数。")) from None
    if entitled_count <= 0:
        raise _err(_("应到人数必须大于0。"))
    if attendee_count < 0 or attendee_count > entitled_count:
        raise _err(_("实到人数 %(a)s 不能超过应到人数 %(e)s。"), a=attendee_count, e=entitled_count)
    if attendees and len(attendees) != attendee_count:
        raise _err(_("实到人员名单 %(n)s 人与实到人数 %(a)s 不符。"), n=len(attendees), a=attendee_count)
    if not minute_taker or not minute_taker.strip():
        raise _err(_("请填写会议记录人。"))
    with _locked_round(review_round) as (rr, _process):
        _require_branch_meeting_step(rr)
        if held_on < rr.period_start:
            raise _err(_("会议日期 %(d)s 早于审核期起始日 %(s)s。"), d=held_on, s=rr.period_start)
        if rr.requires_guide_signatory and not guide_signatory.strip():
            raise _err(_("农村积分方案要求党建指导员到会并签字，请填写党建指导员。"))
        meeting = BranchMeeting.objects.create(
            review_round=rr,
            review_pass=rr.review_pass,
            kind=kind,
            held_on=held_on,
            entitled_count=entitled_count,
            attendee_count=attendee_count,
            attendee_names=attendee_names or "、".join(m.name for m in attendees),
            minute_taker=minute_taker.strip(),
            guide_signatory=guide_signatory.strip(),
            observers=observers,
            recorded_by=by,
        )
        if attendees:
            meeting.attendees.set(attendees)
        audit.record("meeting_recorded", meeting, actor=by, review_round=rr, after={
            "kind": kind, "held_on": held_on, "entitled_count": entitled_count,
            "attendee_count": attendee_count, "has_quorum": meeting.has_quorum, "review_pass": rr.review_pass,
        })
        return meeting


def _quorate_meeting(rr):
    meeting = rr.latest_meeting()
    if meeting is None:
        raise _err(_("本轮（第%(n)s次）尚未记录支部会议，不能认定申报。"), n=rr.review_pass)
    if not meeting.has_quorum:
        raise _err(
            _("%(date)s 的会议应到 %(e)s 人、实到 %(a)s 人，未超过应到人数的一半，会议决定无效，不能认定申报。")
            % {"date": meeting.held_on, "e": meeting.entitled_count, "a": meeting.attendee_count}
        )
    return meeting


def _decide(rr, meeting, declaration, by, outcome, points, reason):
    if declaration.review_round_id != rr.pk:
        raise _err(_("申报“%(d)s”不属于审核批次“%(round)s”。"), d=declaration, round=rr)
    if declaration.status == DeclarationStatus.WITHDRAWN:
        raise _err(_("申报“%(d)s”已撤回。"), d=declaration)
    reason = (reason or "").strip()
    if outcome == DeclarationStatus.APPROVED:
        new_points = declaration.points
    elif outcome == DeclarationStatus.ADJUSTED:
        if points is None:
            raise _err(_("调整认定须填写调整后的分值。"))
        new_points = _points(points, _("调整后的分值"))
        if new_points == declaration.points:
            raise _err(_("调整后的分值与申报分值相同，请选择“认定”。"))
        if not reason:
            raise _err(_("调整认定须说明理由。"))
    elif outcome == DeclarationStatus.REJECTED:
        if not reason:
            raise _err(_("不予认定须说明理由。"))
        new_points = Decimal("0.00")
    else:
        raise _err(_("认定结果“%(o)s”无效，应为认定、调整认定或不予认定。"), o=outcome)
    before = audit.snapshot(declaration, DECLARATION_FIELDS)
    declaration.status = outcome
    declaration.decided_points = new_points
    declaration.decision_reason = reason
    declaration.decided_at_meeting = meeting
    declaration.decided_by = by
    declaration.save(update_fields=["status", "decided_points", "decision_reason", "decided_at_meeting", "decided_by"])
    audit.record("declaration_decided", declaration, actor=by, before=before,
                 after=audit.snapshot(declaration, DECLARATION_FIELDS))
    return declaration


def decide_declaration(declaration, by, outcome, *, points=None, reason=""):
    """Approve, adjust (new points + reason) or reject (reason) one declaration at the meeting."""
    declaration = Declaration.objects.select_related("review_round__organisation").get(pk=declaration.pk)
    if declaration.review_round_id is None:
        raise _err(_("申报“%(d)s”尚未纳入审核批次。"), d=declaration)
    require(by, declaration.review_round.organisation, BRANCH_STAFF)
    with _locked_round(declaration.review_round) as (rr, _process):
        _require_branch_meeting_step(rr)
        meeting = _quorate_meeting(rr)
        fresh = Declaration.objects.select_for_update().get(pk=declaration.pk)
        return _decide(rr, meeting, fresh, by, outcome, points, reason)


def bulk_approve(review_round, by, declarations=None):
    """Approve every listed (default: every undecided) declaration of the round as declared.

    Refuses the whole batch when one of the listed declarations was meanwhile decided by
    someone else, so nothing is applied twice.
    """
    require(by, review_round.organisation, BRANCH_STAFF)
    with _locked_round(review_round) as (rr, _process):
        _require_branch_meeting_step(rr)
        meeting = _quorate_meeting(rr)
        qs = rr.declarations.select_for_update().order_by("pk")
        if declarations is None:
            chosen = list(qs.filter(status=DeclarationStatus.SUBMITTED))
        else:
            ids = {d.pk if hasattr(d, "pk") else int(d) for d in declarations}
            chosen = list(qs.filter(pk__in=ids))
            missing = ids - {d.pk for d in chosen}
            if missing:
                raise _err(_("申报 %(ids)s 不属于审核批次“%(round)s”。"), ids=sorted(missing), round=rr)
            already = [d for d in chosen if d.status != DeclarationStatus.SUBMITTED]
            if already:
                raise StepConflict(
                    _("以下申报已被认定或撤回，请刷新后重试：%(list)s。") % {"list": "；".join(str(d) for d in already)}
                )
        if not chosen:
            raise StepConflict(_("审核批次“%(round)s”没有待认定的申报。") % {"round": rr})
        for declaration in chosen:
            _decide(rr, meeting, declaration, by, DeclarationStatus.APPROVED, None, "")
        return chosen


def submit_to_higher(review_round, by):
    """Complete the branch meeting step: every declaration decided, quorum met → report upward."""
    require(by, review_round.organisation, ROUND_OWNERS)
    flow_class = flows.ReviewRoundFlow
    with _locked_round(review_round) as (rr, process):
        _require_branch_meeting_step(rr)
        meeting = _quorate_meeting(rr)
        if rr.requires_guide_signatory and not meeting.guide_signatory:
            raise _err(_("农村积分方案要求党建指导员到会签字，本次会议未记录党建指导员。"))
        if not rr.declarations.filter(status__in=DECIDED).exists():
            raise _err(_("审核批次“%(round)s”没有任何已认定的申报，无需报上级审查。"), round=rr)
        undecided = rr.declarations.filter(status=DeclarationStatus.SUBMITTED)
        if undecided.exists():
            names = "；".join(str(d) for d in undecided[:5])
            raise _err(_("还有 %(n)s 项申报未认定（%(list)s），不能报上级审查。"), n=undecided.count(), list=names)
        task = complete_human_task(
            process, flow_class.branch_meeting, by,
            _("审核批次“%(round)s”的支部会议审核已由他人提交。") % {"round": rr},
        )
        docs.request_document(
            docs.DOC_MEETING_RECORD,
            organisation=rr.organisation,
            context=meeting_record.build_context(meeting),
            triggered_by=by,
            process=process,
            task=task,
            subject_key=f"round:{rr.pk}:pass:{rr.review_pass}",
        )
        _set_round_status(rr, RoundStatus.HIGHER_REVIEW, actor=by, action="round_submitted")
        return rr


# -- higher-level review --------------------------------------------------------------------


def _require_reviewer(by, rr):
    if not can_review(by, rr.organisation):
        raise PermissionDenied(
            _("您不是“%(org)s”上级党组织的审查人，不能审查备案该批次（支部不能自行备案）。") % {"org": rr.organisation}
        )


def _reviewer_org(by, rr):
    from organisations.models import Role

    for org in reversed(rr.organisation.ancestors()):
        if Role.objects.filter(user=by, organisation=org, kind=RoleKind.REVIEWER).exists():
            return org
    return rr.organisation.parent


def _record_filing(rr, process, by, outcome, comments):
    flow_class = flows.ReviewRoundFlow
    if rr.status != RoundStatus.HIGHER_REVIEW:
        raise StepConflict(
            _("审核批次“%(round)s”当前状态为“%(status)s”，不在上级审查阶段。")
            % {"round": rr, "status": rr.get_status_display()}
        )
    filing = FilingDecision.objects.create(
        review_round=rr, review_pass=rr.review_pass, reviewer=by, reviewer_organisation=_reviewer_org(by, rr),
        outcome=outcome, comments=comments,
    )
    audit.record(f"round_{outcome}", filing, actor=by, review_round=rr,
                 after={"outcome": outcome, "comments": comments, "review_pass": rr.review_pass})
    task = complete_human_task(
        process, flow_class.higher_review, by,
        _("审核批次“%(round)s”已由他人审查。") % {"round": rr},
    )
    return filing, task


def file_round(review_round, by, comments="", publicity_start=None):
    """The higher committee approves and files the round; publicity starts on filing."""
    _require_reviewer(by, review_round)
    publicity_start = publicity_start or local_today()
    with _locked_round(review_round) as (rr, process):
        meeting = rr.latest_meeting()
        if meeting is not None and publicity_start < meeting.held_on:
            raise _err(_("公示开始日期 %(d)s 早于支部会议日期 %(m)s。"), d=publicity_start, m=meeting.held_on)
        if publicity_start > local_today() + datetime.timedelta(days=30):
            raise _err(_("公示开始日期 %(d)s 距今超过30天，请在备案后及时公示。"), d=publicity_start)
        process.data = {**(process.data or {}), "publicity_start": publicity_start.isoformat(), "filed_by": by.pk}
        process.save(update_fields=["data"])
        filing, task = _record_filing(rr, process, by, FilingOutcome.FILED, (comments or "").strip())
        docs.request_document(
            docs.DOC_FILING_REPORT,
            organisation=rr.organisation,
            context=filing_report.build_context(filing),
            triggered_by=by,
            process=process,
            task=task,
            subject_key=f"round:{rr.pk}:filing",
        )
        return filing


def return_round(review_round, by, comments):
    """The higher committee returns the round with comments; it goes back to the branch meeting."""
    _require_reviewer(by, review_round)
    comments = (comments or "").strip()
    if not comments:
        raise _err(_("退回须填写审查意见，说明需要修改的内容。"))
    with _locked_round(review_round) as (rr, process):
        filing, _task = _record_filing(rr, process, by, FilingOutcome.RETURNED, comments)
        rr.review_pass += 1
        _set_round_status(rr, RoundStatus.RETURNED, actor=by, action="round_returned")
        return filing


# -- publicity (automatic nodes) ------------------------------------------------------------


def signed_points(declaration, points=None):
    """Points as they move a member's total: deductions recorded as positive numbers count negative.

    The scheme decides (a component in ``deduct`` mode, or weighted negatively in the total);
    without a scheme the component named ``deduction`` does.
    """
    points = effective_points(declaration) if points is None else points
    version = declaration.scheme_version if declaration.scheme_version_id else None
    return docs.signed_points(version, declaration.component, points)


def _open_publicity(rr, process, task, kind, start_on, declarations, actor=None):
    end_on = start_on + datetime.timedelta(days=rr.publicity_days - 1)
    if (end_on - start_on).days + 1 < MIN_PUBLICITY_DAYS:
        raise _err(_("公示期少于 %(min)s 天。"), min=MIN_PUBLICITY_DAYS)
    publicity = Publicity.objects.create(review_round=rr, kind=kind, start_on=start_on, end_on=end_on)
    publicity.declarations.set(declarations)
    audit.record("publicity_opened", publicity, actor=actor, review_round=rr,
                 after={"kind": kind, "start_on": start_on, "end_on": end_on, "items": len(declarations)})
    docs.request_document(
        docs.DOC_PUBLICITY_NOTICE,
        organisation=rr.organisation,
        context=publicity_notice.build_context(publicity, signed_points=signed_points),
        triggered_by=actor,
        process=process,
        task=task,
        subject_key=f"round:{rr.pk}:publicity:{publicity.pk}",
    )
    return publicity


def flow_start_publicity(process, task):
    """Node ``publicity``: open the results publicity on filing."""
    from django.contrib.auth import get_user_model

    rr = process.review_round
    data = process.data or {}
    start_on = datetime.date.fromisoformat(data["publicity_start"]) if data.get("publicity_start") else local_today()
    actor = get_user_model().objects.filter(pk=data.get("filed_by")).first()
    declarations = list(rr.declarations.filter(status__in=DECIDED).select_related("member"))
    _open_publicity(rr, process, task, PublicityKind.RESULTS, start_on, declarations, actor=actor)
    _set_round_status(rr, RoundStatus.PUBLICITY, actor=actor, action="publicity_started")


def flow_close_publicity(process, task):
    """Node ``close_window``: the timer fired; the window is closed exactly once."""
    rr = process.review_round
    publicity = rr.current_publicity()
    if publicity.closed_at is not None:  # pragma: no cover - the timer fires once; kept as a guard
        return
    publicity.closed_at = timezone.now()
    publicity.save(update_fields=["closed_at"])
    audit.record("publicity_closed", publicity, review_round=rr, after={"closed_at": publicity.closed_at})
    _set_round_status(rr, RoundStatus.AWAITING_ANSWERS, action="publicity_window_closed")


def unpublished_corrections(review_round):
    return Objection.objects.filter(
        declaration__review_round=review_round, outcome=ObjectionOutcome.UPHELD, republished_in__isnull=True
    )


def flow_start_republication(process, task):
    """Node ``republication``: upheld corrections are published again for the scheme's days."""
    rr = process.review_round
    objections = list(unpublished_corrections(rr).select_related("declaration__member"))
    declarations = list({o.declaration_id: o.declaration for o in objections}.values())
    publicity = _open_publicity(rr, process, task, PublicityKind.CORRECTIONS, local_today(), declarations)
    for objection in objections:
        objection.republished_in = publicity
        objection.save(update_fields=["republished_in"])
    _set_round_status(rr, RoundStatus.REPUBLICATION, action="corrections_republished")


def effective_points(declaration):
    """The points that count: the branch's decision, then the latest upheld objection."""
    latest = declaration.objections.filter(outcome=ObjectionOutcome.UPHELD).order_by("-answered_on", "-pk").first()
    if latest is not None:
        return latest.corrected_points
    return declaration.decided_points if declaration.decided_points is not None else declaration.points


def flow_posting_queued(process, task):
    """Node ``post_to_ledger`` reached: the posting is queued for the background worker."""
    _set_round_status(process.review_round, RoundStatus.POSTING, action="posting_queued")


def _scheme_ref(declaration):
    """``/scheme:<scheme id>:v<version number>`` for a declaration checked against a scheme version, else ""."""
    version = declaration.scheme_version
    return f"/scheme:{version.scheme_id}:v{version.number}" if version is not None else ""


def flow_post_to_ledger(process, task):
    """Node ``post_to_ledger``: one ledger entry per counted declaration, corrections as correction entries.

    Every scheme a posted declaration was checked against is locked first (its cycle now has
    scores: later changes make a new version), and each entry's ``source_ref`` names the
    scheme version (``review-round:5/declaration:12/scheme:3:v1``).
    """
    rr = process.review_round
    source_ref_prefix = f"review-round:{rr.pk}"
    decided = rr.declarations.filter(status__in=DECIDED).select_related("member", "scheme_version__scheme").order_by("pk")
    for scheme in {d.scheme_version.scheme_id: d.scheme_version.scheme for d in decided if d.scheme_version_id}.values():
        docs.lock_scheme(scheme)
    posted = 0
    for declaration in decided:
        entry = None
        scheme_ref = _scheme_ref(declaration)
        if declaration.status in COUNTED:
            entry = docs.post_entry(
                organisation=rr.organisation,
                member=declaration.member,
                component=declaration.component,
                points=declaration.decided_points,
                occurred_on=declaration.occurred_on,
                cycle_start=rr.cycle_start,
                source="review",
                source_ref=f"{source_ref_prefix}/declaration:{declaration.pk}{scheme_ref}",
                recorded_by=declaration.decided_by,
                note=declaration.decision_reason or (declaration.rule_item_label or declaration.rule_item),
            )
            posted += 1
        for objection in declaration.objections.filter(outcome=ObjectionOutcome.UPHELD).order_by("answered_on", "pk"):
            reason = _("异议成立：%(reason)s") % {"reason": objection.answer_reason}
            if entry is None:
                entry = docs.post_entry(
                    organisation=rr.organisation,
                    member=declaration.member,
                    component=declaration.component,
                    points=objection.corrected_points,
                    occurred_on=declaration.occurred_on,
                    cycle_start=rr.cycle_start,
                    source="objection",
                    source_ref=f"{source_ref_prefix}/objection:{objection.pk}{scheme_ref}",
                    recorded_by=objection.answered_by,
                    note=reason,
                )
            else:
                entry = docs.post_correction(entry, objection.corrected_points, reason, objection.answered_by,
                                             source_ref=f"{source_ref_prefix}/objection:{objection.pk}{scheme_ref}")
            posted += 1
    rr.refresh_from_db()
    _set_round_status(rr, RoundStatus.FINAL, action="round_posted_to_ledger")
    docs.request_document(
        docs.DOC_SUMMARY_TABLE,
        organisation=rr.organisation,
        context=summary_table.build_context(rr, signed_points=signed_points),
        process=process,
        task=task,
        subject_key=f"round:{rr.pk}:summary",
    )
    return posted


# -- objections -----------------------------------------------------------------------------


def lodge_objection(declaration, *, objector_name, objector_contact, reason, received_on=None, received_by=None):
    """Anyone may object to a published item during the window; the branch must answer in 7 working days."""
    objector_name, objector_contact, reason = (objector_name or "").strip(), (objector_contact or "").strip(), (reason or "").strip()
    if not objector_name:
        raise _err(_("请填写异议人姓名。"))
    if not objector_contact:
        raise _err(_("请填写异议人联系方式，以便支部答复。"))
    if not reason:
        raise _err(_("请填写异议理由。"))
    declaration = Declaration.objects.select_related("member", "review_round", "organisation").get(pk=declaration.pk)
    today = local_today()
    received_on = received_on or today
    if received_on > today:
        raise _err(_("受理日期 %(d)s 在今天之后。"), d=received_on)
    if received_by is not None and received_on != today:
        require(received_by, declaration.organisation, BRANCH_STAFF)
    if declaration.review_round_id is None:
        raise _err(_("该事项未在公示中，不能提出异议。"))
    with _locked_round(declaration.review_round) as (rr, _process):
        publicity = rr.current_publicity()
        if publicity is None or not publicity.is_open_on(received_on):
            raise _err(_("“%(round)s”在 %(d)s 不在公示期内，不能提出异议。"), round=rr, d=received_on)
        if not publicity.declarations.filter(pk=declaration.pk).exists():
            raise _err(_("“%(d)s”不在本次公示的事项中。"), d=declaration)
        objection = Objection.objects.create(
            declaration=declaration,
            publicity=publicity,
            objector_name=objector_name,
            objector_contact=objector_contact,
            reason=reason,
            received_on=received_on,
            due_on=add_working_days(received_on, 7),
            received_by=received_by if getattr(received_by, "is_authenticated", False) else None,
        )
        audit.record("objection_lodged", objection, actor=objection.received_by, actor_label=objector_name if objection.received_by is None else "",
                     review_round=rr, declaration=declaration,
                     after={"received_on": received_on, "due_on": objection.due_on, "reason": reason})
        process = flows.ObjectionFlow.start.run(objection=objection)
        docs.request_document(
            docs.DOC_OBJECTION_RECEIPT,
            organisation=rr.organisation,
            context=objection_receipt.build_context(objection),
            triggered_by=objection.received_by,
            process=process,
            subject_key=f"objection:{objection.pk}:receipt",
        )
        return objection


def answer_objection(objection, by, outcome, reason, *, corrected_points=None, answered_on=None):
    """The branch answers: upheld (with the corrected points) or dismissed, each with a reason."""
    rr = objection.declaration.review_round
    require(by, rr.organisation, BRANCH_STAFF)
    reason = (reason or "").strip()
    if not reason:
        raise _err(_("答复须说明调查核实情况和理由。"))
    answered_on = answered_on or local_today()
    if answered_on > local_today():
        raise _err(_("答复日期 %(d)s 在今天之后。"), d=answered_on)
    if answered_on < objection.received_on:
        raise _err(_("答复日期 %(d)s 早于受理日期 %(r)s。"), d=answered_on, r=objection.received_on)
    if outcome == ObjectionOutcome.UPHELD:
        if corrected_points is None:
            raise _err(_("异议成立须填写更正后的分值。"))
        corrected_points = _points(corrected_points, _("更正后的分值"))
        if corrected_points == effective_points(objection.declaration):
            raise _err(_("更正后的分值与现有分值相同；若无需更正，请选择“异议不成立”。"))
    elif outcome == ObjectionOutcome.DISMISSED:
        if corrected_points is not None:
            raise _err(_("异议不成立时不能填写更正分值。"))
    else:
        raise _err(_("处理结果“%(o)s”无效，应为异议成立或异议不成立。"), o=outcome)
    flow_class = flows.ObjectionFlow
    with _locked_objection(objection) as (obj, process):
        if obj.answered_on is not None:
            raise StepConflict(_("该异议已于 %(d)s 答复。") % {"d": obj.answered_on})
        before = audit.snapshot(obj, OBJECTION_FIELDS)
        obj.outcome = outcome
        obj.answer_reason = reason
        obj.corrected_points = corrected_points
        obj.answered_on = answered_on
        obj.answered_by = by
        obj.save()
        audit.record("objection_answered", obj, actor=by, review_round=rr, declaration=obj.declaration,
                     before=before, after=audit.snapshot(obj, OBJECTION_FIELDS))
        task = complete_human_task(process, flow_class.answer, by, _("该异议已由他人答复。"))
        old_points = effective_points_before(obj)
        docs.request_document(
            docs.DOC_OBJECTION_ANSWER,
            organisation=rr.organisation,
            context=objection_answer.build_context(obj, previous_points=old_points),
            triggered_by=by, process=process, task=task, subject_key=f"objection:{obj.pk}:answer",
        )
        docs.request_document(
            docs.DOC_EXPLANATION,
            organisation=rr.organisation,
            context=explanation.build_context(obj, previous_points=old_points),
            triggered_by=by, process=process, task=task, subject_key=f"objection:{obj.pk}:explanation",
        )
        return obj


def effective_points_before(objection):
    """Points of the declaration before ``objection`` corrected them."""
    earlier = objection.declaration.objections.filter(outcome=ObjectionOutcome.UPHELD).exclude(pk=objection.pk)
    earlier = earlier.filter(answered_on__lte=objection.answered_on).order_by("-answered_on", "-pk").first()
    if earlier is not None:
        return earlier.corrected_points
    d = objection.declaration
    return d.decided_points if d.decided_points is not None else d.points


def file_explanation(objection, by):
    """The higher committee files the branch's written explanation (情况说明备案)."""
    rr = objection.declaration.review_round
    if not can_review(by, rr.organisation):
        raise PermissionDenied(_("只有上级党组织的审查人可以将情况说明存档备案。"))
    with _locked_objection(objection) as (obj, process):
        if obj.answered_on is None:
            raise _err(_("支部尚未答复该异议，没有可备案的情况说明。"))
        if obj.explanation_filed_on is not None:
            raise StepConflict(_("情况说明已于 %(d)s 备案。") % {"d": obj.explanation_filed_on})
        before = audit.snapshot(obj, OBJECTION_FIELDS)
        obj.explanation_filed_on = local_today()
        obj.explanation_filed_by = by
        obj.save(update_fields=["explanation_filed_on", "explanation_filed_by"])
        audit.record("explanation_filed", obj, actor=by, review_round=rr, declaration=obj.declaration,
                     before=before, after=audit.snapshot(obj, OBJECTION_FIELDS))
        complete_human_task(process, flows.ObjectionFlow.file_explanation, by, _("情况说明已由他人备案。"))
        return obj


def flow_mark_overdue(process, task):
    """Node ``escalate``: the answer deadline passed unanswered; the higher committee is tasked."""
    obj = process.objection
    obj.escalated_at = timezone.now()
    obj.save(update_fields=["escalated_at"])
    audit.record("objection_overdue", obj, review_round=obj.declaration.review_round, declaration=obj.declaration,
                 after={"due_on": obj.due_on, "escalated_at": obj.escalated_at})


def supervise_overdue(objection, by, note):
    """The higher committee records its supervision (督办) of an overdue answer."""
    rr = objection.declaration.review_round
    if not can_review(by, rr.organisation):
        raise PermissionDenied(_("只有上级党组织的审查人可以督办逾期异议。"))
    note = (note or "").strip()
    if not note:
        raise _err(_("请填写督办意见。"))
    with _locked_objection(objection) as (obj, process):
        audit.record("overdue_supervised", obj, actor=by, review_round=rr, declaration=obj.declaration,
                     after={"note": note})
        complete_human_task(process, flows.ObjectionFlow.supervise_overdue, by, _("该逾期异议已由他人督办。"))
        return obj


# -- reading --------------------------------------------------------------------------------


def declaration_history(declaration):
    """Every audit entry of a declaration and of the objections to it, oldest first."""
    from .models import AuditEntry

    return AuditEntry.objects.filter(declaration=declaration).order_by("at", "pk")


def overdue_objections(today=None):
    today = today or local_today()
    return Objection.objects.filter(answered_on__isnull=True, due_on__lt=today)
