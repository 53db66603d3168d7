"""Thin adapters to the neighbouring apps (documents, ledger, schemes).

The review chain calls these functions rather than the other apps directly, so the
contract it relies on is written down in one place:

* ``documents.services.request_document(kind, *, organisation, context, triggered_by,
  process, task, subject_key, member)`` queues a formal document for a step;
* ``ledger.services.post_entry(...)`` / ``post_correction(entry, new_points, reason, by,
  source=, source_ref=)`` write the append-only ledger;
* ``schemes.models.Scheme.lock()`` freezes a scheme once its cycle has scores;
* ``schemes.models.SchemeVersion.objects.in_force(organisation, day)`` is the scheme version
  in force; its parsed scheme (``scoring_engine``) answers what a declaration may say
  (:func:`resolve_rule_item`, :func:`signed_points`) and how often the branch reviews and
  publishes (:func:`review_settings`, :func:`scheme_settings`, :func:`round_period`,
  :func:`review_periods`: the scheme's ``[review]`` section and its cycle). Without a scheme in
  force, the declaration's own values and the provincial defaults are used.
"""
import datetime

from django.utils.translation import gettext_lazy as _lazy

import scoring_engine
from documents import services as documents_services
from ledger import anchors as ledger_anchors
from ledger import services as ledger_services
from schemes import signs as scheme_signs
from schemes.models import Scheme, SchemeVersion
from scoring_engine.review import DEFAULT_REVIEW, period_containing

from .errors import error
from .models import PERIOD_MONTHS, PeriodKind

#: The document each step leaves (keys of documents.kinds.KINDS).
DOC_MEETING_RECORD = "meeting_record"
DOC_FILING_REPORT = "filing_report"
DOC_PUBLICITY_NOTICE = "publicity_notice"
DOC_OBJECTION_RECEIPT = "objection_receipt"
DOC_OBJECTION_ANSWER = "objection_answer"
DOC_EXPLANATION = "explanation"
DOC_SUMMARY_TABLE = "summary_table"


def request_document(kind, *, organisation, context, triggered_by=None, process=None, task=None, subject_key=None,
                     member=None):
    """Queue the step's document; rendering happens after the transaction commits.

    ``member``: the member the document is addressed to (their own user may download it).
    None of the review chain's documents is: the objection receipt and answer go to the
    objector, who is not linked to a member record, and the rest to the branch or above.
    """
    return documents_services.request_document(
        kind,
        organisation=organisation,
        context=context,
        triggered_by=triggered_by,
        process=process,
        task=task,
        subject_key=subject_key,
        member=member,
    )


def post_entry(**kwargs):
    return ledger_services.post_entry(**kwargs)


NewEntry = ledger_services.NewEntry


def anchor_ledger(organisation, reason):
    """Store and return the head of ``organisation``'s ledger chain (``ledger.anchors``) to print on a report."""
    return ledger_anchors.record_anchor(organisation, reason)


def post_batch(organisation, new_entries):
    return ledger_services.post_batch(organisation, new_entries)


def post_correction(entry, new_points, reason, by, source_ref=""):
    return ledger_services.post_correction(entry, new_points, reason, by, source="objection", source_ref=source_ref)


def lock_scheme(scheme):
    """Freeze a scheme whose cycle now has scores: later edits make a new version (``Scheme.lock``)."""
    scheme.lock()


#: ``ReviewRound.period_kind`` for each cadence of the scheme (a round covers one publicity period).
PERIOD_KIND_OF_CADENCE = {
    "monthly": PeriodKind.MONTH,
    "quarterly": PeriodKind.QUARTER,
    "half-yearly": PeriodKind.HALF_YEAR,
    "yearly": PeriodKind.YEAR,
}

#: code -> (message, the message's params from the engine error's params). Codes: scoring_engine.errors,
#: listed with the review chain's own in ``reviews.errors.ReviewErrorCode``.
_DECLARATION_MESSAGES = {
    "unknown_component": (
        _lazy("积分项目“%(c)s”不在方案“%(s)s”中，可选：%(names)s。"),
        lambda p: {"c": p["component"], "s": p["scheme"], "names": p["choices"]},
    ),
    "unknown_item": (
        _lazy("条目“%(i)s”不是“%(c)s”的细则条目，可选：%(choices)s。"),
        lambda p: {"i": p["item"], "c": p["component_label"], "choices": p["choices"]},
    ),
    "invalid_quantity": (
        _lazy("数量应为不小于 1 的整数，收到“%(q)s”。"),
        lambda p: {"q": p["quantity"]},
    ),
    "item_count_exceeded": (
        _lazy("条目“%(l)s”最多计 %(n)s 次，申报数量为 %(q)s。"),
        lambda p: {"l": p["item_label"], "n": p["max_count"], "q": p["quantity"]},
    ),
    "item_period_count_exceeded": (
        _lazy("条目“%(l)s”%(period)s最多计 %(n)s 次，本期已申报 %(a)s 次。"),
        lambda p: {"l": p["item_label"], "period": p["period"], "n": p["max_count"], "a": p["already"]},
    ),
    "points_fixed_by_item": (
        _lazy("条目“%(l)s”的分值按细则固定为 %(p)s 分（数量 %(q)s），不能改为 %(given)s。"),
        lambda p: {"l": p["item_label"], "p": p["fixed"], "q": p["quantity"], "given": p["given"]},
    ),
    "points_required": (
        _lazy("条目“%(l)s”没有固定分值，请填写申报分值。"),
        lambda p: {"l": p["item_label"]},
    ),
    "points_out_of_range": (
        _lazy("条目“%(l)s”的分值应在 %(min)s 至 %(max)s 分之间（数量 %(q)s），不能为 %(given)s。"),
        lambda p: {"l": p["item_label"], "min": p["minimum"], "max": p["maximum"], "q": p["quantity"],
                   "given": p["given"]},
    ),
    "points_must_be_positive": (
        _lazy("“%(c)s”只接受正数分值（扣分也填正数）。"),
        lambda p: {"c": p["component_label"]},
    ),
    "points_must_be_negative": (
        _lazy("“%(c)s”只接受负数分值。"),
        lambda p: {"c": p["component_label"]},
    ),
}


def declaration_error(refused):
    """A :class:`scoring_engine.DeclarationError` as ``ValidationError({field: ValidationError(msg, code, params)})``.

    The field is the declaration's (``component``, ``rule_item``, ``quantity``, ``points``),
    the code the engine's (``scoring_engine.errors.DECLARATION_CODES``), the message translated.
    """
    message, params = _DECLARATION_MESSAGES[refused.code]
    return error(refused.path, refused.code, message, **params(refused.params))


def resolve_rule_item(scheme_version, component, rule_item, points, quantity):
    """Check a declaration against ``scheme_version``: returns ``(points, rule_item_label)``.

    The scheme answers (:meth:`scoring_engine.Scheme.item_rule`): a listed item with fixed
    points fills them in (× quantity, Decimal to the cent) and refuses another value; a ranged
    item takes points within its range × quantity; an item without either, or a component
    without a list (label ""), needs the points given, with the sign the component accepts.
    Raises ValidationError keyed by field with the engine's code (:func:`declaration_error`).
    """
    try:
        rule = scheme_version.engine_scheme().item_rule(component, rule_item)
        return rule.resolve(points, quantity), (rule.item.label if rule.item is not None else "")
    except scoring_engine.DeclarationError as refused:
        raise declaration_error(refused) from None


def check_period_count(scheme_version, component, rule_item, occurred_on, quantity, already):
    """Refuse a declaration past its item's count for the period (钟祥 “当年积10分”, “当月积5分”).

    ``already(first, last)`` returns the units of the same member's item already declared
    (and not withdrawn or rejected) between two dates; it is asked only for an item with a
    ``max_count``. Periods are the scheme's cycle, its quarters or its months. Raises
    ValidationError ``{"quantity": ...}`` with code ``item_period_count_exceeded``.
    """
    try:
        rule = scheme_version.engine_scheme().item_rule(component, rule_item)
        if rule.max_count is None:
            return
        scheme = scheme_version.scheme
        first, last = rule.count_period(scheme.cycle_start, scheme.cycle_end, occurred_on)
        rule.check_period_count(already(first, last), quantity)
    except scoring_engine.DeclarationError as refused:
        raise declaration_error(refused) from None


def signed_points(scheme_version, component, points):
    """``points`` (Decimal) as they move a member's total under ``component``.

    The scheme answers (:meth:`scoring_engine.Scheme.signed_points`: a 倒扣 component deducts
    ``|points|``, a component weighted below 0 counts them negatively). Without a scheme
    version, or with one that no longer reads, the component named ``deduction`` counts
    negatively; a component the scheme does not have counts as written.
    """
    return scheme_signs.signed_points(scheme_version, component, points)


#: Without a scheme version, the components the review chain knows by name (the demo
#: county's and the provincial default's), as a document prints them.
DEFAULT_COMPONENT_LABELS = {"base": _lazy("基础积分"), "bonus": _lazy("加分"), "deduction": _lazy("扣分")}


def review_settings(organisation, on_date):
    """The ``[review]`` section of the scheme version in force (``scoring_engine.ReviewSettings``).

    ``SchemeVersion.objects.in_force(organisation, on_date)``; without one, the provincial
    defaults (quarterly review and publicity, 7 days, no 党建指导员).
    """
    version = SchemeVersion.objects.in_force(organisation, on_date)
    return version.engine_scheme().review if version is not None else DEFAULT_REVIEW


def scheme_settings(organisation, on_date):
    """How the branch's rounds run under the scheme in force on ``on_date`` (a date).

    Returns ``{"publicity_days": int, "publicity_working_days": bool, "period_kind": str,
    "rural": bool, "cycle_start": date, "cycle_end": date or None, "review": ReviewSettings}``:
    ``period_kind`` is the scheme's *publicity* cadence as ``PeriodKind`` (a round covers one
    publicity period; the branch meets once per review period inside it), the cycle is the
    scheme's own (a cycle from 七一 counts its quarters from 1 July). Without a scheme in
    force: quarterly, 7 natural days, the calendar year of ``on_date``.
    """
    scheme = Scheme.objects.in_force(organisation, on_date)
    version = scheme.current_version() if scheme is not None else None
    review = version.engine_scheme().review if version is not None else DEFAULT_REVIEW
    return {
        "publicity_days": review.publicity_days,
        "publicity_working_days": review.working_days,
        "period_kind": str(PERIOD_KIND_OF_CADENCE[review.publicity_cadence]),
        "rural": review.rural,
        "cycle_start": scheme.cycle_start if scheme is not None else datetime.date(on_date.year, 1, 1),
        "cycle_end": scheme.cycle_end if scheme is not None else None,
        "review": review,
    }


def round_period(settings, day):
    """``(first day, last day)`` of the round period holding ``day`` under ``settings`` (:func:`scheme_settings`).

    Periods of the round's kind are counted from the scheme's cycle start and end with the cycle.
    """
    months = PERIOD_MONTHS[settings["period_kind"]]
    first, last = period_containing(settings["cycle_start"], months, day)
    if settings["cycle_end"] is not None and first <= settings["cycle_end"] < last:
        last = settings["cycle_end"]
    return first, last


def review_periods(review_round):
    """``[(first day, last day), ...]``: the review periods (one branch meeting each) inside ``review_round``.

    Read from the scheme in force at the round's start (its review cadence, counted from the
    cycle's start); one period — the round's own — without a scheme.
    """
    settings = scheme_settings(review_round.organisation, review_round.period_start)
    months = settings["review"].months
    found = []
    day = review_round.period_start
    while day <= review_round.period_end:
        first, last = period_containing(settings["cycle_start"], months, day)
        found.append((max(first, review_round.period_start), min(last, review_round.period_end)))
        day = last + datetime.timedelta(days=1)
    return found


__all__ = [
    "request_document",
    "post_entry",
    "post_correction",
    "post_batch",
    "anchor_ledger",
    "NewEntry",
    "lock_scheme",
    "declaration_error",
    "review_settings",
    "scheme_settings",
    "round_period",
    "review_periods",
    "signed_points",
    "resolve_rule_item",
    "check_period_count",
]
