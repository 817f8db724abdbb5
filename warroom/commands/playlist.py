"""playlist: save, list or delete named wall settings (opened on a wall as /layar?playlist=NAME)."""
from __future__ import annotations

import argparse
import sys

from warroom import db, wall
from warroom.commands import OK, REFUSED
from warroom.config import resolve_db_path


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("playlist", help="save, list or delete wall playlists (/layar?playlist=NAME)")
    p.add_argument("--db", help="database file (default: $WARROOM_DB or data/warroom.duckdb)")
    p.add_argument("--as", dest="actor", default="cli", help="who is saving (recorded in the audit log)")
    p.add_argument("action", choices=("save", "list", "delete"))
    p.add_argument("name", nargs="?", help="playlist name: lower-case letters, digits, - and _")
    p.add_argument("query", nargs="?", help='URL parameters, e.g. "panels=ringkasan,peta&rotate=30&lang=id"')
    return p


def run(args) -> int:
    if args.action in ("save", "delete") and not args.name:
        print(f"playlist {args.action}: a NAME is needed", file=sys.stderr)
        return REFUSED
    if args.action == "save" and args.query is None:
        print('playlist save: the URL parameters are needed, e.g. "panels=ringkasan,peta&rotate=30"',
              file=sys.stderr)
        return REFUSED
    con = db.open_store(resolve_db_path(args.db))
    try:
        if args.action == "list":
            for name, query in wall.playlists(con).items():
                print(f"{name}\t/layar?embed=true&playlist={name}\t{query}")
            return OK
        if args.action == "delete":
            if not wall.delete_playlist(con, args.name, args.actor):
                print(f"no playlist named {args.name!r}", file=sys.stderr)
                return REFUSED
            print(f"deleted playlist {args.name}")
            return OK
        try:
            saved = wall.save_playlist(con, args.name, args.query, args.actor)
        except wall.PlaylistRefused as exc:
            print(f"refused, nothing saved: {wall.problem_text(exc, 'en')}", file=sys.stderr)
            return REFUSED
        print(f"saved playlist {saved.playlist}: {saved.query_string()}\n"
              f"open it on a wall: /layar?embed=true&playlist={saved.playlist}")
        return OK
    finally:
        con.close()
