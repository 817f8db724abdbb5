"""export: a dataset (or a derived export) as CSV, standard or Excel-Indonesia, to standard
output or a file: byte for byte the file of the page's download button (warroom.export_csv)."""
from __future__ import annotations

import argparse
import io
import sys

from warroom import db, exports
from warroom.commands import OK, UNAVAILABLE, USAGE, ask_running_app
from warroom.config import resolve_db_path


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("export", help="canonical CSV (UTF-8, comma, ISO dates) of a dataset or derived export")
    p.add_argument("name", help="dataset name (e.g. covid19_harian) or derived export (e.g. covid19_ppkm)")
    p.add_argument("--format", choices=("csv", "excel-id"), default="csv", dest="form",
                   help="csv: UTF-8, comma, dot decimal, LF (default); excel-id: UTF-8 with BOM, "
                        "semicolon, decimal comma, CRLF (Excel in Indonesian)")
    p.add_argument("--out", help="file to write (default: standard output)")
    p.add_argument("--db", help="database file (default: $WARROOM_DB or data/warroom.duckdb)")
    return p


def run(args) -> int:
    if args.name not in exports.names():
        print(f"unknown export {args.name!r}; known: {', '.join(exports.names())}", file=sys.stderr)
        return USAGE
    path = resolve_db_path(args.db)
    try:
        con = db.connect(path, read_only=True)
    except db.DatabaseUnavailable as exc:
        if exc.reason != "locked":
            raise
        return _from_app(path, args, exc)
    try:
        form = getattr(args, "form", "csv")
        if args.out:
            with open(args.out, "w", encoding="utf-8", newline="") as fh:
                n = exports.write_csv(con, args.name, fh, form)
            print(f"{args.out}: {n} rows", file=sys.stderr)
        else:
            try:
                # Bytes, not sys.stdout's text layer: its newline and encoding must not change the file.
                sys.stdout.flush()
                binary = getattr(sys.stdout, "buffer", None)
                if binary is None:
                    exports.write_csv(con, args.name, sys.stdout, form)
                else:
                    wrapper = io.TextIOWrapper(binary, encoding="utf-8", newline="", write_through=True)
                    exports.write_csv(con, args.name, wrapper, form)
                    wrapper.flush()
                    wrapper.detach()
            except BrokenPipeError:   # `export ... | head`: the reader has had enough
                import os
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    finally:
        con.close()
    return OK


def _from_app(path, args, exc) -> int:
    """The app holds the database: it writes the same CSV for us."""
    body = ask_running_app(path, exc, "GET", f"/api/local/export/{args.name}",
                           {"format": getattr(args, "form", "csv")})
    if body is None:
        return UNAVAILABLE
    if args.out:
        with open(args.out, "wb") as fh:
            fh.write(body)
        rows = max(body.count(b"\n") - 1, 0)
        print(f"{args.out}: {rows} rows", file=sys.stderr)
    else:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
    return OK
