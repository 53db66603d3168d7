"""The scheme's ``[redemption]`` section: whether points buy goods, what bars it, and the year end.

Village schemes let households spend their points at a points supermarket (积分超市).
钟祥 (篇十六 l.1473): "年度内积分实行累积使用，奖励之后不清零，年底清零，次年重新积分" — points
survive redemption within the year (the score a household is ranked by keeps them) and are
cleared at year end; "出现违法违纪问题，实行一票否决，在规定期限内仍可积分但不参与积分兑换奖励"
(l.1617): a violation bars redemption but not accrual. Points are exchanged for goods and
services only, never for cash.

A scheme without a ``[redemption]`` section does not redeem (:data:`NO_REDEMPTION`).
"""
from dataclasses import dataclass

#: What happens to the points left at the end of a cycle.
YEAR_END_MODES = ("reset", "carry_over")


@dataclass(frozen=True, slots=True)
class RedemptionSettings:
    """What the points supermarket (market app) reads from a scheme.

    ``enabled``: points of this scheme may be redeemed for goods.
    ``year_end``: ``"reset"`` (the points left are cleared, 年底清零) or ``"carry_over"`` (they
    move into the next cycle, 结转).
    ``barred_by``: member flags that bar redemption while they last, without stopping accrual
    (钟祥 ``violation``).
    ``source``: where in the source text these settings come from (free text).
    """

    enabled: bool = False
    year_end: str = "reset"
    barred_by: tuple = ()
    source: str = ""


NO_REDEMPTION = RedemptionSettings()


def parse_redemption(obj):
    """``[redemption]`` read through a :class:`~scoring_engine.reader.Reader` (None: no redemption).

    Raises :class:`~scoring_engine.errors.SchemeError` naming ``redemption.<field>`` for an
    unknown year-end mode, a flag that is not a non-empty string, or an unknown field.
    """
    if obj is None:
        return NO_REDEMPTION
    settings = RedemptionSettings(
        enabled=True,
        year_end=obj.string("year_end", "reset", choices=YEAR_END_MODES),
        barred_by=tuple(obj.strings("barred_by", ()) or ()),
        source=obj.string("source", None) or "",
    )
    obj.done()
    return settings
