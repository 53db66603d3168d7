"""Review rounds: the secretary opens one per branch and period, and it collects the declarations."""
import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from organisations.permissions import BRANCH_STAFF, require
from scoring_engine.review import period_containing

from .. import audit, flows
from .. import integration as docs
from ..audit import AuditAction
from ..errors import NON_FIELD_ERRORS, error
from ..errors import ReviewErrorCode as Code
from ..models import (
    MIN_PUBLICITY_DAYS,
    PERIOD_MONTHS,
    Declaration,
    DeclarationStatus,
    PeriodKind,
    ReviewRound,
    local_today,
)
from .common import DAYS_AHEAD, ROUND_FIELDS, ROUND_OWNERS, earliest_day, locked_round


def period_for(day, period_kind, cycle_start=None):
    """``(first day, last day)`` of the period of ``period_kind`` (``PeriodKind``) holding ``day``.

    Periods are counted from ``cycle_start`` (default 1 January of ``day``'s year): a cycle from
    七一 has July–September as its first quarter and July–December as its first half-year.
    """
    cycle_start = cycle_start or datetime.date(day.year, 1, 1)
    return period_containing(cycle_start, PERIOD_MONTHS[period_kind], day)


def open_round(*, organisation, by, period_start=None, period_end=None, period_kind=None, cycle_start=None,
               publicity_days=None, requires_guide_signatory=None):
    """The secretary opens a review round for the branch and period; it collects the declarations.

    A round covers one *publicity* period of the scheme in force (``[review]``
    ``publicity_cadence``: a month, quarter, half-year or year), counted from the scheme's cycle
    start; the branch meets once per *review* period inside it (``cadence``; see
    ``reviews.integration.review_periods``), and the period's approved declarations are published
    together. Period, cycle start, publicity days (natural or working) and the 党建指导员 rule
    default to the scheme in force on ``period_start`` (today); without one, the calendar quarter
    holding today, 7 natural days. A ``period_start`` without ``period_end`` names the scheme's
    period holding that day (the round starts on the period's first day). Returns the ``ReviewRound`` with its ``ReviewRoundFlow``
    process started and the pending declarations attached.

    Raises:
        PermissionDenied: ``by`` is not the branch secretary.
        ValidationError: ``no_higher_organisation`` (organisation), ``period_kind_invalid``
            (period_kind), ``period_end_before_start`` (period_end), ``publicity_too_short``
            (publicity_days), ``cycle_start_after_period`` (cycle_start), ``round_overlaps``
            (period_start).
    """
    require(by, organisation, ROUND_OWNERS)
    if organisation.parent_id is None:
        raise error("organisation", Code.NO_HIGHER_ORGANISATION,
                    _("“%(org)s”没有上级党组织，无法报上级审查备案，不能发起审核批次。"), org=organisation)
    scheme = docs.scheme_settings(organisation, period_start or local_today())
    if period_kind is not None and period_kind not in PeriodKind.values:
        raise error("period_kind", Code.PERIOD_KIND_INVALID, _("审核周期“%(kind)s”无效，应为月度、季度、半年或年度。"),
                    kind=period_kind)
    if period_kind is not None and period_kind != scheme["period_kind"]:
        scheme = {**scheme, "period_kind": period_kind}
    period_kind = scheme["period_kind"]
    if period_start is None:
        period_start, default_end = docs.round_period(scheme, local_today())
        period_end = period_end or default_end
    elif period_end is None:
        # "审核期起始日" names the period: the scheme's period holding it, from its first day.
        period_start, period_end = docs.round_period(scheme, period_start)
    today = local_today()
    if period_start > today + datetime.timedelta(days=DAYS_AHEAD):
        raise error("period_start", Code.PERIOD_START_TOO_LATE,
                    _("审核期起始日 %(start)s 太远：最迟只能是 %(last)s（今天之后一个月内）。"),
                    start=period_start, last=today + datetime.timedelta(days=DAYS_AHEAD))
    if period_start < earliest_day(today):
        raise error("period_start", Code.PERIOD_START_TOO_EARLY, _("审核期起始日 %(start)s 早于 %(first)s，已超出可审核的范围。"),
                    start=period_start, first=earliest_day(today))
    if period_end < period_start:
        raise error("period_end", Code.PERIOD_END_BEFORE_START, _("截止日期 %(end)s 早于起始日期 %(start)s。"),
                    end=period_end, start=period_start)
    publicity_days = scheme["publicity_days"] if publicity_days is None else publicity_days
    if int(publicity_days) < MIN_PUBLICITY_DAYS:
        raise error("publicity_days", Code.PUBLICITY_TOO_SHORT, _("公示期为 %(days)s 天，少于规定的 %(min)s 天。"),
                    days=publicity_days, min=MIN_PUBLICITY_DAYS)
    if requires_guide_signatory is None:
        requires_guide_signatory = bool(scheme["rural"])
    cycle_start = cycle_start or scheme["cycle_start"]
    if cycle_start > period_start:
        raise error("cycle_start", Code.CYCLE_START_AFTER_PERIOD,
                    _("考核周期起始日 %(cycle)s 晚于审核期起始日 %(start)s。"), cycle=cycle_start, start=period_start)
    overlapping = ReviewRound.objects.filter(
        organisation=organisation, period_start__lte=period_end, period_end__gte=period_start
    ).first()
    if overlapping is not None:
        raise error("period_start", Code.ROUND_OVERLAPS, _("“%(org)s”已有与该期间重叠的审核批次：%(round)s。"),
                    org=organisation, round=overlapping)

    with transaction.atomic():
        review_round = ReviewRound.objects.create(
            organisation=organisation,
            period_kind=period_kind,
            period_start=period_start,
            period_end=period_end,
            cycle_start=cycle_start,
            publicity_days=int(publicity_days),
            publicity_working_days=scheme["publicity_working_days"],
            requires_guide_signatory=requires_guide_signatory,
            opened_by=by,
        )
        audit.record(AuditAction.ROUND_OPENED, review_round, actor=by, after=audit.snapshot(review_round, ROUND_FIELDS))
        flows.ReviewRoundFlow.start.run(review_round=review_round)
        _collect(review_round, by)
    return review_round


def pending_declarations(review_round):
    """The branch's submitted declarations in no round that ``review_round`` would take up: from its
    cycle's start to its period's end (late ones included). A queryset."""
    return Declaration.objects.filter(
        organisation=review_round.organisation,
        status=DeclarationStatus.SUBMITTED,
        review_round__isnull=True,
        occurred_on__gte=review_round.cycle_start,
        occurred_on__lte=review_round.period_end,
    )


def _collect(review_round, by):
    """Attach the period's submitted, unattached declarations of the branch (late ones included).

    A constant number of queries for any number of declarations: the rows locked and read (with
    their members, which the audit entries name), one UPDATE, one audit insert.
    """
    collected = list(pending_declarations(review_round).select_for_update(of=("self",)).select_related("member"))
    if not collected:
        return collected
    Declaration.objects.filter(pk__in=[d.pk for d in collected]).update(review_round=review_round)
    for declaration in collected:
        declaration.review_round = review_round
    audit.record_many([audit.entry(AuditAction.DECLARATION_COLLECTED, declaration, actor=by,
                                   after={"review_round": review_round.pk}) for declaration in collected])
    return collected


def collect_declarations(review_round, by):
    """Pick up the branch's declarations for the round's period that are in no round
    (:func:`pending_declarations`); returns the list attached. A declaration made while the round
    is at its branch meeting joins it by itself (``declarations.create_declaration``).

    Raises:
        PermissionDenied: ``by`` is not branch staff.
        ValidationError: ``round_already_submitted`` (the round has left its branch meeting).
    """
    require(by, review_round.organisation, BRANCH_STAFF)
    with locked_round(review_round) as (rr, _process):
        if not rr.is_at_branch_meeting:
            raise error(NON_FIELD_ERRORS, Code.ROUND_ALREADY_SUBMITTED,
                        _("审核批次“%(round)s”已报上级，不能再收集申报。"), round=rr)
        return _collect(rr, by)
