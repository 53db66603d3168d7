"""``simulate --workflow``: a scenario through the real chain, in a transaction rolled back at the end.

Same input and output as ``simulate`` (``../shared/SCENARIOS.md``); the numbers come from
the stored results, not from calling the engine on the scenario:

1. the scenario is first checked as ``simulate`` checks it (the same errors, naming the field);
2. its roster becomes a throw-away organisation (:mod:`simulation.world`), its history the
   published results of earlier evaluations;
3. its events are declared, met on, filed, published and posted to the ledger round by round
   at the scheme's own cadence (:mod:`simulation.rounds`), the clock set forward past each
   publicity window so its timer fires (:mod:`simulation.clock`);
4. the year-end evaluation runs with the scenario's appraisals (:mod:`simulation.year_end`);
5. the results are read back from the database, and everything is rolled back.

A step the chain refuses raises :class:`~simulation.rounds.WalkRefused` naming the scenario
field (``events[3]``, ``appraisal.m1``) and the chain's own message.
"""
from django.core.exceptions import ValidationError
from django.db import transaction

import scoring_engine
from scoring_engine.cycle import parse_cycle

from .clock import Clock
from .rounds import RoundWalk, WalkRefused, messages_of
from .world import World
from .year_end import read_back, run_year_end

__all__ = ["WalkRefused", "simulate_workflow"]


def simulate_workflow(scenario):
    """Run ``scenario`` (a SCENARIOS.md mapping) through the chain; returns the result document.

    Raises :class:`scoring_engine.SchemeError` for a scenario ``simulate`` refuses, and
    :class:`~simulation.rounds.WalkRefused` for a step the chain refuses. Leaves no row behind.
    """
    scoring_engine.simulate(scenario)  # the same checks, and the same messages, as the dry run
    spec = scenario["scheme"]
    cycle = parse_cycle(scenario["cycle"], None)
    with transaction.atomic():
        try:
            with Clock(cycle.start) as clock:
                world = World(scenario, cycle)
                label = spec if isinstance(spec, str) else world.scheme.key
                try:
                    world.load_history(scenario.get("history"))
                except ValidationError as refused:
                    path = next(iter(refused.message_dict), "") if hasattr(refused, "error_dict") else ""
                    raise WalkRefused(path, messages_of(refused)) from None
                RoundWalk(world, clock, scenario.get("events") or []).run()
                evaluation = run_year_end(world, clock, scenario)
                return read_back(world, evaluation, scenario, label)
        finally:
            transaction.set_rollback(True)
