"""``simulate_file`` reads a scenario as a stream and gives what the whole-file path gives (issue 16, target 6).

Tiny chunks cut every value (keys, strings, numbers, objects) at some chunk boundary, so a
value decoded before all of it was read would show up as a different result.
"""
import io
import json
import random
from decimal import Decimal
from pathlib import Path

import pytest

from scoring_engine import SchemeError, simulate, simulate_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p for p in (ROOT / "docs" / "scenarios").glob("*.json") if not p.name.startswith("invalid-"))


def whole(text):
    """The old path: the whole text, then the whole document."""
    return simulate(json.loads(text, parse_float=Decimal))


def generated(members=40, events=25, seed=7, events_first=False):
    """A chunhe-street scenario with one event per line, points whole and decimal, some negative."""
    rng = random.Random(seed)
    roster = [{"id": f"m{i}", "name": f"党员{i}", "branch": f"b{i % 3}", "probationary": i % 7 == 0}
              for i in range(members)]
    lines = []
    for i in range(members):
        for _ in range(events):
            component = rng.choice(["base", "bonus", "deduction"])
            points = rng.choice([1, 2, 3, "0.5", "1.25", 12]) if component != "deduction" else rng.choice([1, 2, "0.5"])
            lines.append(json.dumps({"member": f"m{i}", "date": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                                     "component": component, "points": points}).replace('"0.5"', "0.5")
                         .replace('"1.25"', "1.25"))
    appraisal = {f"m{i}": {"votes": {"优秀": rng.randint(0, 9), "良好": rng.randint(1, 5)}} for i in range(members)}
    head = ['"scheme": "chunhe-street"', '"cycle": {"start": "2025-01-01", "end": "2025-12-31"}',
            f'"members": {json.dumps(roster, ensure_ascii=False)}']
    events_text = '"events": [\n' + ",\n".join(lines) + "\n]"
    tail = [f'"appraisal": {json.dumps(appraisal, ensure_ascii=False)}']
    parts = [events_text, *head, *tail] if events_first else [*head, events_text, *tail]
    return "{\n" + ",\n".join(parts) + "\n}\n"


class Unseekable(io.StringIO):
    def seekable(self):
        return False


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
def test_the_stream_gives_the_whole_file_result_on_a_generated_scenario(chunk):
    text = generated()
    assert simulate_file(io.StringIO(text), chunk=chunk) == whole(text)


@pytest.mark.parametrize("handle", [io.StringIO, Unseekable], ids=["second-pass", "unseekable"])
def test_events_before_the_roster_still_give_the_same_result(handle):
    text = generated(events_first=True)
    assert text.startswith('{\n"events"')
    assert simulate_file(handle(text), chunk=16) == whole(text)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_shipped_example_gives_the_same_result(path):
    text = path.read_text(encoding="utf-8")
    assert simulate_file(io.StringIO(text), chunk=5) == whole(text)


def test_a_bad_event_is_named_with_its_index_and_its_line():
    text = generated(members=5, events=4)
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if '"member": "m3"' in line)
    lines[index] = lines[index].replace('"member": "m3"', '"member": "nobody"')
    event = index - (lines.index('"events": [') + 1)
    with pytest.raises(SchemeError) as caught:
        simulate_file(io.StringIO("\n".join(lines)), chunk=32)
    # The whole-file path names the same event and field; the stream adds the line of the file.
    assert caught.value.path == f"events[{event}].member"
    with pytest.raises(SchemeError) as expected:
        whole("\n".join(lines))
    assert caught.value.path == expected.value.path
    assert str(caught.value).startswith(str(expected.value))
    assert f"第 {index + 1} 行" in str(caught.value) and f"line {index + 1}）" in str(caught.value)


def test_a_syntax_error_in_the_events_is_placed_as_json_loads_places_it():
    text = generated(members=5, events=4)
    broken = text.replace('"points": 2}', '"points": 2,}', 1)
    assert broken != text
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(broken)
    with pytest.raises(json.JSONDecodeError) as caught:
        simulate_file(io.StringIO(broken), chunk=8)
    assert (caught.value.lineno, caught.value.colno, caught.value.pos, caught.value.msg) == (
        expected.value.lineno, expected.value.colno, expected.value.pos, expected.value.msg)


@pytest.mark.parametrize("broken", [
    '{"scheme": "chunhe-street",\n "cycle": }', '{"scheme" "chunhe-street"}', '{"scheme": 1 "cycle": 2}',
    '{"members": [1 2]}', '{"events": [1, 2', '{} x', '{"scheme": "chunhe-street",}', "",
])
def test_malformed_files_fail_as_json_loads_fails(broken):
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(broken)
    with pytest.raises(json.JSONDecodeError) as caught:
        simulate_file(io.StringIO(broken), chunk=3)
    assert (caught.value.lineno, caught.value.colno, caught.value.msg) == (
        expected.value.lineno, expected.value.colno, expected.value.msg)


def test_scenario_errors_outside_the_events_are_the_whole_file_paths():
    for scenario in ({"scheme": "chunhe-street", "cycle": {"start": "2025-01-01", "end": "2025-12-31"}},
                     {"scheme": "chunhe-street", "members": [], "cycle": {}, "colour": 1},
                     {"scheme": "chunhe-street", "cycle": {"start": "2025-01-01", "end": "2025-12-31"},
                      "members": [{"id": "m1"}], "events": {"not": "a list"}},
                     [1, 2]):
        text = json.dumps(scenario)
        with pytest.raises(SchemeError) as expected:
            whole(text)
        with pytest.raises(SchemeError) as caught:
            simulate_file(io.StringIO(text), chunk=4)
        assert (caught.value.path, caught.value.message) == (expected.value.path, expected.value.message)
