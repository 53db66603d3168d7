"""``manage.py simulate --workflow`` from the command line: output, refusals, exit status (issue 10, items 1, 6)."""
import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
WORKED = ROOT / "docs" / "scenarios" / "chunhe-street-worked-example.json"


def write(tmp_path, scenario):
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario, ensure_ascii=False), encoding="utf-8")
    return path


def resort(events):
    return {"scheme": "resort-rural", "cycle": {"start": "2025-01-01", "end": "2025-12-31"},
            "members": [{"id": "m1", "name": "张三"}], "events": events, "appraisal": {"m1": {"score": 90}}}


@pytest.mark.django_db
def test_the_worked_example_through_the_chain_prints_the_contracts_numbers():
    out = StringIO()
    call_command("simulate", str(WORKED), "--workflow", "--compact", stdout=out)
    text = out.getvalue()
    assert '"components": {"base": 38, "bonus": 18, "deduction": 4, "appraisal": 96.0}' in text
    assert '"total": 71.2' in text and '"grade": "合格"' in text


def test_simulate_refuses_a_contribution_outside_its_range_naming_the_event(tmp_path):
    """篇十六 度假区 l.1279 加5-10分: 12 exits non-zero, naming events[1], the item and its range."""
    path = write(tmp_path, resort([
        {"member": "m1", "date": "2025-03-01", "component": "contribution", "item": "public_welfare", "points": 8},
        {"member": "m1", "date": "2025-06-01", "component": "contribution", "item": "public_welfare", "points": 12}]))
    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), "simulate", str(path)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode != 0 and done.stdout == ""
    assert "events[1].points" in done.stderr and "参与义务劳动和公益活动" in done.stderr and "5 至 10" in done.stderr


@pytest.mark.django_db
def test_the_workflow_refuses_what_the_chain_refuses_naming_the_event(tmp_path):
    """An event the engine reads but the chain cannot declare (no listed item for 组织生活) names its index."""
    path = write(tmp_path, resort([
        {"member": "m1", "date": "2025-03-01", "component": "org_life", "points": 2}]))
    call_command("simulate", str(path), stdout=StringIO())  # the engine takes it
    with pytest.raises(CommandError) as caught:
        call_command("simulate", str(path), "--workflow", stdout=StringIO())
    assert "events[0]" in str(caught.value) and "org_life" in str(caught.value) and "缺席一次（absence）" in str(caught.value)


@pytest.mark.django_db
def test_the_workflow_refuses_an_invalid_scenario_as_simulate_does(tmp_path):
    path = write(tmp_path, resort([
        {"member": "m1", "date": "2025-03-01", "component": "contribution", "item": "practical_help", "points": 6}]))
    with pytest.raises(CommandError) as caught:
        call_command("simulate", str(path), "--workflow", stdout=StringIO())
    assert "events[0].points" in str(caught.value) and "3 至 5" in str(caught.value)


@pytest.mark.django_db
def test_history_needs_a_total_through_the_chain(tmp_path):
    scenario = json.loads(WORKED.read_text(encoding="utf-8"))
    scenario["history"] = {"m1": [{"cycle_start": "2024-01-01", "grade": "诫勉"}]}
    with pytest.raises(CommandError) as caught:
        call_command("simulate", str(write(tmp_path, scenario)), "--workflow", stdout=StringIO())
    assert "history.m1[0].total" in str(caught.value)


def test_the_engine_reads_the_file_as_a_stream_and_names_a_bad_events_line(tmp_path):
    """Issue 16 target 6: the engine-only path streams the events; a bad one is named by index and line."""
    scenario = resort([{"member": "m1", "date": "2025-03-01", "component": "contribution", "item": "public_welfare",
                        "points": 8}] * 3)
    scenario["events"][2] = dict(scenario["events"][2], date="2026-01-05")
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario, ensure_ascii=False).replace('{"member"', '\n{"member"'), encoding="utf-8")
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "2026-01-05" in text)
    with pytest.raises(CommandError) as caught:
        call_command("simulate", str(path), stdout=StringIO())
    assert "events[2].date" in str(caught.value) and "不在本周期" in str(caught.value)
    assert f"第 {line} 行" in str(caught.value)
    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), "simulate", "-", "--compact"],
                          input=json.dumps(resort(scenario["events"][:2])), capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and json.loads(done.stdout)["members"][0]["id"] == "m1"
