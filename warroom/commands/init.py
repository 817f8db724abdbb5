"""init: create or upgrade the schema, load reference data, and optionally demo data."""
from __future__ import annotations

import argparse
import sys
from datetime import date

from warroom import db, reference
from warroom.commands import OK, REFUSED
from warroom.config import resolve_db_path, today


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("init", help="create or upgrade the database; load reference (and demo) data")
    p.add_argument("--db", help="database file (default: $WARROOM_DB or data/warroom.duckdb)")
    p.add_argument("--demo", action="store_true", help="also load deterministic demo data")
    p.add_argument("--as-of", type=date.fromisoformat, default=None,
                   help="last day of the demo timeline (YYYY-MM-DD, default: today in the city)")
    p.add_argument("--scale", type=int, default=1,
                   help="demo size multiplier for benchmarks (1 = the 169 official codes only)")
    p.add_argument("--seed", type=int, default=7371, help="random seed of the demo data")
    p.add_argument("--force", action="store_true", help="allow --demo on a database holding real uploads")
    return p


def run(args) -> int:
    if args.scale < 1:
        print("--scale must be 1 or more", file=sys.stderr)
        return REFUSED
    if args.as_of and args.as_of > today():
        # Observation dates may not lie after today (data standard), demo or not.
        print(f"--as-of {args.as_of} is after today ({today()} in the city's time zone)", file=sys.stderr)
        return REFUSED
    path = resolve_db_path(args.db)
    con = db.open_store(path, create=True)
    try:
        loaded = reference.load_reference(con)
        print(f"{path}: schema v{db.get_meta(con, 'schema_version')}; reference "
              + ", ".join(f"{k} {'loaded' if v else 'unchanged'}" for k, v in loaded.items()))
        for line in reference.population_warnings():
            print(line, file=sys.stderr)
        if args.demo:
            from warroom import demo
            if args.scale > demo.covid.MAX_SCALE:
                print(f"--scale must be at most {demo.covid.MAX_SCALE}", file=sys.stderr)
                return REFUSED
            real = demo.real_upload_count(con)
            if real and not args.force:
                print(f"refused: the database holds {real} real uploads; --demo would mix demo data "
                      "into them. Use --force to do it anyway.", file=sys.stderr)
                return REFUSED
            version = db.data_version(con)
            summary = demo.load_demo(con, as_of=args.as_of or today(), scale=args.scale, seed=args.seed)
            kept = " (unchanged)" if db.data_version(con) == version else ""
            print(f"demo{kept}: " + ", ".join(f"{k} {v:,}" for k, v in summary.items()))
        from warroom import covid
        if covid.ensure_daily(con):  # so the first page view does not wait for it
            print("covid: per-area daily table built")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return OK
