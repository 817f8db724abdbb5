"""Canonical CSV exports: every dataset as stored, plus derived exports registered by areas.

A dataset export has the standard's columns, then `sumber_opd` and `upload_id`; UTF-8,
comma, ISO dates, dotted codes, empty cell for a missing value. Ingested back by the
walidata it gives the same data, senders included.

Derived exports (computed figures such as `covid19_ppkm`, `kinerja_capaian`) plug in with

    @exports.register("covid19_ppkm")
    def ppkm(con) -> tuple[list[str], Iterable[tuple]]: ...

No pandas here: the command line stays fast.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import math
from typing import Callable, Iterable, TextIO

import duckdb

from warroom import datasets

Exporter = Callable[[duckdb.DuckDBPyConnection], tuple[list[str], Iterable[tuple]]]
DERIVED: dict[str, Exporter] = {}


def register(name: str) -> Callable[[Exporter], Exporter]:
    """Decorator adding a derived export under `name` (must not shadow a dataset)."""
    def deco(fn: Exporter) -> Exporter:
        if name in datasets.ALL:
            raise ValueError(f"{name!r} is a dataset; derived exports need another name")
        DERIVED[name] = fn
        return fn
    return deco


# Modules that register derived exports; imported on demand so a missing or broken area
# does not stop the dataset exports.
DERIVED_MODULES = ("warroom.covid", "warroom.kinerja")


def _load_derived() -> None:
    import importlib
    for mod in DERIVED_MODULES:
        try:
            importlib.import_module(mod)
        except ImportError:
            pass


def names() -> list[str]:
    _load_derived()
    return list(datasets.ALL) + sorted(DERIVED)


def dataset_rows(con: duckdb.DuckDBPyConnection, name: str) -> tuple[list[str], Iterable[tuple]]:
    ds = datasets.get(name)
    cols = ds.columns + ["sumber_opd", "upload_id"]
    order = ", ".join(ds.key + ["sumber_opd"])
    cur = con.execute(f"SELECT {', '.join(cols)} FROM {ds.name} ORDER BY {order}")
    return cols, _batches(cur)


def _batches(cur, size: int = 10000):
    while True:
        rows = cur.fetchmany(size)
        if not rows:
            return
        yield from rows


def rows_for(con: duckdb.DuckDBPyConnection, name: str, *, viewer: bool = False) -> tuple[list[str], Iterable[tuple]]:
    """The export's header and rows. viewer=True: as anyone but the operator may get them (a
    page's download): stored addresses (URL columns) pass the one sanitiser, so no password,
    token or internal address leaves. The operator's own export (`python -m warroom export`)
    keeps them as sent, so that it ingests back unchanged."""
    if name in datasets.ALL:
        header, rows = dataset_rows(con, name)
        return (header, _without_secrets(name, header, rows)) if viewer else (header, rows)
    _load_derived()
    if name in DERIVED:
        return DERIVED[name](con)
    raise KeyError(f"unknown export {name!r}; known: {', '.join(names())}")


def _without_secrets(name: str, header: list[str], rows: Iterable[tuple]) -> Iterable[tuple]:
    from warroom.cctv import public_link
    urls = [i for i, f in enumerate(header) if any(x.name == f and "x-url-schemes" in x.spec
                                                    for x in datasets.get(name).fields)]
    for row in rows:
        if urls:
            row = tuple(public_link(v) if i in urls and v else v for i, v in enumerate(row))
        yield row


def cell(value) -> str:
    """One value in canonical CSV form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, _dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def write_csv(con: duckdb.DuckDBPyConnection, name: str, out: TextIO) -> int:
    """Write the export to a text stream; returns the number of data rows."""
    header, rows = rows_for(con, name)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    n = 0
    for row in rows:
        writer.writerow([cell(v) for v in row])
        n += 1
    return n


def to_bytes(con: duckdb.DuckDBPyConnection, name: str) -> bytes:
    buf = io.StringIO()
    write_csv(con, name, buf)
    return buf.getvalue().encode("utf-8")
