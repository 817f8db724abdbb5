"""alerts: evaluate every rule now (`check`, read-only, nothing sent) or list the history."""
from __future__ import annotations

import argparse
import json
import sys

from warroom import db
from warroom.commands import OK, REFUSED, UNAVAILABLE, ask_running_app
from warroom.config import resolve_db_path


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("alerts", help="evaluate the alert rules now (check) or list past alerts (history)")
    p.add_argument("action", choices=("check", "history"))
    p.add_argument("--json", action="store_true", help="JSON lines (rule, severity, object, value, threshold, since)")
    p.add_argument("--db", help="database file (default: $WARROOM_DB or data/warroom.duckdb)")
    p.add_argument("--limit", type=int, default=100, help="history: at most this many alerts (newest first)")
    p.add_argument("--rule", help="history: only this rule")
    p.add_argument("--state", choices=("firing", "resolved"), help="history: only this state")
    p.add_argument("--lang", choices=("id", "en"), default="id")
    return p


def run(args) -> int:
    from warroom.alerts import rules, service, store
    path = resolve_db_path(args.db)
    try:
        config = rules.load_config() if args.action == "check" else None
    except rules.AlertsConfigError as exc:
        print(exc.text(args.lang), file=sys.stderr)
        return REFUSED
    try:
        con = db.connect(path, read_only=True)
    except db.DatabaseUnavailable as exc:
        if exc.reason != "locked":
            raise
        return _from_app(path, args, exc)
    try:
        if args.action == "check":
            assert config is not None   # loaded above for "check"
            rows = service.check(con, config, read_only=True)
        else:
            rows = store.history(con, limit=args.limit, rule=args.rule, state=args.state)
    finally:
        con.close()
    _print(rows, args)
    return OK


def _from_app(path, args, exc) -> int:
    """The app holds the database: it evaluates (or reads the history) for us."""
    params = {"lang": args.lang}
    if args.action == "history":
        params.update({"limit": args.limit, **({"rule": args.rule} if args.rule else {}),
                       **({"state": args.state} if args.state else {})})
    body = ask_running_app(path, exc, "GET", f"/api/local/alerts/{args.action}", params)
    if body is None:
        return UNAVAILABLE
    rows = [json.loads(line) for line in body.decode("utf-8").splitlines() if line.strip()]
    _print(rows, args)
    return OK


def _print(rows: list[dict], args) -> None:
    try:
        _write(rows, args, sys.stdout)
    except BrokenPipeError:   # `alerts check | head`: the reader has had enough
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _write(rows: list[dict], args, out) -> None:
    for r in rows:
        if args.json:
            out.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
        elif args.action == "check":
            out.write(f"{r['severity']}\t{r['rule']}\t{r['object']}\t{r['label']}\t"
                      f"value={_plain(r['value'])}\tthreshold={_plain(r['threshold'])}\tsince={r['since']}\n")
        else:
            out.write(f"#{r['alert_id']}\t{r['state']}\t{r['severity']}\t{r['rule']}\t{r['object']}\t"
                      f"{r['label']}\tvalue={_plain(r['value'])}\tthreshold={_plain(r['threshold'])}\t"
                      f"since={_iso(r['started_at'])}\tuntil={_iso(r['ended_at'])}"
                      + (f"\tacked={r['acked_by']}" if r.get("acked_by") else "") + "\n")
    out.flush()


def _plain(value) -> str:
    return "" if value is None else str(value)


def _iso(value) -> str:
    return "" if value is None else (value.isoformat() if hasattr(value, "isoformat") else str(value))
