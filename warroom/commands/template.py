"""template: an empty CSV of a dataset: the standard's headers and one example row."""
from __future__ import annotations

import argparse
import csv
import sys

from warroom import datasets
from warroom.commands import OK, USAGE
from warroom.config import city

EXAMPLES = {
    "date": "2021-11-04", "timestamp": "2021-11-04 13:45:00", "int": "12", "number": "87.5",
}
NAMED = {
    "kode_wilayah": "73.71.01.1001", "kode_induk": "73.71.01", "kode_opd": "DINKES", "latitude": "-5.1624",
    "longitude": "119.4045", "periode": "2021-11", "url_stream": "rtsp://10.0.0.5/stream1",
    "url": "https://example.go.id", "operator": "Telkomsel;Indosat", "ketersediaan_persen": "99.5",
    "tingkat": "kelurahan", "spesimen_positif": "3", "spesimen_diperiksa": "40", "tt_terisi": "20", "tt_total": "50",
}


def example_row(ds: datasets.Dataset) -> list[str]:
    row = []
    for f in ds.fields:
        if f.name not in ds.template_columns:
            continue
        if f.name in ("kode_wilayah", "kode_induk"):      # the region's own codes (city.toml)
            kota = city().kode
            row.append(f"{kota}.01.1001" if f.name == "kode_wilayah" else f"{kota}.01")
        elif f.name in NAMED:
            row.append(NAMED[f.name])
        elif f.enum:
            row.append(f.enum[0])
        else:
            row.append(EXAMPLES.get(f.kind, f"contoh {f.name}"))
    return row


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("template", help="CSV template of a dataset (headers and one example row)")
    p.add_argument("dataset", help=f"one of: {', '.join(datasets.ALL)}")
    p.add_argument("--out", help="file to write (default: standard output)")
    return p


def run(args) -> int:
    if args.dataset not in datasets.ALL:
        print(f"unknown dataset {args.dataset!r}; known: {', '.join(datasets.ALL)}", file=sys.stderr)
        return USAGE
    ds = datasets.get(args.dataset)
    out = open(args.out, "w", encoding="utf-8", newline="") if args.out else sys.stdout
    try:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(ds.template_columns)
        w.writerow(example_row(ds))
    finally:
        if args.out:
            out.close()
    return OK
