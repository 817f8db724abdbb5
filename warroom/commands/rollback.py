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
    user = args.user or f"cli:{getpass.getuser()}"
    path = resolve_db_path(args.db)
    try:
        con = db.open_store(path)
    except db.DatabaseUnavailable as exc:
        if exc.reason != "locked":
            raise
        return _by_app(path, args.upload_id, user, exc)
    try:
        summary = rollback_upload(con, args.upload_id, user)
    except RollbackRefused as exc:
        return _refused(args.upload_id, exc)
    finally:
        con.close()
    return _done(summary)


def _refused(upload_id: int, exc: RollbackRefused) -> int:
    if exc.reason == "later_uploads":
        ids = ", ".join(f"#{i}" for i in exc.later_upload_ids)
        print(f"refused: rows of upload #{upload_id} were later replaced by upload(s) {ids}; "
              f"roll those back first (newest first).", file=sys.stderr)
    elif exc.reason == "not_found":
        print(f"refused: no upload #{upload_id}", file=sys.stderr)
    else:
        print(f"refused: upload #{upload_id} is not an accepted upload (refused or rolled back already)",
              file=sys.stderr)
    return REFUSED


def _done(summary) -> int:
    print(f"rolled back upload #{summary.upload_id} ({summary.dataset}): {summary.rows_removed} rows removed, "
          f"{summary.rows_restored} restored")
    return OK


def _by_app(path, upload_id: int, user: str, exc) -> int:
    """The app holds the database: it rolls back (same engine) and answers."""
    import json

    from warroom.commands import UNAVAILABLE, ask_running_app
    from warroom.rollback import RollbackSummary
    body = ask_running_app(path, exc, "POST", f"/api/local/rollback/{upload_id}", {"user": user}, any_status=True)
    if body is None:
        return UNAVAILABLE
    answer = json.loads(body)
    if "refused" in answer:
        return _refused(upload_id, RollbackRefused(answer["refused"], answer["later_upload_ids"]))
    return _done(RollbackSummary(**answer))
