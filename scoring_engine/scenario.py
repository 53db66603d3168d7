"""A scenario's top-level fields (SCENARIOS.md) and its scheme, shared by :func:`scoring_engine.simulate`
and :func:`scoring_engine.simulate_file`."""
from .errors import SchemeError
from .presets import load_scheme

SCENARIO_KEYS = ("scheme", "scheme_overrides", "cycle", "members", "events", "appraisal", "history",
                 "description")
REQUIRED_KEYS = ("scheme", "cycle", "members")


def scenario_scheme(scenario):
    """The scenario's scheme (a preset key or an inline scheme, with ``scheme_overrides``);
    an inline scheme's errors are named under ``scheme.``."""
    spec = scenario["scheme"]
    try:
        return load_scheme(spec, scenario.get("scheme_overrides"))
    except SchemeError as error:
        if isinstance(spec, dict) and not error.path.startswith("scheme"):
            raise SchemeError(f"scheme.{error.path}" if error.path else "scheme", error.message) from None
        raise
