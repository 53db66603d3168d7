"""Benchmark: peak memory of ``manage.py simulate`` against the size of its input (issue 16, target 6).

Usage::

    .venv/bin/python benchmarks/bench_simulate_memory.py                   # 30,000 members × 60 events
    .venv/bin/python benchmarks/bench_simulate_memory.py --events 20        # a smaller file
    .venv/bin/python benchmarks/bench_simulate_memory.py --keep /tmp/s.json # keep the generated file

A scenario (``../shared/SCENARIOS.md``, the command's only input format) is written to a
temporary file piece by piece, so this process never holds it: ``--members`` members with
votes, ``--events`` events each, ``chunhe-street`` by default. Then ``manage.py simulate FILE
--compact`` runs in a child process with its output thrown away, and the child's peak
resident set size (``ru_maxrss`` from ``os.wait4``, i.e. VmHWM) is read. The same is done
for the smallest scenario (one member, one event): the interpreter, Django and the engine
with nothing to read, printed as ``baseline_process_mib``. One line::

    simulate_memory product=<peak MiB> baseline=<input MiB> ratio=<peak/input> baseline_process_mib=<MiB> ...

The target is ``ratio`` at most 3 at a size where the input dominates the process (the
default is ~100 MiB of JSON). The line also gives ``ratio_above_process`` = (peak − process
baseline) / input: the memory the input itself costs.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIB = 2 ** 20

# (component, lowest points, highest points, relative frequency), as bench_simulate.py.
SHAPES = {
    "chunhe-street": [("base", 1, 3, 9), ("bonus", 1, 3, 8), ("deduction", 1, 3, 1)],
    "chengde-pioneer-index": [("daily", 1, 1, 2), ("penalty", 1, 1, 1), ("reward", 1, 2, 5)],
}


def write_scenario(handle, preset, members, events_per_member, seed=2025):
    """Write the scenario as indented JSON (one event per line, as people keep such files)."""
    rng = random.Random(seed)
    start = date(2025, 1, 1)
    days = [(start + timedelta(days=n)).isoformat() for n in range(365)]
    choices = [(name, low, high) for name, low, high, weight in SHAPES[preset] for _ in range(weight)]
    dump = json.dumps
    handle.write('{\n"scheme": %s,\n"cycle": {"start": "2025-01-01", "end": "2025-12-31"},\n"members": [\n'
                 % dump(preset))
    for i in range(members):
        member = {"id": f"m{i:05d}", "name": f"党员{i}", "branch": f"b{i // 40:04d}", "probationary": i % 50 == 0}
        handle.write(("  " if i == 0 else ", ") + dump(member, ensure_ascii=False) + "\n")
    handle.write('],\n"events": [\n')
    first = True
    for i in range(members):
        member_id = f"m{i:05d}"
        lines = []
        for _ in range(events_per_member):
            name, low, high = rng.choice(choices)
            lines.append(dump({"member": member_id, "date": rng.choice(days), "component": name,
                               "points": rng.randint(low, high)}))
        if lines:
            handle.write(("  " if first else ", ") + "\n, ".join(lines) + "\n")
            first = False
    handle.write('],\n"appraisal": {\n')
    for i in range(members):
        votes = {"优秀": rng.randint(0, 12), "良好": rng.randint(1, 8), "合格": rng.randint(0, 3), "差": rng.randint(0, 1)}
        handle.write(("  " if i == 0 else ", ") + f'"m{i:05d}": ' + dump({"votes": votes}, ensure_ascii=False) + "\n")
    handle.write("}\n}\n")


def peak_of_simulate(path):
    """Run ``manage.py simulate PATH --compact`` in a child; its peak RSS in MiB and its seconds."""
    began = time.perf_counter()
    child = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "simulate", str(path), "--compact"],
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = child.stderr.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"simulate failed ({child.returncode}): {stderr.decode(errors='replace')}")
    return usage.ru_maxrss / 1024, time.perf_counter() - began   # ru_maxrss is in KiB on Linux


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=30_000)
    parser.add_argument("--events", type=int, default=60, help="events per member")
    parser.add_argument("--preset", default="chunhe-street", choices=sorted(SHAPES))
    parser.add_argument("--keep", help="write the scenario here and keep it")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(args.keep) if args.keep else Path(folder) / "scenario.json"
        with open(path, "w", encoding="utf-8") as handle:
            write_scenario(handle, args.preset, args.members, args.events)
        tiny = Path(folder) / "tiny.json"
        with open(tiny, "w", encoding="utf-8") as handle:
            write_scenario(handle, args.preset, 1, 1)
        input_mib = path.stat().st_size / MIB
        process_mib, _ = peak_of_simulate(tiny)
        peak_mib, seconds = peak_of_simulate(path)
    print(f"# {args.preset}: {args.members} members × {args.events} events, input {input_mib:.1f} MiB, "
          f"simulate took {seconds:.1f} s")
    print(f"simulate_memory product={peak_mib:.1f} baseline={input_mib:.1f} ratio={peak_mib / input_mib:.2f} "
          f"baseline_process_mib={process_mib:.1f} "
          f"ratio_above_process={(peak_mib - process_mib) / input_mib:.2f}")


if __name__ == "__main__":
    main()
