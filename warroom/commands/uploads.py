"""uploads: the upload log, newest first."""
from __future__ import annotations

import argparse
import json

from warroom import db
from warroom.commands import OK
from warroom.config import city, resolve_db_path


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("uploads", help="list uploads (accepted, refused, rolled back), newest first")
    p.add_argument("--dataset", help="only this dataset")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--show", type=int, metavar="UPLOAD_ID", help="print one upload's report (JSON)")
    p.add_argument("--db", help="database file (default: $WARROOM_DB or data/warroom.duckdb)")
    return p


def run(args) -> int:
    con = db.connect(resolve_db_path(args.db), read_only=True)
    try:
        if args.show is not None:
            row = con.execute("SELECT report FROM uploads WHERE upload_id = ?", [args.show]).fetchone()
            if row is None:
                print(f"no upload #{args.show}")
                return 1
            print(json.dumps(json.loads(row[0] or "{}"), ensure_ascii=False, indent=1))
            return OK
        rows = db.query_rows(con, "uploads_recent", {"dataset": args.dataset, "limit": args.limit})
    finally:
        con.close()
    print(f"{'id':>5}  {'dataset':<15} {'opd':<13} {'status':<11} {'rows':>9} {'new':>9} {'upd':>7} {'same':>7}  "
          f"created_at                 user / file")
    tz = city().tz   # times in the city's zone, as everywhere else
    for (uid, ds, opd, user, created, fname, status, total, ins, upd, same, demo, rb_at, rb_by, _sha) in rows:
        created = created.astimezone(tz)
        extra = f"  (rolled back by {rb_by} {rb_at.astimezone(tz):%Y-%m-%d %H:%M})" if rb_at else ""
        print(f"{uid:>5}  {ds:<15} {opd:<13} {status + ('*' if demo else ''):<11} {total or 0:>9} {ins or 0:>9} "
              f"{upd or 0:>7} {same or 0:>7}  {created:%Y-%m-%d %H:%M:%S %z}  {user} / {fname or '-'}{extra}")
    return OK
