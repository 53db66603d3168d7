"""Scenario inputs validated against a scheme, as one :class:`Inputs` the engine trusts.

Validation happens once, at the edge; each input has its own module (:mod:`~scoring_engine.cycle`,
:mod:`~scoring_engine.members`, :mod:`~scoring_engine.events`, :mod:`~scoring_engine.appraisal`,
:mod:`~scoring_engine.history`) and its names stay importable from here.
"""
from dataclasses import dataclass

from .appraisal import parse_appraisal
from .cycle import Cycle, cycle_findings, month_offset, parse_cycle, parse_date, previous_cycle_start
from .events import EVENT_KEYS, parse_events
from .history import HISTORY_KEYS, HistoryEntry, parse_history
from .members import MEMBER_KEYS, Member, parse_members

__all__ = [
    "EVENT_KEYS", "HISTORY_KEYS", "MEMBER_KEYS", "Cycle", "HistoryEntry", "Inputs", "Member",
    "cycle_findings", "month_offset", "parse_appraisal", "parse_cycle", "parse_date", "parse_events",
    "parse_history", "parse_members", "previous_cycle_start",
]


@dataclass(slots=True)
class Inputs:
    """Validated inputs. ``sums[m][c]`` is a list of per-quarter event sums (or None when no
    events); ``picks[m][c]`` maps, for components whose items need choosing (best per item, count limits),
    item key -> list of (points, quarter, month), both counted from the cycle's start."""

    cycle: Cycle
    members: list
    sums: list
    picks: list
    appraisal: list
    history: list
