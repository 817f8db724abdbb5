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


def upsert(con: duckdb.DuckDBPyConnection, ds: Dataset, upload_id: int) -> tuple[int, int, int]:
    """(inserted, updated, unchanged)."""
    table = ds.name
    cols = ds.columns
    keys = ds.key + ["sumber_opd"]
    on = " AND ".join(f"t.{q(k)} = n.{q(k)}" for k in keys)
    same = " AND ".join(f"t.{q(c)} IS NOT DISTINCT FROM n.{q(c)}" for c in cols) or "TRUE"
    matched, unchanged = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {same}) FROM {table} t JOIN {NEW_TABLE} n ON {on}").fetchone()
    total = con.execute(f"SELECT count(*) FROM {NEW_TABLE}").fetchone()[0]
    profile.mark("key diff")
    stored = ", ".join(q(c) for c in cols + ["sumber_opd", "upload_id"])
    if matched:
        con.execute(f"INSERT INTO {table}__replaced ({stored}, replaced_by) "
                    f"SELECT {', '.join('t.' + q(c) for c in cols + ['sumber_opd', 'upload_id'])}, $uid "
                    f"FROM {table} t SEMI JOIN {NEW_TABLE} n ON {on}", {"uid": upload_id})
        con.execute(f"DELETE FROM {table} t USING {NEW_TABLE} n WHERE {on}")
        profile.mark("replace old rows")
    con.execute(f"INSERT INTO {table} ({stored}) SELECT {', '.join(q(c) for c in cols)}, sumber_opd, $uid "
                f"FROM {NEW_TABLE}", {"uid": upload_id})
    return total - matched, matched - unchanged, unchanged
