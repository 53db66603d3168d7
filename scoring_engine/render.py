"""Turn a :class:`~scoring_engine.engine.Result` into the JSON document of SCENARIOS.md.

Numbers leave the engine here and only here. They are rounded half-up to two places
and written as JSON numbers: totals and appraisal scores (which come out of a
weighting or an average) always carry a decimal point (``71.2``, ``96.0``), while
components built from whole event points stay whole (``38``). The conversion goes
through ``float`` only to print: a two-place Decimal round-trips exactly through
Python's shortest float repr.
"""
from decimal import Decimal

from .engine import round_points


def number(value, always_float=False):
    if value is None:
        return None
    rounded = round_points(value)
    if not always_float and rounded == rounded.to_integral_value():
        return int(rounded)
    return float(rounded)


def _plain(value):
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def member_to_dict(scheme, result):
    floaty = {c.name for c in scheme.components if c.from_appraisal}
    data = {
        "id": result.id,
        "total": number(result.total, always_float=True),
        "grade": result.grade,
        "stars": result.stars,
        "vetoed": result.vetoed,
        "components": {name: number(value, name in floaty) for name, value in result.components.items()},
        "actions": list(result.actions),
    }
    if scheme.awards:
        # Only for a scheme that says what earns a certificate, plaque or 关爱 (``[[awards]]``).
        data["awards"] = list(result.awards)
    if result.excluded:
        data["excluded"] = True
    return data


def checks_to_list(result):
    """The document's ``checks`` alone (what a caller storing the members itself needs)."""
    checks = []
    for check in result.checks:
        item = _plain(check)
        if "total" in check and isinstance(check["total"], Decimal):
            item["total"] = number(check["total"], always_float=True)
        checks.append(item)
    return checks


def result_to_dict(result, scheme_label=None):
    scheme = result.scheme
    return {
        "scheme": scheme_label if scheme_label is not None else scheme.key,
        "members": [member_to_dict(scheme, r) for r in result.members],
        "checks": checks_to_list(result),
    }
