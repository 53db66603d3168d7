"""The papers of an objection to a year-end result: 异议受理回执, 异议处理反馈 and 情况说明.

The same kinds (and templates) as for an objection to a quarterly score
(:mod:`~documents.kinds.objection_receipt`, :mod:`~documents.kinds.objection_answer`,
:mod:`~documents.kinds.explanation`); only what is disputed differs: the member's result of the
evaluation the objection is about (``objection.subject``, an ``appraisals.Evaluation``), named
by its year, total and grade as they were publicised, instead of a declaration of a round.
"""
from django.utils.translation import gettext as _

from workdays.calendar import is_provisional_span

from .base import acting_person, cn_day, in_chinese, plain_points, year_label
from .objection_receipt import due_note, handler_name, named, receipt_number
from .result_notice import approver
from .terms import terms_for
from .year_end_publicity import result_text


def _record(objection):
    """``(evaluation, the member's result or None, terms)`` of a year-end result objection."""
    evaluation = objection.subject
    result = evaluation.results.filter(member=objection.member).first()
    terms = terms_for(evaluation.organisation, [objection.member], period_kind="year")
    return evaluation, result, terms


def disputed_text(objection):
    """``2026年度评定结果公示的曹志强同志的评定结果（总分86.5分，合格）``."""
    evaluation, result, terms = _record(objection)
    shown = _("总分%(total)s分，%(result)s") % {"total": plain_points(result.total), "result": result_text(result)} \
        if result is not None else "—"
    return _("%(year)s年度评定结果公示的%(member)s的评定结果（%(shown)s）") % {
        "year": year_label(evaluation), "member": named(objection.member, terms), "shown": shown}


def outcome_text(objection):
    """The answer's result: upheld (the branch evaluates again) or dismissed (the result stands)."""
    evaluation, result, terms = _record(objection)
    higher = approver(evaluation)
    if objection.outcome == "upheld":  # reviews.models.ObjectionOutcome.UPHELD
        return _("异议成立。%(member)s的%(year)s年度评定结果由%(body)s重新评定更正，报%(higher)s审批后重新公示。") % {
            "member": named(objection.member, terms), "year": year_label(evaluation), "body": terms["body"],
            "higher": higher.name if higher else terms["higher"]}
    return _("异议不成立，维持%(member)s的%(year)s年度评定结果（%(result)s）。") % {
        "member": named(objection.member, terms), "year": year_label(evaluation),
        "result": result_text(result) if result is not None else "—"}


@in_chinese
def receipt_context(objection):
    """The :mod:`~documents.kinds.objection_receipt` context of a year-end result objection, as lodged."""
    evaluation, _result, terms = _record(objection)
    return {
        "issue_date": objection.received_on.isoformat(),
        "terms": terms,
        "objector_name": objection.objector_name,
        "received_date": objection.received_on.isoformat(),
        "subject_name": objection.member.name,
        "disputed": disputed_text(objection),
        "reason": objection.reason,
        "handler": handler_name(objection, evaluation.organisation),
        "answer_due_date": objection.due_on.isoformat(),
        "receipt_no": receipt_number(objection),
        "due_note": due_note(objection),
    }


@in_chinese
def answer_context(objection):
    """The :mod:`~documents.kinds.objection_answer` context of an answered year-end result objection."""
    _evaluation, _result, terms = _record(objection)
    return {
        "issue_date": objection.answered_on.isoformat(),
        "terms": terms,
        "objector_name": objection.objector_name,
        "received_date": objection.received_on.isoformat(),
        "disputed": disputed_text(objection),
        "reason": objection.reason,
        "findings": objection.answer_reason,
        "result": outcome_text(objection),
    }


@in_chinese
def explanation_context(objection):
    """The :mod:`~documents.kinds.explanation` context of an answered year-end result objection,
    addressed to the committee that approved the results."""
    evaluation, _result, terms = _record(objection)
    higher = approver(evaluation)
    start = evaluation.publicity_start
    window = _("%(start)s至%(end)s公示期间，") % {"start": cn_day(start), "end": cn_day(evaluation.publicity_last_day)} \
        if start is not None and evaluation.publicity_last_day is not None else ""
    return {
        "issue_date": objection.answered_on.isoformat(),
        "terms": terms,
        "higher_org_name": higher.name if higher else "",
        "period": _("%(year)s年度") % {"year": year_label(evaluation)},
        "background": _("%(window)s%(we)s于%(d)s收到%(name)s对%(disputed)s的异议：%(reason)s") % {
            "window": window, "we": terms["we"], "d": cn_day(objection.received_on), "name": objection.objector_name,
            "disputed": disputed_text(objection), "reason": objection.reason},
        "handling": _("%(body)s调查核实后，于%(d)s书面答复异议人（答复期限%(due)s）。") % {
            "body": terms["body"], "d": cn_day(objection.answered_on),
            "due": cn_day(objection.due_on) + (_("，暂按法定节假日推算") if is_provisional_span(
                objection.received_on, objection.due_on) else "")},
        "outcome": outcome_text(objection),
        "signer": acting_person(evaluation.organisation, objection.answered_by)[1],
    }
