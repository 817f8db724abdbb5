"""Canonical CSV exports: every dataset as stored, plus derived exports registered by areas.

A dataset export has the standard's columns, then `sumber_opd` and `upload_id`, written by
THE writer (warroom.export_csv) in standard CSV or Excel-Indonesia form: ISO dates, dotted
codes, empty cell for a missing value, counts whole, measures to 2 decimals. Ingested back by the
walidata it gives the same data, senders included.

Derived exports (computed figures such as `covid19_ppkm`, `kinerja_capaian`) plug in with

    @exports.register("covid19_ppkm")
    def ppkm(con) -> tuple[list[str], Iterable[tuple]]: ...

No pandas here: the command line stays fast.
"""
from __future__ import annotations

import io
from typing import Callable, Iterable, TextIO

import duckdb

from warroom import datasets, export_csv

Exporter = Callable[[duckdb.DuckDBPyConnection], tuple[list[str], Iterable[tuple]]]
DERIVED: dict[str, Exporter] = {}
# Kinds (export_csv.COUNT, MEASURE, ...) declared by a derived export for its own columns,
# beside export_csv.DERIVED_KINDS and the schema.
DERIVED_KINDS: dict[str, dict[str, str]] = {}


def register(name: str, kinds: dict[str, str] | None = None) -> Callable[[Exporter], Exporter]:
    """Decorator adding a derived export under `name` (must not shadow a dataset)."""
    def deco(fn: Exporter) -> Exporter:
        if name in datasets.ALL:
            raise ValueError(f"{name!r} is a dataset; derived exports need another name")
        DERIVED[name] = fn
        DERIVED_KINDS[name] = dict(kinds or {})
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


def kinds_for(name: str, header: list[str]) -> list[str | None]:
    """Each column's kind: the dataset's schema, else the kinds declared for derived columns."""
    declared = DERIVED_KINDS.get(name, {})
    return [export_csv.kind_of(c, declared) or export_csv.AUTO for c in header]


def write_csv(con: duckdb.DuckDBPyConnection, name: str, out: TextIO, form: str = export_csv.STANDARD, *,
              viewer: bool = False) -> int:
    """Write the export to a text stream through THE writer; returns the number of data rows.
    viewer=True for a page's button (see rows_for)."""
    header, rows = rows_for(con, name, viewer=viewer)
    return export_csv.Writer(form).write(out, header, kinds_for(name, header), rows)


def to_bytes(con: duckdb.DuckDBPyConnection, name: str, form: str = export_csv.STANDARD, *,
             viewer: bool = False) -> bytes:
    """The export's file, byte for byte what the page's button and the command give (for a
    dataset without stored addresses; with viewer=True those pass the camera-link sanitiser)."""
    buf = io.StringIO()
    write_csv(con, name, buf, form, viewer=viewer)
    return buf.getvalue().encode("utf-8")
