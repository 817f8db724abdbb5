"""`python -m warroom COMMAND ...`: exit 0 done, 1 refused, 2 usage error, 3 database unavailable.

The global options --db and --lang may stand anywhere on the line: before the command
(`python -m warroom --db F users list`), after it, or after a sub-action
(`users add budi --role admin --db F`); the last one given wins. argparse alone accepts
an option only on the parser that defines it, which made `users add … --db F` an error.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from warroom.commands import COMMANDS, UNAVAILABLE
from warroom.db import DatabaseUnavailable

GLOBAL_OPTIONS = {"--db": None, "--lang": ("id", "en")}   # option -> allowed values (None: any)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of `command` only: a command's module imports what it
    needs (the ingest engine, numpy, ...), so a line naming one imports that one alone."""
    parser = argparse.ArgumentParser(prog="python -m warroom", description="War Room command line",
                                     epilog="--db FILE and --lang id|en may be given anywhere on the line.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in ([command] if command in COMMANDS else COMMANDS):
        module = importlib.import_module(f"warroom.commands.{name}")
        sub_parser = module.add_parser(sub)
        sub_parser.set_defaults(run=module.run)
    return parser


def split_global_options(argv: list[str]) -> tuple[list[str], dict[str, str], str | None]:
    """(the line without --db/--lang, the last value of each, a usage problem or None).
    Tokens after a bare `--` are left alone (they are positional values)."""
    rest: list[str] = []
    found: dict[str, str] = {}
    i = 0
    while i < len(argv):
        token = argv[i]
        if token == "--":
            rest.extend(argv[i:])
            break
        name, eq, value = token.partition("=")
        if name in GLOBAL_OPTIONS:
            if not eq:
                if i + 1 >= len(argv):
                    return rest, found, f"{name} needs a value"
                value = argv[i + 1]
                i += 1
            allowed = GLOBAL_OPTIONS[name]
            if allowed and value not in allowed:
                return rest, found, f"{name}: {value!r} is not one of {', '.join(allowed)}"
            found[name[2:]] = value
        else:
            rest.append(token)
        i += 1
    return rest, found, None


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    rest, found, problem = split_global_options(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser(next((token for token in rest if not token.startswith("-")), None))
    if problem:
        parser.error(problem)
    args = parser.parse_args(rest)
    for name, value in found.items():
        if name == "db" and not hasattr(args, "db"):
            parser.error(f"{args.command} does not use a database (--db)")
        setattr(args, name, value)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        return args.run(args)
    except DatabaseUnavailable as exc:
        lang = getattr(args, "lang", "id")
        print(f"{exc.message(lang)}\n{exc.hint(lang)}", file=sys.stderr)
        return UNAVAILABLE
