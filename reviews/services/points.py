"""Points as the review chain reads them: parsing typed values, the points that count, and their sign."""
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

import scoring_engine
from workdays import wording

from .. import integration as docs
from ..errors import ReviewErrorCode as Code
from ..errors import error
from ..models import ObjectionOutcome

_CENT = Decimal("0.01")


def parse_points(value, *, field, label):
    """``value`` (str, int, Decimal) as a Decimal with two places.

    ``field`` is the form field the error is reported on, ``label`` the Chinese name used in
    the message (``"申报分值"``).

    Raises:
        ValidationError({field: code}): ``points_invalid`` (not a finite number, or exponent notation such
        as "1e5"),
        ``points_too_precise`` (more than two decimals), ``points_too_large`` (|value| ≥ 1,000,000).
    """
    if isinstance(value, str) and ("e" in value.lower() or "n" in value.lower()):
        # "1e5" is 100000 to Decimal, "nan"/"inf" are not numbers: typed points are plain decimals.
        raise error(field, Code.POINTS_INVALID, _("%(label)s“%(value)s”不是有效的分值。"), label=label, value=value)
    try:
        result = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise error(field, Code.POINTS_INVALID, _("%(label)s“%(value)s”不是有效的分值。"), label=label, value=value) from None
    if not result.is_finite() or result.as_tuple().exponent > 0:  # Decimal("1E+5") typed as 1e5
        raise error(field, Code.POINTS_INVALID, _("%(label)s“%(value)s”不是有效的分值。"), label=label, value=value)
    if result != result.quantize(_CENT):
        raise error(field, Code.POINTS_TOO_PRECISE, _("%(label)s最多保留两位小数，收到“%(value)s”。"), label=label, value=value)
    if abs(result) >= Decimal("1000000"):
        raise error(field, Code.POINTS_TOO_LARGE, _("%(label)s“%(value)s”超出范围。"), label=label, value=value)
    return result.quantize(_CENT)


#: Attribute the upheld objections are prefetched into (:func:`upheld_prefetch`), any order.
UPHELD_ATTR = "upheld_for_points"


def upheld_prefetch(lookup="objections"):
    """A ``Prefetch`` of the upheld objections that :func:`points_now` reads without a query per declaration.

    ``lookup`` is the path from the queried model to the objections (``"declarations__objections"``
    from a round).
    """
    from django.db.models import Prefetch

    from ..models import Objection

    upheld = Objection.objects.filter(outcome=ObjectionOutcome.UPHELD, corrected_points__isnull=False)
    return Prefetch(lookup, queryset=upheld, to_attr=UPHELD_ATTR)


@dataclass(frozen=True)
class PointsNow:
    """Where a declaration's points stand (Decimals as recorded, unsigned magnitudes).

    ``decided``: the branch's decision (the declared points while undecided); ``current``: the points
    that count; ``correction``: the latest upheld objection that set ``current`` (or None).
    """

    decided: Decimal
    current: Decimal
    correction: object = None

    @property
    def corrected(self):
        """An upheld objection changed the points (bool)."""
        return self.correction is not None and self.current != self.decided

    @property
    def published(self):
        """The correction was published again in a 更正公示 (bool; False when not corrected)."""
        return self.corrected and self.correction.republished_in_id is not None


def points_now(declaration):
    """The one rule for the points that count: the branch's decision, then the latest upheld objection
    with corrected points (by answer date, then id). Reads :data:`UPHELD_ATTR` when prefetched
    (:func:`upheld_prefetch`), else one query. Returns :class:`PointsNow`."""
    upheld = getattr(declaration, UPHELD_ATTR, None)
    if upheld is None:
        upheld = declaration.objections.filter(outcome=ObjectionOutcome.UPHELD, corrected_points__isnull=False)
        latest = upheld.order_by("-answered_on", "-pk").first()
    else:
        latest = max(upheld, key=lambda o: (o.answered_on, o.pk), default=None)
    decided = declaration.decided_points if declaration.decided_points is not None else declaration.points
    if latest is None:
        return PointsNow(decided, decided)
    return PointsNow(decided, latest.corrected_points, latest)


def correction_note(declaration, now=None):
    """What an upheld objection made of the decided points, to write after them: `` → +2（更正，待公示）``
    until the 更正公示 is issued, then `` → +2（更正）``; ``""`` when nothing was corrected.

    ``now`` defaults to :func:`points_now` (declaration); the points are signed by the scheme.
    """
    now = points_now(declaration) if now is None else now
    if not now.corrected:
        return ""
    state = pgettext("points state", "更正") if now.published else _("更正，待公示")
    return f" → {wording.signed_points_text(signed_points(declaration, now.current))}{wording.bracketed(state)}"


def effective_points(declaration):
    """The points that count (Decimal): ``points_now(declaration).current``."""
    return points_now(declaration).current


def effective_points_before(objection):
    """The declaration's points before ``objection`` corrected them (earlier upheld objections counted)."""
    earlier = objection.declaration.objections.filter(outcome=ObjectionOutcome.UPHELD).exclude(pk=objection.pk)
    earlier = earlier.filter(answered_on__lte=objection.answered_on).order_by("-answered_on", "-pk").first()
    if earlier is not None:
        return earlier.corrected_points
    d = objection.declaration
    return d.decided_points if d.decided_points is not None else d.points


def signed_points(declaration, points=None):
    """Points as they move a member's total: deductions recorded as positive numbers count negative.

    The scheme the declaration was checked against decides (``reviews.integration.signed_points``);
    without one the component named ``deduction`` does. ``points`` defaults to
    ``effective_points(declaration)``.
    """
    points = effective_points(declaration) if points is None else points
    version = declaration.scheme_version if declaration.scheme_version_id else None
    return docs.signed_points(version, declaration.component, points)


def check_decided_points(declaration, points, *, field="decided_points"):
    """Refuse decided (adjusted) ``points`` larger than the declaration's scheme item allows.

    A fixed or ranged item bounds the magnitude: its points (or the larger end of its range) ×
    quantity, times the component's fraud multiplier when it has one (钟祥 “申报弄虚作假，给予相应
    项目双倍扣分”: the meeting may turn the item into that deduction). An item without points or
    range, or a declaration without a scheme, is bounded by :func:`parse_points` alone. Raises
    ValidationError({field: ``points_out_of_range``}).
    """
    if declaration.scheme_version_id is None:
        return points
    try:
        rule = declaration.scheme_version.engine_scheme().item_rule(declaration.component, declaration.rule_item)
    except scoring_engine.DeclarationError:  # an item the scheme no longer lists
        return points
    if rule.fixed:
        bound = abs(rule.item.points)
    elif rule.ranged:
        bound = max(abs(rule.item.minimum), abs(rule.item.maximum))
    else:
        return points
    bound = bound * declaration.quantity * max(1, getattr(rule.component, "fraud_multiplier", None) or 1)
    if abs(points) > bound:
        raise error(field, Code.POINTS_OUT_OF_RANGE,
                    _("条目“%(l)s”的分值应在 %(min)s 至 %(max)s 分之间（数量 %(q)s），不能为 %(given)s。"),
                    l=rule.label, min=-bound, max=bound, q=declaration.quantity, given=points)
    return points
