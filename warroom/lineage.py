"""The upload log: every stored row points at the upload it came from."""
from __future__ import annotations

import hashlib
import json

import duckdb

from warroom import db
from warroom.config import now


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def new_upload(con: duckdb.DuckDBPyConnection, *, dataset: str, kode_opd: str, username: str,
               file_name: str | None, sha256: str | None, status: str, rows_total: int = 0,
               rows_inserted: int = 0, rows_updated: int = 0, rows_unchanged: int = 0,
               report: dict | None = None, is_demo: bool = False) -> int:
    """Record an upload (accepted or refused) and return its id."""
    upload_id = db.scalar(con, "SELECT nextval('upload_id_seq')")
    con.execute(
        "INSERT INTO uploads (upload_id, dataset, kode_opd, username, created_at, file_name, sha256, "
        "rows_total, rows_inserted, rows_updated, rows_unchanged, status, report, is_demo) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [upload_id, dataset, kode_opd, username, now(), file_name, sha256, rows_total, rows_inserted,
         rows_updated, rows_unchanged, status, json.dumps(report or {}, ensure_ascii=False), is_demo])
    return upload_id


def audit(con: duckdb.DuckDBPyConnection, action: str, actor: str | None, **detail) -> None:
    con.execute("INSERT INTO audit_log VALUES (nextval('audit_id_seq'), ?, ?, ?, ?)",
                [now(), actor, action, json.dumps(detail, ensure_ascii=False, default=str)])
