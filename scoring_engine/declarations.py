"""What a scheme allows one declaration (申报): the item, its sign, its points and their range.

A declaration names a component and a rule item, a quantity and (unless the item fixes
them) points. :meth:`scoring_engine.Scheme.item_rule` answers, for one component and item,
the questions the member's form and the review chain ask:

* is the item listed, and under which label (``item``, ``label``);
* does it add or deduct (``sign``: :data:`PLUS` 加分, :data:`MINUS` 扣分, :data:`EITHER`
  when the sign of the declared number decides, "加分填正数，扣分填负数");
* are its points fixed by the item (``fixed``, ``points``) or chosen within a range
  (``minimum``/``maximum``, per unit, Decimal; None = unbounded on that side);
* is a declared value allowed (:meth:`ItemRule.resolve`, which raises
  :class:`~scoring_engine.errors.DeclarationError` with the field and a code);
* how do the declared points move the member's total (:meth:`ItemRule.signed`).
"""
from dataclasses import dataclass
from decimal import Decimal

from .components import COUNT_PERIOD_LABELS, Component, Item
from .errors import DeclarationError
from .reader import ZERO, to_decimal
from .review import period_containing

CENT = Decimal("0.01")

PLUS = "plus"
MINUS = "minus"
EITHER = "either"
SIGN_LABELS = {PLUS: "加分", MINUS: "扣分", EITHER: "加分或扣分"}


def _direction(value):
    return (value > 0) - (value < 0)


@dataclass(frozen=True, slots=True)
class ItemRule:
    """One component's rule for one declared item; build it with :meth:`Scheme.item_rule`.

    ``item`` is None for a free item (the component lists none; the declaration describes it).
    ``negative_weight``: the component counts against the total (a weight below 0 in the
    combination, e.g. 春和 ``deduction``, 篇十二 l.387).
    """

    component: Component
    item: Item | None
    key: str
    negative_weight: bool

    @property
    def label(self):
        """The item's label, or the free item's own text."""
        return self.item.label if self.item is not None else self.key

    @property
    def fixed(self):
        """True when the item fixes the points of one unit."""
        return self.item is not None and self.item.points is not None

    @property
    def points(self):
        """The fixed points of one unit (Decimal), or None."""
        return self.item.points if self.fixed else None

    @property
    def max_count(self):
        """How many units may be declared at most (int), or None."""
        return self.item.max_count if self.item is not None else None

    @property
    def per(self):
        """The period ``max_count`` counts in: ``"cycle"`` (当年), ``"quarter"`` or ``"month"`` (每月)."""
        return self.item.per if self.item is not None else "cycle"

    def count_period(self, cycle_start, cycle_end, day):
        """``(first day, last day)`` of the period ``max_count`` counts in that holds ``day`` (dates).

        Periods are counted from ``cycle_start``: the whole cycle, its quarters or its months.
        """
        if self.per == "cycle":
            return cycle_start, cycle_end
        first, last = period_containing(cycle_start, 3 if self.per == "quarter" else 1, day)
        return first, min(last, cycle_end)

    def check_period_count(self, already, quantity=1):
        """Refuse ``quantity`` more units when ``already`` units of the item count in the same period.

        Raises :class:`DeclarationError` ``item_period_count_exceeded`` (钟祥 “当年积10分”
        declared a second time in the year); does nothing for an item without ``max_count``.
        """
        limit = self.max_count
        if limit is not None and already + quantity > limit:
            period = COUNT_PERIOD_LABELS[self.per]
            raise DeclarationError("item_period_count_exceeded",
                                   f"条目 {self.label} {period}最多计 {limit} 次，本期已有 {already} 次 "
                                   f"(the item's count for its period is reached)",
                                   item_label=self.label, max_count=limit, already=already, period=period)

    @property
    def minimum(self):
        """Lowest points of one unit (Decimal), or None: the fixed points, the item's range, or the sign rule."""
        if self.fixed:
            return self.item.points
        if self.item is not None and self.item.minimum is not None:
            return self.item.minimum
        return ZERO if self.component.accepts == "positive" else None

    @property
    def maximum(self):
        """Highest points of one unit (Decimal), or None; see :attr:`minimum`."""
        if self.fixed:
            return self.item.points
        if self.item is not None and self.item.maximum is not None:
            return self.item.maximum
        return ZERO if self.component.accepts == "negative" else None

    @property
    def ranged(self):
        """True when the item bounds its points to a range chosen by the declaration (度假区 "加5-10分")."""
        return self.item is not None and self.item.minimum is not None

    @property
    def sign(self):
        """:data:`PLUS` (加分), :data:`MINUS` (扣分) or :data:`EITHER` (the declared number's sign decides).

        A 倒扣 component deducts whatever is written; otherwise the sign rule of the component
        (or a fixed item's own sign) times the sign of its weight in the total.
        """
        if self.component.mode == "deduct":
            return MINUS
        if self.fixed:
            direction = _direction(self.item.points)
        else:
            direction = {"positive": 1, "negative": -1}.get(self.component.accepts, 0)
        direction *= -1 if self.negative_weight else 1
        return {1: PLUS, -1: MINUS}.get(direction, EITHER)

    @property
    def sign_label(self):
        """加分, 扣分 or 加分或扣分."""
        return SIGN_LABELS[self.sign]

    def resolve(self, points=None, quantity=1):
        """The points a declaration of ``quantity`` units records, or :class:`DeclarationError`.

        ``points``: the declared points for all units (Decimal, int or numeric string) or None.
        A fixed item fills them in as points × quantity, rounded to the cent, and refuses
        another value (``points_fixed_by_item``); otherwise they are required
        (``points_required``), of the component's sign (``points_must_be_positive`` /
        ``points_must_be_negative``) and, for a ranged item, within minimum × quantity to
        maximum × quantity (``points_out_of_range``). ``quantity`` must be a whole number of
        at least 1 (``invalid_quantity``) and not above the item's ``max_count``
        (``item_count_exceeded``). Returns a Decimal.
        """
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            raise DeclarationError("invalid_quantity",
                                   f"数量应为不小于1的整数，收到 {quantity!r} (quantity must be a whole number ≥ 1)",
                                   quantity=quantity)
        label = self.label
        if self.max_count is not None and quantity > self.max_count:
            raise DeclarationError("item_count_exceeded",
                                   f"条目 {label} 最多计 {self.max_count} 次，申报数量为 {quantity} (too many units)",
                                   item_label=label, max_count=self.max_count, quantity=quantity)
        given = to_decimal(points, "points") if points is not None else None
        if self.fixed:
            total = (self.item.points * quantity).quantize(CENT)
            if given is not None and given != total:
                raise DeclarationError("points_fixed_by_item",
                                       f"条目 {label} 的分值按细则固定为 {total}（数量 {quantity}），收到 {given} "
                                       f"(the item fixes the points)",
                                       item_label=label, fixed=total, quantity=quantity, given=given)
            return total
        if given is None:
            raise DeclarationError("points_required", f"条目 {label} 没有固定分值，须填写分值 (points required)",
                                   item_label=label)
        accepts, component_label = self.component.accepts, self.component.label
        if accepts == "positive" and given < 0:
            raise DeclarationError("points_must_be_positive",
                                   f"{component_label} 只接受正数分值（扣分也填正数），收到 {given} (points must be positive)",
                                   component_label=component_label, given=given)
        if accepts == "negative" and given > 0:
            raise DeclarationError("points_must_be_negative",
                                   f"{component_label} 只接受负数分值，收到 {given} (points must be negative)",
                                   component_label=component_label, given=given)
        if self.ranged:
            low, high = self.item.minimum * quantity, self.item.maximum * quantity
            if not low <= given <= high:
                raise DeclarationError("points_out_of_range",
                                       f"条目 {label} 的分值应在 {low} 至 {high} 之间（数量 {quantity}），收到 {given} "
                                       f"(points outside the item's range)",
                                       item_label=label, minimum=low, maximum=high, quantity=quantity, given=given)
        return given

    def signed(self, points):
        """How ``points`` (Decimal, as declared or decided) move the member's total.

        A 倒扣 component deducts the magnitude (``-|points|``); a component weighted below 0
        counts the points negatively; any other component counts them as they are.
        """
        return _signing(self.component, self.negative_weight)(points)


def _deducted(points):
    return -abs(points)


def _negated(points):
    return -points


def _as_given(points):
    return points


def _signing(comp, negative_weight):
    """The sign rule of a component: 倒扣 deducts the magnitude, a weight below 0 negates, else as given."""
    if comp.mode == "deduct":
        return _deducted
    return _negated if negative_weight else _as_given


def _component(scheme, component):
    index = scheme.component_index.get(component) if isinstance(component, str) else None
    comp = scheme.components[index] if index is not None else None
    if comp is None or not comp.accepts_events:
        choices = "、".join(f"{c.label}（{c.name}）" for c in scheme.components if c.accepts_events)
        raise DeclarationError("unknown_component",
                               f"组成部分 {component!r} 不在方案 {scheme.name} 中或不接受申报，可选：{choices} (unknown component)",
                               component=component, scheme=scheme.name, choices=choices)
    return comp


def _negative_weight(scheme, comp):
    return any(t.weight < 0 for t in scheme.terms if t.component == comp.name)


def item_rule(scheme, component, key=None):
    """The :class:`ItemRule` of ``key`` (str or None) under ``component`` (a component name).

    Raises :class:`DeclarationError` ``unknown_component`` when the scheme has no such
    component or the component takes no events (民主评议), and ``unknown_item`` when the
    component lists its items and ``key`` is not one of them. In a component without a list
    any key is a free item.
    """
    comp = _component(scheme, component)
    item = None
    if comp.items:
        item = comp.items.get(key) if isinstance(key, str) else None
        if item is None:
            choices = "、".join(f"{i.label}（{i.key}）" for i in comp.items.values())
            raise DeclarationError("unknown_item", f"{comp.label} 没有条目 {key!r}，可选：{choices} (unknown item)",
                                   item=key, component=comp.name, component_label=comp.label, choices=choices)
    return ItemRule(component=comp, item=item, key=key or "", negative_weight=_negative_weight(scheme, comp))


def signed_points(scheme, component, points):
    """How ``points`` declared under ``component`` move the member's total (:meth:`ItemRule.signed`).

    Depends on the component only, so it holds for any of its items. Raises
    :class:`DeclarationError` ``unknown_component``.
    """
    return signing(scheme, component)(points)


def signing(scheme, component):
    """:func:`signed_points` of ``component`` as a function of the points (``Decimal -> Decimal``), for a
    caller signing many totals of the same component. Raises :class:`DeclarationError` ``unknown_component``."""
    comp = _component(scheme, component)
    return _signing(comp, _negative_weight(scheme, comp))
