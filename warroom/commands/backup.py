"""backup: the whole database as Parquet files (DuckDB EXPORT DATABASE) in a directory."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from warroom import db
from warroom.commands import OK, REFUSED, UNAVAILABLE, ask_running_app
from warroom.config import resolve_db_path


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("backup", help="export the database to DIR (Parquet, DuckDB EXPORT DATABASE)")
    p.add_argument("dir")
    p.add_argument("--db", help="database file (default: $WARROOM_DB or data/warroom.duckdb)")
    return p


def run(args) -> int:
    target = Path(args.dir)
    if target.exists() and any(target.iterdir()):
        print(f"refused: {target} exists and is not empty", file=sys.stderr)
        return REFUSED
    path = resolve_db_path(args.db)
    try:
        con = db.connect(path, read_only=True)
    except db.DatabaseUnavailable as exc:
        if exc.reason != "locked":
            raise
        return _by_app(path, target, exc)
    try:
        con.execute(f"EXPORT DATABASE '{_quote(target)}' (FORMAT parquet)")
        version = db.data_version(con)
    finally:
        con.close()
    print(f"backup written to {target} (data version {version})")
    return OK


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _by_app(path, target: Path, exc) -> int:
    """The app holds the database: it writes the backup (same EXPORT DATABASE)."""
    import json
    body = ask_running_app(path, exc, "POST", "/api/local/backup", {"dir": str(target.resolve())})
    if body is None:
        return UNAVAILABLE
    answer = json.loads(body)
    print(f"backup written to {target} (data version {answer['data_version']}, by the running app)")
    return OK
