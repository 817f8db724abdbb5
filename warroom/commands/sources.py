"""sources: agencies' published files the war room pulls by itself (warroom.pull).

  sources add NAME --dataset D --opd O --url URL [--map FILE] [--set FIELD=VALUE]...
              [--every MINUTES | --daily HH:MM] [--format csv|xlsx|json] [--json-path PATH]
              [--header-env VAR]
  sources list | remove NAME | run NAME

`run` fetches once now and prints the verdict like `ingest`: exit 0 accepted or unchanged,
1 refused file, 3 fetch failed (network, HTTP status, refused address). `add`/`remove`:
0 done, 1 refused. While the app runs (it holds the database) each is handed to it.
The auth header is read from the environment variable --header-env names, at add time,
and is never printed.
"""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sys

from warroom import db
from warroom.commands import OK, REFUSED, UNAVAILABLE, USAGE
from warroom.config import resolve_db_path

MAX_MAP_BYTES = 1_000_000   # a mapping is a few lines; a bigger file is a mistake


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("sources", help="sources the app pulls by itself on a schedule (add, list, remove, run)")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="register a source")
    add.add_argument("name")
    add.add_argument("--dataset", required=True)
    add.add_argument("--opd", required=True, help="the sending OPD, e.g. DINKES")
    add.add_argument("--url", required=True, help="http(s) URL of the file or endpoint")
    add.add_argument("--map", dest="mapping", help="JSON file: {source header: standard column} (as ingest --map)")
    add.add_argument("--set", dest="constants", action="append", default=[], metavar="FIELD=VALUE",
                     help="a value for a column the source lacks (repeatable)")
    when = add.add_mutually_exclusive_group()
    when.add_argument("--every", type=int, metavar="MINUTES", help="run every N minutes (default 60)")
    when.add_argument("--daily", metavar="HH:MM", help="run daily at HH:MM city time")
    add.add_argument("--format", choices=("csv", "xlsx", "json"),
                     help="default: from the Content-Type, else the URL's extension, else csv")
    add.add_argument("--json-path", help="where the records are in the JSON, e.g. data.items")
    add.add_argument("--header-env", metavar="VAR", help="environment variable holding an auth header, "
                                                          "e.g. 'Authorization: Bearer x' (stored, never shown)")
    add.add_argument("--user", default=None, help="who registers it (default: cli:<login>)")
    for name, text in (("list", "list the sources and their last run"), ("remove", "forget a source"),
                       ("run", "fetch a source once now and print the verdict")):
        a = actions.add_parser(name, help=text)
        if name != "list":
            a.add_argument("name")
        if name == "remove":
            a.add_argument("--user", default=None)
        if name == "run":
            a.add_argument("--json", action="store_true", help="print the outcome as JSON")
    for a in (add, *[actions.choices[n] for n in ("list", "remove", "run")]):
        a.add_argument("--lang", default="id", choices=("id", "en"))
        a.add_argument("--db", help="database file (default: $WARROOM_DB or data/warroom.duckdb)")
    return p


def run(args) -> int:
    return {"add": _add, "list": _list, "remove": _remove, "run": _run}[args.action](args)


def _store_or_app(args):
    """(connection, None) or (None, the locked-database error): then the app answers."""
    path = resolve_db_path(args.db)
    try:
        return db.open_store(path), None, path
    except db.DatabaseUnavailable as exc:
        if exc.reason != "locked":
            raise
        return None, exc, path


def _refused(key: str, kwargs: dict, lang: str) -> int:
    from warroom.i18n import t
    print(t(key, lang, **kwargs), file=sys.stderr)
    return REFUSED


def _add(args) -> int:
    from warroom.i18n import t
    from warroom.pull import sources
    mapping = None
    if args.mapping:
        try:
            with open(args.mapping, "rb") as fh:
                raw = fh.read(MAX_MAP_BYTES + 1)
            if len(raw) > MAX_MAP_BYTES:
                raise ValueError(f"larger than {MAX_MAP_BYTES} bytes")
            mapping = json.loads(raw.decode("utf-8-sig"))
        except (OSError, ValueError) as exc:
            print(f"--map {args.mapping}: {exc}", file=sys.stderr)
            return USAGE
    header = None
    if args.header_env:
        header = os.environ.get(args.header_env)
        if not header:
            print(t("sumber.err.header_env", args.lang, var=args.header_env), file=sys.stderr)
            return USAGE
    body = {"name": args.name, "dataset": args.dataset, "kode_opd": args.opd, "url": args.url, "mapping": mapping,
            "constants": args.constants, "every": args.every, "daily": args.daily, "fmt": args.format,
            "json_path": args.json_path, "auth_header": header,
            "by": args.user or f"cli:{getpass.getuser()}"}
    con, locked, path = _store_or_app(args)
    if con is None:
        reply = _ask_app(args, path, locked, "POST", "/api/local/sources", data=json.dumps(body).encode())
        if isinstance(reply, int):
            return reply
    else:
        from warroom.config import now
        try:
            sources.add(con, at=now(), **body)
        except sources.SourceError as exc:
            return _refused(exc.key, exc.kwargs, args.lang)
        finally:
            con.close()
    print(t("sumber.cli.added", args.lang, name=args.name))
    return OK


def _ask_app(args, path, locked, method: str, route: str, params: dict | None = None,
             data: bytes | None = None) -> dict | int:
    """The running app's answer to a sources command, or an exit code once the reason is printed
    (no app answered, or it refused, in the command's language)."""
    from warroom.commands import ask_running_app
    answer = ask_running_app(path, locked, method, route, params, data=data, any_status=True, lang=args.lang)
    if answer is None:
        return UNAVAILABLE
    reply = json.loads(answer)
    if "refused" in reply:
        return _refused(reply["refused"], reply["kwargs"], args.lang)
    return reply


def _list(args) -> int:
    from warroom.pull import routes
    con, locked, path = _store_or_app(args)
    if con is None:
        from warroom.commands import ask_running_app
        answer = ask_running_app(path, locked, "GET", "/api/local/sources", lang=args.lang)
        if answer is None:
            return UNAVAILABLE
        rows = json.loads(answer)
    else:
        try:
            rows = routes.listing(con)
        finally:
            con.close()
    for r in rows:
        when = f"every {r['every_minutes']} min" if r["every_minutes"] else f"daily {r['daily_at']}"
        last = r["last_result"] or "-"
        if r["last_error"]:
            last += f" ({r['last_error']})"
        print(f"{r['name']}\t{r['dataset']}\t{r['kode_opd']}\t{r['url']}\t{r['format']}\t{when}\t"
              f"auth={'yes' if r['auth'] else 'no'}\tlast={last}\tnext={r['next_run_at'] or '-'}")
    return OK


def _remove(args) -> int:
    from warroom.i18n import t
    from warroom.pull import sources
    user = args.user or f"cli:{getpass.getuser()}"
    con, locked, path = _store_or_app(args)
    if con is None:
        reply = _ask_app(args, path, locked, "DELETE", f"/api/local/sources/{args.name}", {"user": user})
        if isinstance(reply, int):
            return reply
    else:
        try:
            sources.remove(con, args.name, user)
        except sources.SourceError as exc:
            return _refused(exc.key, exc.kwargs, args.lang)
        finally:
            con.close()
    print(t("sumber.cli.removed", args.lang, name=args.name))
    return OK


def _run(args) -> int:
    from warroom.pull import run as pull_run
    from warroom.pull import sources
    con, locked, path = _store_or_app(args)
    if con is None:
        reply = _ask_app(args, path, locked, "POST", f"/api/local/sources/{args.name}/run", {"lang": args.lang})
        if isinstance(reply, int):
            return reply
        outcome = pull_run.RunOutcome.from_dict(reply)
    else:
        try:
            outcome = pull_run.run_source(con, args.name, lang=args.lang)
        except sources.SourceError as exc:
            return _refused(exc.key, exc.kwargs, args.lang)
        finally:
            con.close()
    if args.json:
        print(json.dumps(outcome.as_dict(), ensure_ascii=False, default=str))
    else:
        print(outcome.render_text())
    if outcome.outcome == "fetch_failed" and outcome.detail:
        print(outcome.detail, file=sys.stderr)
    return outcome.exit_code
