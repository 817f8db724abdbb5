"""tokens: per-OPD API tokens for POST /api/ingest/{dataset} (agencies' own systems)."""
from __future__ import annotations

import argparse
import sys

from warroom import db, handoff
from warroom.commands import OK, REFUSED
from warroom.config import city, resolve_db_path


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("tokens", help="API tokens for the upload endpoint: add (printed once), list, revoke")
    p.add_argument("action", choices=("add", "list", "revoke"))
    p.add_argument("--opd", help="OPD code (add)")
    p.add_argument("--label", help="what the token is for (add)")
    p.add_argument("--walidata", action="store_true",
                   help="(add) the token may send on behalf of other senders (sumber_opd), like a "
                        "signed-in walidata admin; without it a token has its OPD staff's rights")
    p.add_argument("--hash", help="start of the token's sha256 (revoke), as listed")
    p.add_argument("--db", help="database file (default: $WARROOM_DB or data/warroom.duckdb)")
    return p


def run(args) -> int:
    con = db.open_store(resolve_db_path(args.db))
    try:
        if args.action == "add":
            if not args.opd:
                print("--opd is required", file=sys.stderr)
                return REFUSED
            try:
                token = handoff.create_token(con, args.opd.upper(), args.label, walidata=args.walidata)
            except KeyError as exc:
                print(f"refused: {exc}", file=sys.stderr)
                return REFUSED
            print(token)
            print("(shown once: only its sha256 is stored)", file=sys.stderr)
        elif args.action == "list":
            rows = con.execute("SELECT token_sha256, kode_opd, label, created_at, revoked, coalesce(walidata, FALSE) "
                               "FROM api_tokens ORDER BY created_at, kode_opd, token_sha256").fetchall()
            for h, opd, label, created, revoked, walidata in rows:
                day = created.astimezone(city().tz) if created.tzinfo else created   # the city's calendar day
                print(f"{h[:12]}  {opd:<13} {'revoked' if revoked else 'active ':<7}  {day:%Y-%m-%d}  "
                      f"{'walidata' if walidata else 'opd':<8}  {label or ''}")
        else:
            if not args.hash or len(args.hash) < 8:
                print("--hash (at least 8 characters) is required", file=sys.stderr)
                return REFUSED
            print(f"revoked {handoff.revoke_token(con, args.hash)} token(s)")
    finally:
        con.close()
    return OK
