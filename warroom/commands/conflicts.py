"""conflicts: list open conflicts between senders, or resolve one (walidata)."""
from __future__ import annotations

import argparse
import getpass
import json
import sys

from warroom import conflicts, db
from warroom.commands import OK, REFUSED
from warroom.config import resolve_db_path


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("conflicts", help="list open conflicts; --resolve KEY --reason TEXT marks one resolved")
    p.add_argument("--dataset", help="only this dataset")
    p.add_argument("--resolve", metavar="KEY", help="conflict key to mark resolved")
    p.add_argument("--reason", help="why (required with --resolve)")
    p.add_argument("--user", default=None, help="who resolves (default: cli:<login>)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--db", help="database file (default: $WARROOM_DB or data/warroom.duckdb)")
    return p


def run(args) -> int:
    if args.resolve:
        con = db.open_store(resolve_db_path(args.db))
        try:
            rid = conflicts.resolve(con, args.resolve, args.user or f"cli:{getpass.getuser()}", args.reason or "")
        except (KeyError, ValueError) as exc:
            print(f"refused: {exc}", file=sys.stderr)
            return REFUSED
        finally:
            con.close()
        print(f"resolved ({rid}): {args.resolve}")
        return OK
    con = db.connect(resolve_db_path(args.db), read_only=True)
    try:
        rows = conflicts.open_conflicts(con, args.dataset)
    finally:
        con.close()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, default=str))
        return OK
    print(f"{len(rows)} open conflicts")
    for c in rows:
        print(f"- {c['dataset']} {c['kunci']} {c['kolom']}: {c['sumber_opd']} {c['nilai']} ({c['asal']}) vs "
              f"{c['sumber_resmi']} {c['nilai_resmi']} ({c['asal_resmi']}); uploads {c['uploads']}\n"
              f"  key: {c['conflict_key']}")
    return OK
