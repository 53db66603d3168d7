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
  (:func:`resolve_rule_item`, :func:`signed_points`) and how often rounds run and results are
  published (:func:`review_settings`, the scheme's ``[review]`` section). Without a scheme in
  force, the declaration's own values and the provincial defaults are used.
"""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

import scoring_engine
from documents import services as documents_services
from ledger import services as ledger_services
from schemes.models import SchemeVersion
from scoring_engine.review import DEFAULT_REVIEW

from .errors import ReviewErrorCode as Code
from .errors import error
from .models import PeriodKind

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


def post_correction(entry, new_points, reason, by, source_ref=""):
    return ledger_services.post_correction(entry, new_points, reason, by, source="objection", source_ref=source_ref)


def lock_scheme(scheme):
    """Freeze a scheme whose cycle now has scores: later edits make a new version (``Scheme.lock``)."""
    scheme.lock()


#: ``ReviewRound.period_kind`` for each review cadence a round can have.
PERIOD_KIND_OF_CADENCE = {"monthly": PeriodKind.MONTH, "quarterly": PeriodKind.QUARTER}

#: The scheme's cadences as the user reads them.
CADENCE_LABELS = {
    "monthly": _lazy("每月"),
    "quarterly": _lazy("每季度"),
    "half-yearly": _lazy("每半年"),
    "yearly": _lazy("每年"),
}

#: code -> (message, the message's params from the engine error's params). Codes: scoring_engine.errors,
#: listed with the review chain's own in ``reviews.errors.ReviewErrorCode``.
_DECLARATION_MESSAGES = {
    "unknown_component": (
        _lazy("积分项目“%(c)s”不在方案“%(s)s”中，可选：%(names)s。"),
        lambda p: {"c": p["component"], "s": p["scheme"], "names": p["choices"]},
    ),
    "unknown_item": (
        _lazy("条目“%(i)s”不是“%(c)s”的细则条目。"),
        lambda p: {"i": p["item"], "c": p["component_label"]},
    ),
    "invalid_quantity": (
        _lazy("数量应为不小于 1 的整数，收到“%(q)s”。"),
        lambda p: {"q": p["quantity"]},
    ),
    "item_count_exceeded": (
        _lazy("条目“%(l)s”最多计 %(n)s 次，申报数量为 %(q)s。"),
        lambda p: {"l": p["item_label"], "n": p["max_count"], "q": p["quantity"]},
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


def signed_points(scheme_version, component, points):
    """``points`` (Decimal) as they move a member's total under ``component``.

    The scheme answers (:meth:`scoring_engine.Scheme.signed_points`: a 倒扣 component deducts
    ``|points|``, a component weighted below 0 counts them negatively). Without a scheme
    version, or with one that no longer reads, the component named ``deduction`` counts
    negatively; a component the scheme does not have counts as written.
    """
    if scheme_version is not None:
        try:
            return scheme_version.engine_scheme().signed_points(component, points)
        except scoring_engine.DeclarationError:
            return points
        except scoring_engine.SchemeError:
            pass
    return -points if component == "deduction" else points


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
    """``{"publicity_days": int, "period_kind": str, "rural": bool}`` for the scheme in force.

    Read from the scheme's ``[review]`` section (:func:`review_settings`): ``period_kind`` is
    the review cadence as ``PeriodKind`` (``month``/``quarter``), ``rural`` says the 党建指导员
    must attend and sign. A review cadence rounds cannot have (half-yearly, yearly) raises
    ValidationError ``{"period_kind": ...}`` with code ``review_cadence_unsupported``.
    """
    review = review_settings(organisation, on_date)
    period_kind = PERIOD_KIND_OF_CADENCE.get(review.cadence)
    if period_kind is None:
        raise error("period_kind", Code.REVIEW_CADENCE_UNSUPPORTED,
                    _("积分方案规定%(cadence)s审核一次，审核批次只能按月或按季度发起。"),
                    cadence=CADENCE_LABELS[review.cadence])
    return {"publicity_days": review.publicity_days, "period_kind": str(period_kind), "rural": review.rural}


def describe_points(value):
    """Points shown in documents: ``+2``, ``-1.5``, ``0``."""
    value = value.normalize() if value is not None else None
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"+{text}" if value > 0 else text


__all__ = [
    "request_document",
    "post_entry",
    "post_correction",
    "lock_scheme",
    "declaration_error",
    "review_settings",
    "scheme_settings",
    "signed_points",
    "resolve_rule_item",
    "describe_points",
]
