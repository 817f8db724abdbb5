"""One entry point for every benchmark: `python -m bench [--smoke] [--only NAME ...]`.

Each module bench/<name>.py exposes `run(smoke: bool) -> list[dict]` with rows
{benchmark, measure, ours, baseline, ratio, goal, note}; this prints them as one table.
Exit code 1 when a benchmark crashed (so the CI smoke run cannot rot), 0 otherwise:
missing a speed goal is reported in the table, not a failure.
"""
from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback

MODULES = ["ingest", "covid_queries", "map", "cctv", "load", "soak", "demo"]


def fmt(value) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="tiny sizes and durations (about a minute in all)")
    ap.add_argument("--only", nargs="*", default=None, help=f"subset of {MODULES}")
    args = ap.parse_args(argv)
    rows, crashed = [], []
    for name in args.only or MODULES:
        start = time.time()
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"bench.{name}":
                rows.append({"benchmark": name, "measure": "not available", "note": "module missing"})
                crashed.append(name)
                continue
            raise
        print(f"[bench] {name} ...", file=sys.stderr, flush=True)
        try:
            rows += module.run(smoke=args.smoke)
        except Exception:
            traceback.print_exc()
            crashed.append(name)
            rows.append({"benchmark": name, "measure": "CRASHED", "note": "see traceback above"})
        print(f"[bench] {name} done in {time.time() - start:.1f}s", file=sys.stderr, flush=True)
    cols = ["benchmark", "measure", "ours", "baseline", "ratio", "goal", "note"]
    table = [[fmt(r.get(c)) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in table)) if table else len(c) for i, c in enumerate(cols)]
    print(" | ".join(c.ljust(w) for c, w in zip(cols, widths)))
    print("-+-".join("-" * w for w in widths))
    for row in table:
        print(" | ".join(v.ljust(w) for v, w in zip(row, widths)))
    if crashed:
        print(f"crashed: {', '.join(crashed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
