"""Run every ``bench/bench_*.py`` against one database and print the tables.

    python bench/run_all.py --db <db> [--preset ci|full] [--size N] [--only orders,kpi]

Presets: ``ci`` (default) gives each benchmark a small ``--size`` (and the
benchmark's other volume options, e.g. ``--sweep-size`` of the orders
benchmark) so the whole run takes a few minutes; ``full`` passes nothing so
each benchmark uses its own defaults, the full volumes (1,000,000
orders, 100,000 swept, 50,000 tools, 200,000 certifications, 100,000
complaints and corrective actions, 2,000 technicians assessed, ...).
``--size`` forces one size for all (the extra options of the preset stay).
Exits non-zero when a benchmark fails (non-zero exit or time-out).
"""

import argparse
import glob
import os
import subprocess
import sys
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCH_DIR)

from common import format_table, parse_rows  # noqa: E402

# Per benchmark area (``*`` for any other area): ``size`` is passed as
# ``--size``, ``args`` are extra command-line options of that benchmark.
PRESETS = {
    "ci": {
        "orders": {"size": 5_000, "args": ["--sweep-size", "5000"]},
        "kpi": {"size": 5_000},
        "equipment": {"size": 1_000},
        "retention": {"size": 2_000},
        "training": {"size": 2_000},
        "quality": {"size": 1_000},
        "equipment_jobs": {"size": 500},
        "training_jobs": {"size": 50},
        "parts": {"size": 500},
        "service_sale": {"size": 200},
        "notifications": {"size": 100},
        "contract": {"size": 200, "args": ["--per-contract", "50"]},
        "*": {"size": 1_000},
    },
    "full": {},
}


def preset_options(preset, area, size=None):
    """Command-line options of benchmark ``area`` for ``preset``; ``size``
    overrides the preset's ``--size``."""
    areas = PRESETS[preset]
    options = areas.get(area, areas.get("*", {}))
    size = size or options.get("size")
    return (["--size", str(size)] if size else []) + list(options.get("args", []))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--preset", choices=sorted(PRESETS), default="ci")
    parser.add_argument("--size", type=int, help="one --size for every benchmark")
    parser.add_argument("--only", help="comma-separated areas, e.g. orders,kpi")
    parser.add_argument(
        "--timeout", type=int, default=4 * 3600, help="seconds allowed per benchmark"
    )
    args = parser.parse_args(argv)

    scripts = sorted(glob.glob(os.path.join(BENCH_DIR, "bench_*.py")))
    if args.only:
        wanted = {a.strip() for a in args.only.split(",")}
        scripts = [s for s in scripts if _area(s) in wanted]
    if not scripts:
        print("No bench/bench_*.py to run.", file=sys.stderr)
        return 1

    all_rows, failures = [], []
    for script in scripts:
        area = _area(script)
        cmd = [sys.executable, script, "--db", args.db]
        cmd += preset_options(args.preset, area, args.size)
        print(f"\n==> {area}: {' '.join(cmd[1:])}", flush=True)
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                cmd, capture_output=True, text=True, timeout=args.timeout, check=False
            )
        except subprocess.TimeoutExpired:
            failures.append(f"{area}: timed out after {args.timeout}s")
            continue
        elapsed = time.perf_counter() - start
        human = [line for line in proc.stdout.splitlines() if not line.startswith("BENCH-ROW")]
        print("\n".join(human))
        rows = parse_rows(proc.stdout)
        if proc.returncode != 0:
            print(proc.stderr[-4000:], file=sys.stderr)
            failures.append(f"{area}: exit code {proc.returncode} after {elapsed:.0f}s")
        elif not rows:
            # A benchmark that prints its own table without bench/common.py:
            # its table is above, it just does not appear in the summary.
            print(f"({area}: no BENCH-ROW line, left out of the summary)")
        all_rows.extend((f"{area}: {title}", row) for title, row in rows)

    if all_rows:
        summary = []
        for title, row in all_rows:
            row.operation = f"{title.split(':')[0]} / {row.operation}"
            summary.append(row)
        print()
        print(format_table(f"All benchmarks (preset {args.preset})", summary))
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    print(f"\n{len(scripts)} benchmark(s) ran, {len(all_rows)} figure(s).")
    return 0


def _area(script):
    return os.path.basename(script)[len("bench_") : -len(".py")]


if __name__ == "__main__":
    sys.exit(main())
