"""Awards (奖励凭证) a published result earns: a certificate, a plaque, the 关爱 benefits.

Which stars or grades earn what is scheme data (``[[awards]]``), never a fixed test on the
star count: under 篇十三 机关 four stars is 不合格 and earns nothing while seven to ten do;
under 篇十五 a one-star member is 不合格; 非公 hangs a plaque from four stars up (l.797).

An award rule looks only at what a published result shows — its grade, stars, total and
whether it was vetoed — so the answer can be given again from a stored result at any
time (:meth:`Scheme.awards_for`), without the year's inputs.
"""
from dataclasses import dataclass
from decimal import Decimal

from .errors import SchemeError, join
from .reader import Reader

#: What a result may earn, in the order results list them.
AWARDS = (
    "certificate",   # 星级党员证书 / 荣誉证书
    "plaque",        # “x星级党员”牌（挂牌亮星）
    "care",          # 关爱待遇：走访、慰问、补助（篇十 l.305）
)

#: Award -> its Chinese name.
AWARD_LABELS = {"certificate": "证书", "plaque": "挂牌", "care": "关爱待遇"}


@dataclass(frozen=True, slots=True)
class AwardRule:
    """``award`` is earned when every given test holds (an empty rule always holds)."""

    award: str
    grades: frozenset | None = None
    stars_at_least: int | None = None
    stars_at_most: int | None = None
    total_at_least: Decimal | None = None
    vetoed: bool | None = None

    def holds(self, grade, stars, total, vetoed):
        if self.grades is not None and grade not in self.grades:
            return False
        if self.stars_at_least is not None and (stars is None or stars < self.stars_at_least):
            return False
        if self.stars_at_most is not None and (stars is None or stars > self.stars_at_most):
            return False
        if self.total_at_least is not None and (total is None or total < self.total_at_least):
            return False
        return self.vetoed is None or bool(vetoed) == self.vetoed


def parse_award(raw, path, labels, stars):
    """One ``[[awards]]`` entry: ``award`` (one of :data:`AWARDS`) and a ``when`` on the published result.

    ``when`` may test ``grades``, ``stars_at_least``, ``stars_at_most``, ``total_at_least`` and
    ``vetoed`` only. Raises :class:`SchemeError` naming the field.
    """
    obj = Reader(raw, path)
    award = obj.string("award", choices=AWARDS)
    obj.raw("reason", None)
    when = obj.obj("when", None) or Reader({}, obj.where("when"))
    grades = when.strings("grades", None)
    for i, label in enumerate(grades or ()):
        if label not in labels:
            raise SchemeError(join(when.where("grades"), i), f"未知等次 {label!r} (unknown grade label)")
    rule = AwardRule(
        award=award,
        grades=frozenset(grades) if grades is not None else None,
        stars_at_least=when.integer("stars_at_least", None, minimum=0),
        stars_at_most=when.integer("stars_at_most", None, minimum=0),
        total_at_least=when.decimal("total_at_least", None),
        vetoed=when.boolean("vetoed", None),
    )
    if stars is None and (rule.stars_at_least is not None or rule.stars_at_most is not None):
        raise SchemeError(when.where("stars_at_least" if rule.stars_at_least is not None else "stars_at_most"),
                          "方案未定义星级 (the scheme has no stars)")
    when.done()
    obj.done()
    return rule


def awards_for(rules, grade, stars, total, vetoed):
    """The awards (a tuple in :data:`AWARDS` order) that ``rules`` give a result with these values."""
    earned = {rule.award for rule in rules if rule.holds(grade, stars, total, vetoed)}
    return tuple(a for a in AWARDS if a in earned)
