"""`manage.py simulate` on every shipped example scenario, as SCENARIOS.md specifies."""
import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "docs" / "scenarios").glob("*.json"))
VALID = [p for p in SCENARIOS if not p.name.startswith("invalid-")]
INVALID = [p for p in SCENARIOS if p.name.startswith("invalid-")]


def simulate(path):
    out = StringIO()
    # No database fixture: pytest-django fails the test on any query, which proves the dry run.
    call_command("simulate", str(path), stdout=out)
    return json.loads(out.getvalue())


def test_the_shipped_examples():
    """SCENARIOS.md asks for at least four valid examples; these are the ones shipped, by name."""
    assert [p.stem for p in VALID] == [
        "chengde-pioneer-index-probationary", "chunhe-street-worked-example", "county-7-3-quota",
        "dagaowei-village-stars", "dongtang-categories-half-year", "food-seller-risk-grades",
        "hongjiang-township-zeroing", "household-grid-quarter", "resort-rural-contributions",
        "star-five-school-july-cycle", "star-nonpublic-quotas", "star-oilfield-quarterly-year-end",
        "star-ten-certificates", "street-three-classes-year", "teacher-reading-tiers",
        "zhongxiang-governance-limits"]
    assert [p.stem for p in INVALID] == ["invalid-county-7-3-literal-bands"]


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_every_example_runs_and_reports_every_member(path):
    scenario = json.loads(path.read_text(encoding="utf-8"))
    result = simulate(path)
    assert result["scheme"] == scenario["scheme"]
    assert [m["id"] for m in result["members"]] == [m["id"] for m in scenario["members"]]
    for m in result["members"]:
        assert set(m) >= {"id", "total", "grade", "stars", "vetoed", "components", "actions"}
    assert isinstance(result["checks"], list)


def test_worked_example_output_matches_scenarios_md():
    result = simulate(ROOT / "docs" / "scenarios" / "chunhe-street-worked-example.json")
    [m] = result["members"]
    assert (m["total"], m["grade"], m["stars"], m["vetoed"], m["actions"]) == (71.2, "合格", None, False, [])
    assert m["components"] == {"base": 38, "bonus": 18, "deduction": 4, "appraisal": 96.0}


def test_worked_example_prints_numbers_as_in_the_contract():
    out = StringIO()
    call_command("simulate", str(ROOT / "docs" / "scenarios" / "chunhe-street-worked-example.json"),
                 "--compact", stdout=out)
    text = out.getvalue()
    assert '"components": {"base": 38, "bonus": 18, "deduction": 4, "appraisal": 96.0}' in text
    assert '"total": 71.2' in text and '"grade": "合格"' in text


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_examples_fail_naming_the_field(path):
    with pytest.raises(CommandError) as caught:
        simulate(path)
    assert "scheme.grades.bands[0]" in str(caught.value) and "80–90" in str(caught.value)


def test_exit_status_and_stderr_from_the_shell(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({
        "scheme": "chunhe-street", "cycle": {"start": "2025-01-01", "end": "2025-12-31"},
        "members": [{"id": "m1"}],
        "events": [{"member": "m1", "date": "2025-03-01", "component": "bonnus", "points": 1}],
    }), encoding="utf-8")
    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), "simulate", str(bad)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode != 0
    assert done.stdout == ""
    assert "events[0].component" in done.stderr


def test_unreadable_and_malformed_files(tmp_path):
    with pytest.raises(CommandError, match="无法读取"):
        call_command("simulate", str(tmp_path / "missing.json"), stdout=StringIO())
    broken = tmp_path / "broken.json"
    broken.write_text('{"scheme": "chunhe-street",\n "cycle": }', encoding="utf-8")
    with pytest.raises(CommandError, match="第 2 行"):
        call_command("simulate", str(broken), stdout=StringIO())
