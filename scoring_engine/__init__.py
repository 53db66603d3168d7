"""Pure-Python scoring core (no Django imports): schemes, components, caps, grades, stars, quotas.

Public API::

    scheme = load_preset("chunhe-street", {"excellent_share": "0.2"})   # or load_scheme(dict)
    result = compute(scheme, cycle, members, events, appraisal, history)
    roster = parse_members(members, scheme)    # members read ahead: compute(scheme, cycle, roster, …)
    document = result_to_dict(result)          # the JSON of SCENARIOS.md
    document = simulate(scenario_mapping)      # all of the above from one scenario
    document = simulate_file(text_handle)      # the same from a scenario file, its events read as a stream

    rule = scheme.item_rule("contribution", "public_welfare")   # what a declaration may say
    points = rule.resolve(points, quantity)    # or DeclarationError(field, code)
    scheme.review                              # ReviewSettings: cadence, publicity cadence and days
    scheme.awards_for(grade, stars, total, vetoed)   # certificate / plaque / care a result earns
    scheme.redemption                          # RedemptionSettings: redeemable, bars, year-end reset/carry-over

Every bad input raises :class:`SchemeError` with a field path (a declaration the scheme
does not allow: :class:`DeclarationError`, with a code). Numbers are ``Decimal`` inside;
floats only appear in the rendered JSON.

May import: the standard library only (no Django): it is the pure scoring arithmetic.
"""
from .engine import MemberResult, Result
from .engine import compute as _compute
from .errors import DeclarationError, SchemeError
from .events import foldable_components, summable_components
from .inputs import Inputs, parse_appraisal, parse_cycle, parse_events, parse_history, parse_members
from .members import Roster
from .presets import load_preset, load_scheme, preset_document, preset_keys, resolve
from .render import result_to_dict
from .redemption import RedemptionSettings
from .review import ReviewSettings
from .scenario import REQUIRED_KEYS, SCENARIO_KEYS, scenario_scheme
from .scheme import ACTIONS, AWARDS, FORMAT_VERSION, ItemRule, Scheme, parse_scheme
from .stream import simulate_file

__all__ = [
    "ACTIONS", "AWARDS", "FORMAT_VERSION", "DeclarationError", "ItemRule", "MemberResult", "RedemptionSettings",
    "Result", "ReviewSettings",
    "Scheme", "SchemeError",
    "compute", "load_preset", "load_scheme", "parse_scheme", "preset_document", "preset_keys",
    "parse_members", "prepare", "resolve", "result_to_dict", "simulate", "simulate_file", "summable_components",
    "foldable_components",
]



def prepare(scheme, cycle, members, events, appraisal=None, history=None, sums=None):
    """Validate raw inputs against ``scheme`` and fold events; returns :class:`Inputs`.

    ``members``: member objects, or the :class:`~scoring_engine.members.Roster` that
    :func:`parse_members` made of them for ``scheme`` (taken as it is).

    ``sums`` (optional): ``(member id, component, [sum per quarter or None])`` standing for
    events of a :func:`foldable_components` component that each obey its sign rule, given
    instead of those events (see :func:`~scoring_engine.events.fold_sums`).
    """
    cycle = parse_cycle(cycle, scheme)
    if not (type(members) is Roster and members.scheme is scheme):  # else read already (parse_members)
        members = parse_members(members, scheme)
    sums, picks = parse_events(events, scheme, cycle, members, sums=sums)
    return Inputs(
        cycle=cycle,
        members=members,
        sums=sums,
        picks=picks,
        appraisal=parse_appraisal(appraisal, scheme, members),
        history=parse_history(history, scheme, members, cycle),
    )


def compute(scheme, cycle, members, events, appraisal=None, history=None, sums=None, on_scored=None):
    """Results for ``members`` under ``scheme`` (a :class:`Scheme`) for ``cycle`` ({start, end});
    ``sums`` as in :func:`prepare`, ``on_scored`` as in :func:`scoring_engine.engine.compute`."""
    return _compute(scheme, prepare(scheme, cycle, members, events, appraisal, history, sums), on_scored)


def simulate(scenario):
    """Run a scenario mapping (SCENARIOS.md) and return the result document."""
    if not isinstance(scenario, dict):
        raise SchemeError("", "场景应为 JSON 对象 (the scenario must be an object)")
    for key in scenario:
        if key not in SCENARIO_KEYS:
            raise SchemeError(key, f"未知字段，可用：{', '.join(SCENARIO_KEYS)} (unknown field)")
    for key in REQUIRED_KEYS:
        if key not in scenario:
            raise SchemeError(key, "缺少必填字段 (required field is missing)")
    spec = scenario["scheme"]
    scheme = scenario_scheme(scenario)
    result = compute(scheme, scenario["cycle"], scenario["members"], scenario.get("events", []),
                     scenario.get("appraisal"), scenario.get("history"))
    return result_to_dict(result, spec if isinstance(spec, str) else scheme.key)
