"""backup: the whole database as Parquet files (DuckDB EXPORT DATABASE) in a directory."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from warroom import db
from warroom.commands import OK, REFUSED
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
    con = db.connect(resolve_db_path(args.db), read_only=True)
    try:
        con.execute(f"EXPORT DATABASE '{_quote(target)}' (FORMAT parquet)")
        version = db.data_version(con)
    finally:
        con.close()
    print(f"backup written to {target} (data version {version})")
    return OK


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
