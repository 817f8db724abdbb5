"""users: accounts from the command line. The first admin is created here; no default password exists.

Passwords are read from stdin: typed without echo (twice) on a terminal, or one line when piped
(`printf '%s\\n' "$PW" | python -m warroom users add budi --role staf_opd --opd DINKES`).
"""
from __future__ import annotations

import argparse
import getpass
import sys

from warroom import auth, db
from warroom.commands import OK, REFUSED, USAGE
from warroom.config import resolve_db_path
from warroom.i18n import t


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("users", help="add, list, disable, enable users; reset a password; change a role")
    p.add_argument("--db", help="database file (default: $WARROOM_DB or data/warroom.duckdb)")
    p.add_argument("--lang", choices=("id", "en"), default="id", help="language of messages")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add a user; the password is read from stdin")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=auth.ROLES)
    add.add_argument("--opd", help="agency code (required for staf_opd)")
    actions.add_parser("list", help="list users")
    for name, text in (("disable", "disable a user (their sessions end)"), ("enable", "enable a user"),
                       ("reset-password", "set a new password, read from stdin")):
        actions.add_parser(name, help=text).add_argument("name")
    role = actions.add_parser("set-role", help="change a user's role (and OPD)")
    role.add_argument("name")
    role.add_argument("--role", required=True, choices=auth.ROLES)
    role.add_argument("--opd")
    return p


def read_password(username: str, lang: str) -> str:
    """Without echo (asked twice) on a terminal; else the first line of stdin."""
    if sys.stdin.isatty():
        first = getpass.getpass(t("auth.password_prompt", lang, username=username))
        if getpass.getpass(t("auth.password_again", lang)) != first:
            raise auth.AuthError("auth.password_mismatch")
        return first
    line = sys.stdin.readline()
    if not line:
        raise auth.AuthError("auth.password_empty")
    return line.rstrip("\r\n")


def run(args) -> int:
    lang = args.lang
    con = db.open_store(resolve_db_path(args.db), create=False)
    try:
        try:
            return _act(con, args, lang)
        except auth.AuthError as exc:
            print(t(exc.key, lang, **exc.kwargs), file=sys.stderr)
            return REFUSED
    finally:
        con.close()


def _act(con, args, lang: str) -> int:
    by = "cli"
    if args.action == "list":
        users = auth.list_users(con)
        if not users:
            print(t("auth.no_users", lang))
        for u in users:
            state = "disabled" if u.disabled else "active"
            print(f"{u.username}\t{u.role}\t{u.kode_opd or '-'}\t{state}")
        return OK
    if args.action == "add":
        if args.role == "staf_opd" and not args.opd:
            raise auth.AuthError("auth.staff_needs_opd")
        if auth.get_user(con, args.name):
            raise auth.AuthError("auth.user_exists", username=args.name)
        password = read_password(args.name, lang)
        auth.add_user(con, args.name, password, args.role, args.opd, by=by)
        print(t("auth.user_added", lang, username=args.name, role=args.role))
        return OK
    if args.action in ("disable", "enable"):
        auth.set_disabled(con, args.name, args.action == "disable", by=by)
        print(t(f"auth.user_{args.action}d", lang, username=args.name))
        return OK
    if args.action == "reset-password":
        if not auth.get_user(con, args.name):
            raise auth.AuthError("auth.no_such_user", username=args.name)
        auth.reset_password(con, args.name, read_password(args.name, lang), by=by)
        print(t("auth.password_reset", lang, username=args.name))
        return OK
    if args.action == "set-role":
        auth.set_role(con, args.name, args.role, args.opd, by=by)
        print(t("auth.role_changed", lang, username=args.name, role=args.role))
        return OK
    return USAGE
