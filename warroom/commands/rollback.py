"""rollback: remove an upload's rows and restore what it replaced."""
from __future__ import annotations

import argparse
import getpass
import sys

from warroom import db
from warroom.commands import OK, REFUSED
from warroom.config import resolve_db_path
from warroom.rollback import RollbackRefused, rollback_upload


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("rollback", help="roll back an upload as a whole (refused while later uploads replaced its rows)")
    p.add_argument("upload_id", type=int)
    p.add_argument("--user", default=None, help="who rolls back (default: cli:<login>)")
    p.add_argument("--db", help="database file (default: $WARROOM_DB or data/warroom.duckdb)")
    return p


def run(args) -> int:
    con = db.open_store(resolve_db_path(args.db))
    try:
        summary = rollback_upload(con, args.upload_id, args.user or f"cli:{getpass.getuser()}")
    except RollbackRefused as exc:
        if exc.reason == "later_uploads":
            ids = ", ".join(f"#{i}" for i in exc.later_upload_ids)
            print(f"refused: rows of upload #{args.upload_id} were later replaced by upload(s) {ids}; "
                  f"roll those back first (newest first).", file=sys.stderr)
        elif exc.reason == "not_found":
            print(f"refused: no upload #{args.upload_id}", file=sys.stderr)
        else:
            print(f"refused: upload #{args.upload_id} is not an accepted upload (refused or rolled back already)",
                  file=sys.stderr)
        return REFUSED
    finally:
        con.close()
    print(f"rolled back upload #{summary.upload_id} ({summary.dataset}): {summary.rows_removed} rows removed, "
          f"{summary.rows_restored} restored")
    return OK
