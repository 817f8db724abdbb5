"""restore: rebuild the database file from a backup directory (DuckDB IMPORT DATABASE)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from warroom import db
from warroom.commands import OK, REFUSED, USAGE
from warroom.config import resolve_db_path


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("restore", help="rebuild the database from a backup DIR (the old file is kept as .before-restore)")
    p.add_argument("dir")
    p.add_argument("--db", help="database file (default: $WARROOM_DB or data/warroom.duckdb)")
    p.add_argument("--force", action="store_true", help="replace an existing database file")
    return p


def run(args) -> int:
    source = Path(args.dir)
    if not (source / "schema.sql").is_file():
        print(f"{source} is not a backup (no schema.sql)", file=sys.stderr)
        return USAGE
    path = resolve_db_path(args.db)
    if path.exists() and not args.force:
        print(f"refused: {path} exists; use --force to replace it (it is kept as {path}.before-restore)",
              file=sys.stderr)
        return REFUSED
    tmp = Path(str(path) + ".restoring")
    for leftover in (tmp, Path(str(tmp) + ".wal")):
        if leftover.exists():
            leftover.unlink()
    con = db.connect(tmp, create=True)
    try:
        con.execute(f"IMPORT DATABASE '{str(source).replace(chr(39), chr(39) * 2)}'")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    # Check it opens as a store before putting it in place.
    db.open_store(tmp).close()
    if path.exists():
        if db_locked(path):
            tmp.unlink()
            raise db.DatabaseUnavailable("locked", path)
        os.replace(path, Path(str(path) + ".before-restore"))
        wal = Path(str(path) + ".wal")
        if wal.exists():
            os.replace(wal, Path(str(path) + ".before-restore.wal"))
    os.replace(tmp, path)
    print(f"restored {path} from {source}")
    return OK


def db_locked(path: Path) -> bool:
    try:
        db.connect(path, read_only=True).close()
        return False
    except db.DatabaseUnavailable as exc:
        return exc.reason == "locked"
