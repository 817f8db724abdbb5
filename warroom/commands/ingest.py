"""ingest: validate a file against the data standard and load it, all or nothing.

Exit 0 accepted, 1 refused (every problem printed; only the upload log records it),
2 usage error, 3 database unavailable. While the app runs it holds the database: the
file is then handed to the app (warroom.handoff) and its verdict printed the same way.
"""
from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from warroom import datasets, db, handoff, profile
from warroom.commands import OK, REFUSED, UNAVAILABLE, USAGE
from warroom.config import resolve_db_path

PROGRESS_BYTES = 5_000_000   # the bar from about 100,000 rows of a typical file (counting lines cost 0.03 s)


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("ingest", help="validate and load a CSV/XLSX file of a dataset (all or nothing)")
    p.add_argument("dataset", help=f"one of: {', '.join(datasets.ALL)}")
    p.add_argument("file", help="CSV (UTF-8, UTF-16, Windows-1252; , ; or tab) or .xlsx")
    p.add_argument("--opd", required=True, help="sending OPD code, e.g. DINKES")
    p.add_argument("--map", dest="mapping", help="JSON mapping file: {source header: standard column} or "
                   "{\"columns\": ..., \"skip_rows_where\": ..., ...} (docs/mapping.md)")
    p.add_argument("--set", dest="constants", action="append", metavar="FIELD=VALUE", default=[],
                   help="a value for every row, e.g. --set tanggal=2021-03-31 (repeatable; overrides the mapping's)")
    p.add_argument("--user", default=None, help="who sends it (default: cli:<login>)")
    p.add_argument("--dry-run", action="store_true", help="check only; store nothing, log nothing")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--lang", default="id", choices=("id", "en"), help="language of the report")
    p.add_argument("--db", help="database file (default: $WARROOM_DB or data/warroom.duckdb)")
    p.add_argument("--progress", action="store_true", help="show the progress bar whatever the size")
    return p


def _bar(done: int, total: int) -> None:
    width = 30
    filled = width * done // total
    sys.stderr.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def load_mapping(path: str) -> dict:
    """The mapping file's object, flat or full form (checked here so a typo is a usage error)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    from warroom.ingest import mapping as mapping_mod
    mapping_mod.parse(data)
    return data


def run(args) -> int:
    if args.dataset not in datasets.ALL:
        print(f"unknown dataset {args.dataset!r}; known: {', '.join(datasets.ALL)}", file=sys.stderr)
        return USAGE
    path = Path(args.file)
    if not path.is_file():
        print(f"file not found: {path}", file=sys.stderr)
        return USAGE
    try:
        mapping = load_mapping(args.mapping) if args.mapping else None
    except (OSError, ValueError) as exc:
        print(f"--map {args.mapping}: {exc}", file=sys.stderr)
        return USAGE
    try:
        from warroom.ingest import mapping as mapping_mod
        mapping = mapping_mod.with_constants(mapping, mapping_mod.parse_set(args.constants))
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return USAGE
    user = args.user or f"cli:{getpass.getuser()}"
    data = path.read_bytes()
    show = args.progress or len(data) > PROGRESS_BYTES
    db_path = resolve_db_path(args.db)
    try:
        con = db.open_store(db_path)
    except db.DatabaseUnavailable as exc:
        if exc.reason != "locked":
            raise
        try:
            answer = handoff.send_ingest(db_path, args.dataset, data, file_name=path.name, kode_opd=args.opd,
                                         username=user, mapping=mapping, dry_run=args.dry_run, lang=args.lang)
        except handoff.HandoffFailed as failed:
            print(f"{exc.message(args.lang)}\n{failed}\n{exc.hint(args.lang)}", file=sys.stderr)
            return UNAVAILABLE
        from warroom.ingest.report import IngestResult
        return _answer(IngestResult.from_dict(answer), args)
    profile.mark("start + open")
    try:
        from warroom.ingest import ingest_file
        result = ingest_file(con, args.dataset, data, kode_opd=args.opd, username=user, file_name=path.name,
                             mapping=mapping, dry_run=args.dry_run, lang=args.lang,
                             progress=_bar if show else None)
    finally:
        con.close()
        profile.mark("close")
    return _answer(result, args)


def _answer(result, args) -> int:
    if args.json:
        print(result.to_json())
    else:
        print(result.render_text())
    return OK if result.accepted else REFUSED
