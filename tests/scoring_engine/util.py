"""Small builders so each test reads like the scenario it describes."""
from decimal import Decimal

from scoring_engine import simulate

YEAR = {"start": "2025-01-01", "end": "2025-12-31"}


def member(member_id, **fields):
    data = {"id": member_id, "name": member_id, "branch": fields.pop("branch", "b1")}
    data.update(fields)
    return data


def event(member_id, day, component, points=None, **extra):
    data = {"member": member_id, "date": day, "component": component}
    if points is not None:
        data["points"] = points
    data.update(extra)
    return data


def run(scheme, members, events=(), appraisal=None, history=None, cycle=YEAR, overrides=None):
    scenario = {"scheme": scheme, "cycle": cycle, "members": members, "events": list(events)}
    if overrides is not None:
        scenario["scheme_overrides"] = overrides
    if appraisal is not None:
        scenario["appraisal"] = appraisal
    if history is not None:
        scenario["history"] = history
    return simulate(scenario)


def by_id(result):
    return {m["id"]: m for m in result["members"]}


def checks_of(result, kind):
    return [c for c in result["checks"] if c["type"] == kind]


def D(text):
    return Decimal(text)
