"""The scheme's ``[review]`` section: how often declarations are reviewed and results published.

Cadence is per scheme and has two parts (DOMAIN.md §2): how often the branch reviews the
period's declarations, and how often the reviewed results are published. 钟祥 and 浆水 review
monthly and publish quarterly ("一月一审核、一季一公示", 篇十六 l.1239, l.1469–1471); 春和
reviews and publishes quarterly (篇十二 l.399–401); 东塘 publishes half-yearly (篇十六 l.1779);
篇十 publishes yearly (l.317). The publicity window lasts at least 7 days (篇二 l.99, 篇四
l.157, 篇十三 l.491).

A scheme without a ``[review]`` section gets :data:`DEFAULT_REVIEW`, the provincial practice:
quarterly review and publicity, 7 days, no 党建指导员.
"""
from dataclasses import dataclass

from .errors import SchemeError

#: Cadence -> its length in months. Periods are counted from the cycle's start.
CADENCES = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}

#: The shortest publicity window the source allows, in natural days (篇二 l.99 "公示期不少于7天").
MIN_PUBLICITY_DAYS = 7

#: ``period_kind``, the section's field before cadences were split in two, and its cadence.
#: Scheme versions stored before the split still carry it; read it as the review cadence.
LEGACY_PERIOD_KINDS = {"month": "monthly", "quarter": "quarterly"}


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    """What the review chain (reviews app) reads from a scheme.

    ``cadence``: how often the branch reviews declarations, one of :data:`CADENCES`.
    ``publicity_cadence``: how often reviewed results are published; never more often than
    ``cadence`` (a result is published only once reviewed).
    ``publicity_days``: length of each publicity window in natural days, at least
    :data:`MIN_PUBLICITY_DAYS`.
    ``rural``: the 党建指导员 must attend the branch meeting and sign (度假区, 篇十六 l.1293).
    ``source``: where in the source text these settings come from (free text).
    """

    cadence: str = "quarterly"
    publicity_cadence: str = "quarterly"
    publicity_days: int = MIN_PUBLICITY_DAYS
    rural: bool = False
    source: str = ""

    @property
    def months(self):
        """Length of one review period in months (1, 3, 6 or 12)."""
        return CADENCES[self.cadence]

    @property
    def publicity_months(self):
        """Months between two publications (1, 3, 6 or 12); never fewer than :attr:`months`."""
        return CADENCES[self.publicity_cadence]


DEFAULT_REVIEW = ReviewSettings()


def parse_review(obj):
    """``[review]`` read through a :class:`~scoring_engine.reader.Reader` (or None: the defaults).

    Raises :class:`SchemeError` naming ``review.<field>`` for an unknown cadence, a publicity
    cadence more frequent than the review cadence, or fewer than 7 publicity days.
    """
    if obj is None:
        return DEFAULT_REVIEW
    choices = tuple(CADENCES)
    cadence = obj.string("cadence", None, choices=choices)
    if obj.has("period_kind"):
        legacy = obj.string("period_kind", choices=tuple(LEGACY_PERIOD_KINDS))
        if cadence is not None:
            raise SchemeError(obj.where("period_kind"),
                              "period_kind 是 cadence 的旧写法，二者只能给出一个 (give cadence or the legacy period_kind)")
        cadence = LEGACY_PERIOD_KINDS[legacy]
    cadence = cadence or DEFAULT_REVIEW.cadence
    publicity_cadence = obj.string("publicity_cadence", cadence, choices=choices)
    if CADENCES[publicity_cadence] < CADENCES[cadence]:
        raise SchemeError(obj.where("publicity_cadence"),
                          f"公示（{publicity_cadence}）不能比审核（{cadence}）更频繁：结果须先审核后公示 "
                          f"(results are published only once reviewed)")
    settings = ReviewSettings(
        cadence=cadence,
        publicity_cadence=publicity_cadence,
        publicity_days=obj.integer("publicity_days", MIN_PUBLICITY_DAYS, minimum=MIN_PUBLICITY_DAYS),
        rural=obj.boolean("rural", False),
        source=obj.string("source", None) or "",
    )
    obj.done()
    return settings
