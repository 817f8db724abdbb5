"""What the preview shows besides the counts, so a clerk sees what a file WILL mean before it
is stored: each region name and the code and level it was read as, the rows whose level
differs from the rest of the file (a kecamatan row among kelurahan rows), and for rows that
replace stored ones the old and new values.

Plain data on the IngestResult (resolved_names, odd_level_rows, level_counts, changes);
computed while the engine's temp tables exist.
"""
from __future__ import annotations

import duckdb

from warroom import export_csv
from warroom.datasets import Dataset
from warroom.ingest.values import q

MAX_ODD_ROWS = 20
MAX_CHANGES = 50


def resolved_names(maps) -> list[dict]:
    """Each distinct region NAME in the file -> code, level and official name (codes typed as
    codes need no explanation)."""
    out = []
    for m in maps:
        for raw, res in sorted(m.resolved.items()):
            if res.code and res.via == "name" and res.level:
                out.append({"column": m.column, "value": raw, "code": res.code, "level": res.level})
    return out


def level_rows(con: duckdb.DuckDBPyConnection, typed_table: str, raw_table: str) -> tuple[dict, list[dict]]:
    """({level: rows}, rows not at the file's main level) for the kode_wilayah column."""
    counts = dict(con.execute(
        f"SELECT w.tingkat, count(*) FROM {typed_table} x JOIN wilayah w ON w.kode_wilayah = x.t_kode_wilayah "
        f"GROUP BY 1").fetchall())
    if len(counts) < 2:
        return counts, []
    main = max(counts, key=lambda level: (counts[level], level))
    rows = con.execute(
        f"SELECT x._row, r.kode_wilayah, x.t_kode_wilayah, w.tingkat, w.nama FROM {typed_table} x "
        f"JOIN {raw_table} r ON r.rowid + 2 = x._row JOIN wilayah w ON w.kode_wilayah = x.t_kode_wilayah "
        f"WHERE w.tingkat <> ? ORDER BY x._row LIMIT {MAX_ODD_ROWS}", [main]).fetchall()
    return counts, [{"row": r[0], "value": r[1], "code": r[2], "level": r[3], "name": r[4]} for r in rows]


def changes(con: duckdb.DuckDBPyConnection, ds: Dataset, new_table: str) -> list[dict]:
    """Rows the upload would replace with different values: key and each changed column's
    old -> new value, written as the downloads write them."""
    keys = ds.key + ["sumber_opd"]
    on = " AND ".join(f"t.{q(k)} = n.{q(k)}" for k in keys)
    values = [c for c in ds.columns if c not in ds.key]
    if not values:
        return []
    differ = " OR ".join(f"t.{q(c)} IS DISTINCT FROM n.{q(c)}" for c in values)
    select = ", ".join([f"n.{q(k)}" for k in ds.key] + [f"t.{q(c)}, n.{q(c)}" for c in values])
    rows = con.execute(f"SELECT {select} FROM {ds.name} t JOIN {new_table} n ON {on} WHERE {differ} "
                       f"ORDER BY {', '.join('n.' + q(k) for k in ds.key)} LIMIT {MAX_CHANGES}").fetchall()
    out = []
    nkey = len(ds.key)
    for row in rows:
        key = " · ".join(_shown(v, k) for k, v in zip(ds.key, row[:nkey]))
        diffs = []
        for i, c in enumerate(values):
            old, new = row[nkey + 2 * i], row[nkey + 2 * i + 1]
            if old != new and not (old is None and new is None):
                diffs.append({"column": c, "old": _shown(old, c), "new": _shown(new, c)})
        out.append({"key": key, "changes": diffs})
    return out


def _shown(value, column: str) -> str:
    """A value as the downloads write it (counts whole, measures to 2 decimals), text as stored."""
    kind = export_csv.kind_of(column) or export_csv.TEXT
    if kind == export_csv.TEXT:
        return "" if value is None else str(value)
    return export_csv.cell(value, kind)


def describe(con, ds: Dataset, maps, result, typed_table: str, raw_table: str, new_table: str) -> None:
    result.resolved_names = resolved_names(maps)
    if result.resolved_names:
        codes = sorted({r["code"] for r in result.resolved_names})
        official = dict(con.execute("SELECT kode_wilayah, nama FROM wilayah WHERE list_contains(?, kode_wilayah)",
                                    [codes]).fetchall())
        for r in result.resolved_names:
            r["name"] = official.get(r["code"], "")
    if any(m.column == "kode_wilayah" for m in maps):
        result.level_counts, result.odd_level_rows = level_rows(con, typed_table, raw_table)
        for r in result.odd_level_rows:   # as Excel numbers them, title rows included
            r["row"] += result.title_rows
    if result.dry_run:
        result.changes = changes(con, ds, new_table)
