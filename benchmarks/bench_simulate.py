"""Benchmark: ``simulate`` on 30,000 members × 60 events.

Usage::

    .venv/bin/python benchmarks/bench_simulate.py                 # chunhe-street and chengde-pioneer-index
    .venv/bin/python benchmarks/bench_simulate.py --members 1000 --presets dongtang-categories
    .venv/bin/python benchmarks/bench_simulate.py --tracemalloc   # Python-level peak (slower)

The scenario is generated, serialised to JSON text and then run exactly the way
``manage.py simulate`` runs it: ``json.loads(..., parse_float=Decimal)``,
``scoring_engine.simulate``, ``json.dumps``. Generation is not timed. Peak memory is the
process's maximum resident set size (``resource.ru_maxrss``), which includes the
scenario text and its parsed form; ``--tracemalloc`` adds the peak of Python
allocations during the timed part.
"""
import argparse
import json
import random
import resource
import sys
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import scoring_engine  # noqa: E402

# Per preset: components that take events, with the range of points, and how to appraise.
SHAPES = {
    # (component, lowest points, highest points, relative frequency)
    "chunhe-street": {"components": [("base", 1, 3, 9), ("bonus", 1, 3, 8), ("deduction", 1, 3, 1)],
                      "appraisal": "votes"},
    "chengde-pioneer-index": {"components": [("daily", 1, 1, 2), ("penalty", 1, 1, 1), ("reward", 1, 2, 5)],
                              "appraisal": "score"},
    "dongtang-categories": {"components": [("daily", 1, 2, 3), ("extra", 1, 3, 1)], "appraisal": "votes"},
    "hongjiang-township": {"components": [("positive", 1, 3, 3), ("negative", 1, 3, 1)], "appraisal": None},
}


def generate(preset, members, events_per_member, seed=2025):
    rng = random.Random(seed)
    shape = SHAPES[preset]
    start = date(2025, 1, 1)
    days = [(start + timedelta(days=n)).isoformat() for n in range(365)]
    choices = [(name, low, high) for name, low, high, weight in shape["components"] for _ in range(weight)]
    roster, events, appraisal = [], [], {}
    for i in range(members):
        member_id = f"m{i:05d}"
        roster.append({"id": member_id, "name": f"党员{i}", "branch": f"b{i // 40:04d}", "probationary": i % 50 == 0})
        for _ in range(events_per_member):
            name, low, high = rng.choice(choices)
            events.append({"member": member_id, "date": rng.choice(days), "component": name,
                           "points": rng.randint(low, high)})
        if shape["appraisal"] == "votes":
            appraisal[member_id] = {"votes": {"优秀": rng.randint(0, 12), "良好": rng.randint(1, 8),
                                              "合格": rng.randint(0, 3), "差": rng.randint(0, 1)}}
        elif shape["appraisal"] == "score":
            appraisal[member_id] = {"score": rng.randint(55, 100)}
    scenario = {"scheme": preset, "cycle": {"start": "2025-01-01", "end": "2025-12-31"}, "members": roster,
                "events": events}
    if appraisal:
        scenario["appraisal"] = appraisal
    return json.dumps(scenario, ensure_ascii=False)


def run(text):
    """The command's path; returns the output text and the seconds spent in each phase."""
    t0 = time.perf_counter()
    data = json.loads(text, parse_float=Decimal)
    t1 = time.perf_counter()
    result = scoring_engine.simulate(data)
    t2 = time.perf_counter()
    output = json.dumps(result, ensure_ascii=False)
    t3 = time.perf_counter()
    return output, (t1 - t0, t2 - t1, t3 - t2)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=30_000)
    parser.add_argument("--events", type=int, default=60, help="events per member")
    parser.add_argument("--presets", nargs="+", default=["chunhe-street", "chengde-pioneer-index"],
                        choices=sorted(SHAPES))
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args(argv)

    for preset in args.presets:
        text = generate(preset, args.members, args.events)
        if args.tracemalloc:
            tracemalloc.start()
        began = time.perf_counter()
        output, phases = run(text)
        seconds = time.perf_counter() - began
        traced = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
        if args.tracemalloc:
            tracemalloc.stop()
        result = json.loads(output)
        grades = {}
        for m in result["members"]:
            grades[m["grade"]] = grades.get(m["grade"], 0) + 1
        maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{preset}: {args.members} members × {args.events} events = {args.members * args.events} events")
        print(f"  seconds        {seconds:.2f} (JSON parse {phases[0]:.2f}, engine {phases[1]:.2f}, "
              f"JSON output {phases[2]:.2f})")
        print(f"  members/s      {args.members / seconds:,.0f}")
        print(f"  events/s       {args.members * args.events / seconds:,.0f}")
        print(f"  peak RSS       {maxrss_mb:,.0f} MiB (process so far)")
        if traced is not None:
            print(f"  tracemalloc    {traced / 2**20:,.0f} MiB peak during the run")
        print(f"  input JSON     {len(text) / 2**20:,.1f} MiB; grades {dict(sorted(grades.items(), key=str))}; "
              f"checks {len(result['checks'])}")
        del text, output, result


if __name__ == "__main__":
    main()
