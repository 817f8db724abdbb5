"""Rolling back an upload as a whole: its rows go, the rows it replaced come back.

Refused while a later upload replaced some of its rows (the refusal names them): those
must be rolled back first, newest first, so history is unwound in order.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb

from warroom import datasets, db, derived, lineage
from warroom.config import now
from warroom.db import write_transaction


class RollbackRefused(Exception):
    def __init__(self, reason: str, later_upload_ids: list[int] | None = None):
        self.reason = reason                      # not_found | not_accepted | later_uploads
        self.later_upload_ids = later_upload_ids or []
        super().__init__(f"{reason}: {self.later_upload_ids}" if self.later_upload_ids else reason)


@dataclass
class RollbackSummary:
    upload_id: int
    dataset: str
    rows_removed: int
    rows_restored: int


def _cols(ds: datasets.Dataset) -> str:
    return ", ".join(ds.columns + ["sumber_opd", "upload_id"])


def later_replacers(con: duckdb.DuckDBPyConnection, dataset: str, upload_id: int) -> list[int]:
    rows = con.execute(f"SELECT DISTINCT replaced_by FROM {dataset}__replaced WHERE upload_id = ? ORDER BY 1",
                       [upload_id]).fetchall()
    return [r[0] for r in rows]


def rollback_upload(con: duckdb.DuckDBPyConnection, upload_id: int, username: str) -> RollbackSummary:
    with write_transaction(con):
        row = con.execute("SELECT dataset, status FROM uploads WHERE upload_id = ?", [upload_id]).fetchone()
        if row is None:
            raise RollbackRefused("not_found")
        dataset, status = row
        if status != "accepted":
            raise RollbackRefused("not_accepted")
        ds = datasets.get(dataset)
        later = later_replacers(con, ds.name, upload_id)
        if later:
            raise RollbackRefused("later_uploads", later)
        removed = db.scalar(con, f"SELECT count(*) FROM {ds.name} WHERE upload_id = ?", [upload_id])
        # Restored rows share keys (so dates) with the removed ones: their first date is enough.
        since = (derived.first_date(con, ds.name, "WHERE upload_id = ?", [upload_id])
                 if "tanggal" in ds.columns else None)
        con.execute(f"DELETE FROM {ds.name} WHERE upload_id = ?", [upload_id])
        restored = db.scalar(con, f"SELECT count(*) FROM {ds.name}__replaced WHERE replaced_by = ?",
                             [upload_id])
        con.execute(f"INSERT INTO {ds.name} ({_cols(ds)}) SELECT {_cols(ds)} FROM {ds.name}__replaced "
                    f"WHERE replaced_by = ?", [upload_id])
        con.execute(f"DELETE FROM {ds.name}__replaced WHERE replaced_by = ?", [upload_id])
        con.execute("UPDATE uploads SET status = 'rolled_back', rolled_back_at = ?, rolled_back_by = ? "
                    "WHERE upload_id = ?", [now(), username, upload_id])
        derived.after_change(con, ds.name, since)
        lineage.audit(con, "rollback", username, upload_id=upload_id, dataset=ds.name,
                      removed=removed, restored=restored)
    return RollbackSummary(upload_id, ds.name, removed, restored)
