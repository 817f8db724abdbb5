"""`python -m warroom COMMAND ...`: exit 0 done, 1 refused, 2 usage error, 3 database unavailable."""
from __future__ import annotations

import argparse
import importlib
import sys

from warroom.commands import COMMANDS, UNAVAILABLE
from warroom.db import DatabaseUnavailable


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m warroom", description="War Room command line")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"warroom.commands.{name}")
        sub_parser = module.add_parser(sub)
        sub_parser.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except DatabaseUnavailable as exc:
        lang = getattr(args, "lang", "id")
        print(f"{exc.message(lang)}\n{exc.hint(lang)}", file=sys.stderr)
        return UNAVAILABLE
