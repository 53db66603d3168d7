"""Thin adapters to the neighbouring apps (documents, ledger, schemes).

The review chain calls these functions rather than the other apps directly, so the
contract it relies on is written down in one place:

* ``documents.services.request_document(kind, *, organisation, context, triggered_by,
  process, task, subject_key, member)`` queues a formal document for a step;
* ``ledger.services.post_entry(...)`` / ``post_correction(entry, new_points, reason, by,
  source=, source_ref=)`` write the append-only ledger;
* ``schemes.models.Scheme.lock()`` freezes a scheme once its cycle has scores;
* the schemes app, when it can, supplies a rule item's points and a scheme's publicity days
  and period; until it does, the declaration's own values are used.
"""
from decimal import Decimal

from django.utils.translation import gettext as _

from documents import services as documents_services
from ledger import services as ledger_services
from schemes.models import Scheme

from .errors import ReviewErrorCode as Code
from .errors import error

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


def scheme_version_for(organisation, on_date):
    """The current version of the scheme in force for ``organisation`` (or its nearest ancestor) on ``on_date``."""
    chain = [organisation, *reversed(organisation.ancestors())]
    for org in chain:
        scheme = (
            Scheme.objects.filter(organisation=org, cycle_start__lte=on_date, cycle_end__gte=on_date)
            .order_by("-cycle_start", "pk")
            .first()
        )
        if scheme is not None:
            return scheme.current_version()
    return None


def resolve_rule_item(scheme_version, component, rule_item, points, quantity):
    """Check a declaration against the scheme: returns ``(points, rule_item_label)``.

    A listed item with fixed points fills the points in (× quantity) and refuses another
    value; an item without fixed points, or a component without a list, needs the points
    given, with the sign the component accepts.

    Raises:
        ValidationError: ``component_not_in_scheme`` (component), ``rule_item_not_in_component``
            (rule_item), ``quantity_over_item_limit`` (quantity), ``points_fixed_by_item`` /
            ``points_missing`` / ``points_wrong_sign`` (points).
    """
    scheme = scheme_version.engine_scheme()
    by_name = {c.name: c for c in scheme.components}
    comp = by_name.get(component)
    if comp is None or not comp.accepts_events:
        names = "、".join(f"{c.label}（{c.name}）" for c in scheme.components if c.accepts_events)
        raise error("component", Code.COMPONENT_NOT_IN_SCHEME, _("积分项目“%(c)s”不在方案“%(s)s”中，可选：%(names)s。"),
                    c=component, s=scheme.name, names=names)
    label = ""
    fixed = None
    if comp.items:
        item = comp.items.get(rule_item)
        if item is None:
            raise error("rule_item", Code.RULE_ITEM_NOT_IN_COMPONENT, _("条目“%(i)s”不是“%(c)s”的细则条目。"),
                        i=rule_item, c=comp.label)
        label = item.label
        if item.max_count is not None and quantity > item.max_count:
            raise error("quantity", Code.QUANTITY_OVER_ITEM_LIMIT, _("条目“%(l)s”最多计 %(n)s 次，申报数量为 %(q)s。"),
                        l=item.label, n=item.max_count, q=quantity)
        if item.points is not None:
            fixed = (item.points * quantity).quantize(Decimal("0.01"))
    if fixed is not None:
        if points is not None and Decimal(str(points)) != fixed:
            raise error("points", Code.POINTS_FIXED_BY_ITEM,
                        _("条目“%(l)s”的分值按细则固定为 %(p)s 分（数量 %(q)s），不能改为 %(given)s。"),
                        l=label, p=fixed, q=quantity, given=points)
        points = fixed
    if points is None:
        raise error("points", Code.POINTS_MISSING, _("条目“%(l)s”没有固定分值，请填写申报分值。"), l=label or rule_item)
    value = Decimal(str(points))
    if comp.accepts == "positive" and value < 0:
        raise error("points", Code.POINTS_WRONG_SIGN, _("“%(c)s”只接受正数分值（扣分也填正数）。"), c=comp.label)
    if comp.accepts == "negative" and value > 0:
        raise error("points", Code.POINTS_WRONG_SIGN, _("“%(c)s”只接受负数分值。"), c=comp.label)
    return points, label


#: Review settings of presets whose source text says more than the provincial defaults.
#: 度假区 (resort-rural): the 党建指导员 must attend the branch meeting and sign.
PRESET_REVIEW_SETTINGS = {
    "resort-rural": {"rural": True},
}


def scheme_settings(organisation, on_date):
    """``{"publicity_days": int, "period_kind": str, "rural": bool}`` for the scheme in force.

    Defaults are the provincial rules (7 days, quarterly, no 党建指导员); a scheme version
    whose preset is listed in ``PRESET_REVIEW_SETTINGS`` overrides them. (Scheme definitions
    carry no review settings yet; when they do, read them here.)
    """
    settings = {"publicity_days": 7, "period_kind": "quarter", "rural": False}
    version = scheme_version_for(organisation, on_date)
    if version is None:
        return settings
    settings.update(PRESET_REVIEW_SETTINGS.get(version.preset_key, {}))
    return settings


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
    "scheme_settings",
    "scheme_version_for",
    "resolve_rule_item",
    "describe_points",
]
