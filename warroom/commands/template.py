"""template: a dataset's CSV template (the standard's headers and one example row), byte for
byte the file of the Unggah page's template button (warroom.templates). Its example row is
refused by ingest as it stands: delete it and fill your own rows under the header."""
from __future__ import annotations

import argparse
import sys

from warroom import datasets
from warroom.commands import OK, USAGE


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("template", help="CSV template of a dataset (headers and one example row, which ingest "
                                        "refuses as data: replace it with your rows)")
    p.add_argument("dataset", help=f"one of: {', '.join(datasets.ALL)}")
    p.add_argument("--opd", help="the sending OPD written in a kode_opd column (default: the producer)")
    p.add_argument("--out", help="file to write (default: standard output)")
    return p


def run(args) -> int:
    if args.dataset not in datasets.ALL:
        print(f"unknown dataset {args.dataset!r}; known: {', '.join(datasets.ALL)}", file=sys.stderr)
        return USAGE
    from warroom import templates
    blob = templates.template_csv(args.dataset, getattr(args, "opd", None))
    if args.out:
        with open(args.out, "wb") as fh:
            fh.write(blob)
    else:
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", None)
        if out is None:
            sys.stdout.write(blob.decode("utf-8"))
        else:
            out.write(blob)
            out.flush()
    return OK
