"""Upsert of a checked upload: delete by key then insert, inside the caller's transaction.

Storage key = the dataset's primaryKey + sumber_opd. Every stored row whose key the
upload sends (changed or not) moves to `<table>__replaced` with replaced_by = the new
upload, so each row names the upload it last came from and a rollback restores exactly
what was there. No PRIMARY KEY index: uniqueness is checked on the file before loading.
"""
from __future__ import annotations

import duckdb

from warroom import profile
from warroom.datasets import Dataset
from warroom.ingest.values import q

NEW_TABLE = "ingest_new"


def _on(ds: Dataset) -> str:
    return " AND ".join(f"t.{q(k)} = n.{q(k)}" for k in ds.key + ["sumber_opd"])


def key_diff(con: duckdb.DuckDBPyConnection, ds: Dataset) -> tuple[int, int, int]:
    """(inserted, updated, unchanged) if the checked rows were stored now: the one comparison
    of new rows with stored ones, for the load, a dry run and the nothing-changed case."""
    same = " AND ".join(f"t.{q(c)} IS NOT DISTINCT FROM n.{q(c)}" for c in ds.columns) or "TRUE"
    row = con.execute(f"SELECT count(*), count(*) FILTER (WHERE {same}) FROM {ds.name} t "
                      f"JOIN {NEW_TABLE} n ON {_on(ds)}").fetchone()
    matched, unchanged = row if row else (0, 0)
    total_row = con.execute(f"SELECT count(*) FROM {NEW_TABLE}").fetchone()
    total = total_row[0] if total_row else 0
    profile.mark("key diff")
    return total - matched, matched - unchanged, unchanged


def upsert(con: duckdb.DuckDBPyConnection, ds: Dataset, upload_id: int,
           diff: tuple[int, int, int] | None = None) -> tuple[int, int, int]:
    """(inserted, updated, unchanged); `diff` is key_diff's answer when the caller has it."""
    table = ds.name
    cols = ds.columns
    on = _on(ds)
    inserted, updated, unchanged = diff or key_diff(con, ds)
    matched = updated + unchanged
    stored = ", ".join(q(c) for c in cols + ["sumber_opd", "upload_id"])
    if matched:
        con.execute(f"INSERT INTO {table}__replaced ({stored}, replaced_by) "
                    f"SELECT {', '.join('t.' + q(c) for c in cols + ['sumber_opd', 'upload_id'])}, $uid "
                    f"FROM {table} t SEMI JOIN {NEW_TABLE} n ON {on}", {"uid": upload_id})
        con.execute(f"DELETE FROM {table} t USING {NEW_TABLE} n WHERE {on}")
        profile.mark("replace old rows")
    con.execute(f"INSERT INTO {table} ({stored}) SELECT {', '.join(q(c) for c in cols)}, sumber_opd, $uid "
                f"FROM {NEW_TABLE}", {"uid": upload_id})
    return inserted, updated, unchanged
