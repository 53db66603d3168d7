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
from datetime import timedelta

from .cycle import add_months
from .errors import SchemeError

#: Cadence -> its length in months. Periods are counted from the cycle's start.
CADENCES = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}

#: The shortest publicity window the source allows, in natural days (篇二 l.99 "公示期不少于7天").
MIN_PUBLICITY_DAYS = 7

#: How ``publicity_days`` are counted: natural (calendar) days, or Chinese working days (a
#: window of 7 working days always spans at least 7 natural days).
DAY_KINDS = ("natural", "working")

#: ``period_kind``, the section's field before cadences were split in two, and its cadence.
#: Scheme versions stored before the split still carry it; read it as the review cadence.
LEGACY_PERIOD_KINDS = {"month": "monthly", "quarter": "quarterly"}


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    """What the review chain (reviews app) reads from a scheme.

    ``cadence``: how often the branch reviews declarations, one of :data:`CADENCES`.
    ``publicity_cadence``: how often reviewed results are published; never more often than
    ``cadence`` (a result is published only once reviewed).
    ``publicity_days``: length of each publicity window, at least :data:`MIN_PUBLICITY_DAYS`.
    ``publicity_days_kind``: ``"natural"`` (calendar days, the source's "不少于7天") or
    ``"working"`` (Chinese working days); see :data:`DAY_KINDS`.
    ``rural``: the 党建指导员 must attend the branch meeting and sign (度假区, 篇十六 l.1293).
    ``source``: where in the source text these settings come from (free text).
    """

    cadence: str = "quarterly"
    publicity_cadence: str = "quarterly"
    publicity_days: int = MIN_PUBLICITY_DAYS
    rural: bool = False
    source: str = ""
    publicity_days_kind: str = "natural"

    @property
    def months(self):
        """Length of one review period in months (1, 3, 6 or 12)."""
        return CADENCES[self.cadence]

    @property
    def publicity_months(self):
        """Months between two publications (1, 3, 6 or 12); never fewer than :attr:`months`."""
        return CADENCES[self.publicity_cadence]

    def review_periods(self, cycle_start, cycle_end):
        """``[(first day, last day), ...]`` of the review periods of a cycle (dates), from its start.

        Periods are counted from the cycle's start (a cycle from 七一 has July–September as its
        first quarter); the last one is cut at ``cycle_end``.
        """
        return periods(cycle_start, cycle_end, self.months)

    def publicity_periods(self, cycle_start, cycle_end):
        """``[(first day, last day), ...]`` of the publicity periods of a cycle; see :meth:`review_periods`."""
        return periods(cycle_start, cycle_end, self.publicity_months)

    @property
    def working_days(self):
        """True when the publicity window counts Chinese working days rather than natural days."""
        return self.publicity_days_kind == "working"


DEFAULT_REVIEW = ReviewSettings()


def periods(start, end, months):
    """Consecutive periods of ``months`` months from ``start`` (a date) up to ``end`` (inclusive).

    Returns ``[(first day, last day), ...]``; the last period ends at ``end`` at the latest.
    A start on the 29th–31st moves to the month's last day where a month is shorter.
    """
    found = []
    index = 0
    first = start
    while first <= end:
        index += 1
        following = _month_start(start, months * index)
        last = min(following - timedelta(days=1), end)
        found.append((first, last))
        first = following
    return found


def period_containing(start, months, day):
    """``(first day, last day)`` of the period of ``months`` months, counted from ``start``, holding ``day``.

    ``day`` may lie before ``start`` (periods then count backwards).
    """
    offset = (day.year - start.year) * 12 + day.month - start.month
    index = offset // months
    first = _month_start(start, months * index)
    if first > day:
        index -= 1
        first = _month_start(start, months * index)
    following = _month_start(start, months * (index + 1))
    if following <= day:
        first, following = following, _month_start(start, months * (index + 2))
    return first, following - timedelta(days=1)


def _month_start(start, months):
    """``start`` moved by ``months`` months, clipped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    moved = add_months(start, months)
    day = start.day
    while moved is None:
        day -= 1
        moved = add_months(start.replace(day=day), months)
    return moved


def parse_review(obj):
    """``[review]`` read through a :class:`~scoring_engine.reader.Reader` (or None: the defaults).

    Raises :class:`SchemeError` naming ``review.<field>`` for an unknown cadence, a publicity
    cadence more frequent than the review cadence, fewer than 7 publicity days, or a day kind
    other than natural/working.
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
        publicity_days_kind=obj.string("publicity_days_kind", "natural", choices=DAY_KINDS),
    )
    obj.done()
    return settings
