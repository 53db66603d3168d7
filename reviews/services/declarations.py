"""Declarations (申报) and their evidence: made by the member, a clerk, a grid worker or the public."""
import datetime

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from organisations.models import RoleKind
from organisations.permissions import ANY_ROLE, BRANCH_STAFF, can_act_on, require
from schemes.models import SchemeVersion

from .. import audit
from .. import evidence as evidence_files
from .. import integration as docs
from ..audit import AuditAction
from ..errors import NON_FIELD_ERRORS, error
from ..errors import ReviewErrorCode as Code
from ..models import (
    AuditEntry,
    Declaration,
    DeclarationStatus,
    Evidence,
    ReporterKind,
    ReviewRound,
    RoundStatus,
    local_today,
)
from .common import DECLARATION_FIELDS, earliest_day, locked_round
from .points import parse_points


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
            field = "reporter_name" if not reporter_name.strip() else "reporter_contact"
            raise error(field, Code.REPORTER_DETAILS_MISSING, _("群众反映须填写反映人姓名和联系方式。"))
    else:
        raise error("reporter_kind", Code.REPORTER_KIND_INVALID, _("申报方式“%(kind)s”无效。"), kind=reporter_kind)


def create_declaration(*, member, by, reporter_kind, component, rule_item, occurred_on, description, points=None,
                       place="", quantity=1, rule_item_label="", reporter_name="", reporter_contact="",
                       evidence=(), scheme_version=None):
    """申报: a member (self), a clerk, a grid worker or the public declares an event for ``member``.

    With a scheme in force for the member's organisation (or ``scheme_version`` given), the
    component and rule item are checked against it and a listed item's fixed points are
    filled in (× quantity); without one, the given points are taken as declared. ``points``
    is a Decimal-like (two places at most), ``evidence`` a list of uploaded files. Returns the
    ``Declaration``, attached to the branch's round for its date while that round is at its
    branch meeting (opened, or returned by the higher level), a meeting recorded or not.
    The declaration belongs to the organisation that reviews the member
    (``Organisation.reviewing_organisation``): the branch, or for a household in a 网格 the
    village above it, whose rounds audit every grid's households.

    Raises:
        PermissionDenied: ``by`` may not declare for ``member`` this way.
        ValidationError: with the field concerned — ``member_inactive`` (member),
            ``component_missing`` / ``unknown_component`` (component), ``rule_item_missing`` /
            ``unknown_item`` (rule_item), ``description_missing`` (description),
            ``invalid_quantity`` / ``item_count_exceeded`` / ``item_period_count_exceeded``
            (quantity), ``occurred_on_invalid`` /
            ``occurred_on_future`` (occurred_on), ``points_*`` (points), ``evidence_*`` (evidence),
            ``reporter_*`` (reporter_name, reporter_contact, reporter_kind).
    """
    _check_reporter(by, member, reporter_kind, reporter_name, reporter_contact)
    if not member.is_active:
        raise error("member", Code.MEMBER_INACTIVE, _("%(member)s 不在册，不能申报。"), member=member)
    if not component or not str(component).strip():
        raise error("component", Code.COMPONENT_MISSING, _("请填写积分项目。"))
    if not rule_item or not str(rule_item).strip():
        raise error("rule_item", Code.RULE_ITEM_MISSING, _("请选择积分细则条目。"))
    if not description or not description.strip():
        raise error("description", Code.DESCRIPTION_MISSING, _("请填写事由。"))
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        raise error("quantity", Code.INVALID_QUANTITY, _("数量“%(q)s”不是整数。"), q=quantity) from None
    if quantity < 1:
        raise error("quantity", Code.INVALID_QUANTITY, _("数量至少为1，收到 %(q)s。"), q=quantity)
    if not isinstance(occurred_on, datetime.date):
        raise error("occurred_on", Code.OCCURRED_ON_INVALID, _("发生日期无效。"))
    if occurred_on > local_today():
        raise error("occurred_on", Code.OCCURRED_ON_FUTURE, _("发生日期 %(d)s 在今天之后，不能申报尚未发生的事项。"),
                    d=occurred_on)
    if occurred_on < earliest_day(local_today()):
        raise error("occurred_on", Code.OCCURRED_ON_TOO_EARLY,
                    _("发生日期 %(d)s 早于 %(first)s，不能再申报（审核批次不会覆盖这一日期）。"),
                    d=occurred_on, first=earliest_day(local_today()))
    component, rule_item = str(component).strip(), str(rule_item).strip()
    if points is not None:
        points = parse_points(points, field="points", label=_("申报分值"))
    scheme_version = scheme_version or SchemeVersion.objects.in_force(member.organisation, occurred_on)
    if scheme_version is not None:
        points, label = docs.resolve_rule_item(scheme_version, component, rule_item, points, quantity)
        rule_item_label = rule_item_label or label
        docs.check_period_count(scheme_version, component, rule_item, occurred_on, quantity,
                                lambda first, last: _units_declared(member, component, rule_item, first, last))
    if points is None:
        raise error("points", Code.POINTS_REQUIRED, _("请填写申报分值。"))
    points = parse_points(points, field="points", label=_("申报分值"))

    reviewed_by = member.organisation.reviewing_organisation()
    with transaction.atomic():
        declaration = Declaration.objects.create(
            organisation=reviewed_by,
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
            AuditAction.DECLARATION_CREATED, declaration, actor=by if declaration.declared_by_id else None,
            actor_label="" if declaration.declared_by_id else reporter_name,
            after=audit.snapshot(declaration, ("status", "component", "rule_item", "points", "quantity", "occurred_on")),
        )
        for uploaded in evidence:
            _store_evidence(declaration, uploaded, by)
        # Row-locked: a round being reported upward meanwhile is either seen reported (not joined),
        # or waits for this declaration and finds it undecided (``meeting.submit_to_higher``).
        open_round_for = ReviewRound.objects.select_for_update().filter(
            organisation=reviewed_by,
            status__in=(RoundStatus.BRANCH_MEETING, RoundStatus.RETURNED),
            cycle_start__lte=occurred_on,
            period_end__gte=occurred_on,
        ).order_by("period_start").first()
        if open_round_for is not None:
            # Whether or not its meeting is recorded yet: the branch meeting screen lists it undecided,
            # and the round cannot be reported upward until it is decided (issue 14, trial 5).
            declaration.review_round = open_round_for
            declaration.save(update_fields=["review_round"])
            audit.record(AuditAction.DECLARATION_COLLECTED, declaration, actor=None,
                         after={"review_round": open_round_for.pk})
    return declaration


def _units_declared(member, component, rule_item, first, last):
    """Units of ``member``'s ``rule_item`` declared between two dates and still counting (not withdrawn or rejected)."""
    rows = Declaration.objects.filter(
        member=member, component=component, rule_item=rule_item, occurred_on__gte=first, occurred_on__lte=last,
    ).exclude(status__in=(DeclarationStatus.WITHDRAWN, DeclarationStatus.REJECTED))
    return rows.aggregate(units=Sum("quantity"))["units"] or 0


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
    audit.record(AuditAction.EVIDENCE_ADDED, item, actor=item.uploaded_by, declaration=declaration,
                 after={"sha256": digest, "content_type": content_type, "size": len(data)})
    return item


def add_evidence(declaration, uploaded, by):
    """Attach one evidence file (author or branch staff, while the declaration is undecided).

    Raises:
        PermissionDenied: ``by`` is neither the author nor branch staff.
        ValidationError: ``declaration_already_decided`` (whole step), ``evidence_*`` (evidence).
    """
    if not (declaration.declared_by_id == getattr(by, "pk", None) or can_act_on(by, declaration.organisation, BRANCH_STAFF)):
        raise PermissionDenied(_("只有申报人或支部工作人员可以补充佐证材料。"))
    if declaration.status != DeclarationStatus.SUBMITTED:
        raise error(NON_FIELD_ERRORS, Code.DECLARATION_ALREADY_DECIDED, _("申报已%(status)s，不能再补充佐证材料。"),
                    status=declaration.get_status_display())
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
    """The author withdraws a declaration, until the branch meeting takes it up: until its round
    leaves the branch meeting, or a meeting of the round's pass is recorded after it was made.

    Raises:
        PermissionDenied: ``by`` is not the author.
        ValidationError: ``declaration_already_decided`` or ``declaration_under_review`` (whole step).
    """
    declaration = Declaration.objects.select_related("review_round").get(pk=declaration.pk)
    if declaration.declared_by_id is None or declaration.declared_by_id != getattr(by, "pk", None):
        raise PermissionDenied(_("只有申报人本人可以撤回申报。"))

    def _withdraw(decl):
        if decl.status != DeclarationStatus.SUBMITTED:
            raise error(NON_FIELD_ERRORS, Code.DECLARATION_ALREADY_DECIDED, _("申报已%(status)s，不能撤回。"),
                        status=decl.get_status_display())
        rr = decl.review_round
        # Taken up: a meeting of this pass was recorded after it was made. One made after the meeting
        # joined the round undecided (create_declaration) and may still be withdrawn.
        taken_up = rr is not None and rr.meetings.filter(review_pass=rr.review_pass,
                                                         recorded_at__gte=decl.created_at).exists()
        if rr is not None and (not rr.is_at_branch_meeting or taken_up):
            raise error(NON_FIELD_ERRORS, Code.DECLARATION_UNDER_REVIEW, _("支部会议已开始审核该申报，不能撤回。"))
        before = audit.snapshot(decl, DECLARATION_FIELDS)
        decl.status = DeclarationStatus.WITHDRAWN
        decl.review_round = None
        decl.save(update_fields=["status", "review_round"])
        audit.record(AuditAction.DECLARATION_WITHDRAWN, decl, actor=by, review_round=rr, before=before,
                     after=audit.snapshot(decl, DECLARATION_FIELDS))
        return decl

    if declaration.review_round_id:
        with locked_round(declaration.review_round) as (_rr, _process):
            return _withdraw(Declaration.objects.select_for_update().get(pk=declaration.pk))
    with transaction.atomic():
        return _withdraw(Declaration.objects.select_for_update().get(pk=declaration.pk))


def declaration_history(declaration):
    """Every audit entry of a declaration and of the objections to it, oldest first."""
    return AuditEntry.objects.filter(declaration=declaration).order_by("at", "pk")
