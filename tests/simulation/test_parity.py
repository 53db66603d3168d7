"""``simulate`` and ``simulate --workflow`` agree on every shipped scenario (issue 10, item 2).

Every valid file of docs/scenarios — among them a worked scenario of every preset — is run
twice: through the engine alone, and through the real chain (declarations, rounds at the
scheme's cadence, meetings, filing, publicity timers, posting, the year-end evaluation) in a
rolled-back transaction, its result read back from the stored rows. Totals, grades, stars,
vetoes, components, actions, awards and the organisation-level checks must be the same.
Runs on SQLite and, with ``DATABASE_URL``, on PostgreSQL.
"""
import json
import time
from decimal import Decimal
from pathlib import Path

import pytest

import scoring_engine
from organisations.models import Organisation
from reviews.models import Declaration
from simulation.workflow import simulate_workflow

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "docs" / "scenarios").glob("*.json"))
VALID = [p for p in SCENARIOS if not p.name.startswith("invalid-")]
#: Seconds each scenario took through the chain (printed at the end of the module's run).
TIMINGS = {}


def load(path):
    return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


def test_every_preset_has_a_worked_scenario():
    """A worked scenario per preset (issue 10: "a worked scenario of every preset")."""
    shipped = {load(p)["scheme"] for p in VALID if isinstance(load(p)["scheme"], str)}
    assert shipped == set(scoring_engine.preset_keys())


@pytest.mark.django_db
@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_simulate_and_the_workflow_agree(path):
    scenario = load(path)
    dry = scoring_engine.simulate(scenario)
    organisations = Organisation.objects.count()
    started = time.perf_counter()
    walked = simulate_workflow(load(path))
    TIMINGS[path.stem] = time.perf_counter() - started
    assert walked["scheme"] == dry["scheme"]
    assert [m["id"] for m in walked["members"]] == [m["id"] for m in dry["members"]]
    for expected, got in zip(dry["members"], walked["members"]):
        assert got == expected, expected["id"]
        assert list(got["components"]) == list(expected["components"])  # printed in the same order too
    assert walked["checks"] == dry["checks"]
    # The walk is rolled back: the throw-away organisation and its declarations are gone.
    assert Organisation.objects.count() == organisations and not Declaration.objects.exists()


def test_zz_report_the_time_through_the_chain(capsys):
    """Not a check: prints how long each scenario took through the chain (seconds), and the total."""
    if TIMINGS:
        with capsys.disabled():
            print("\nsimulate --workflow, seconds per scenario:")
            for name, seconds in sorted(TIMINGS.items()):
                print(f"  {seconds:6.2f}  {name}")
            print(f"  {sum(TIMINGS.values()):6.2f}  total ({len(TIMINGS)} scenarios)")
