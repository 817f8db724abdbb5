"""Tables derived from uploaded data, brought up to date inside the same write transaction
as the upload or rollback that changed their source, so readers never see them stale."""
from __future__ import annotations

import duckdb

from warroom import db

SOURCES = ("covid19_harian", "wilayah")


def first_date(con: duckdb.DuckDBPyConnection, table: str, where: str = "", params=None):
    """The earliest `tanggal` among the rows a change touches (None when there are none)."""
    return db.scalar(con, f"SELECT min(tanggal) FROM {table} {where}", params or [])


def is_fresh(con: duckdb.DuckDBPyConnection, dataset: str) -> bool:
    """Whether the tables derived from `dataset` match its stored rows now (call before a change)."""
    if dataset not in SOURCES:
        return True
    from warroom import covid
    return covid.is_fresh(con)


def after_change(con: duckdb.DuckDBPyConnection, dataset: str, since=None, *, values_unchanged: bool = False) -> None:
    """Call after rows of `dataset` changed; `since` is the first date they touched, if known.

    values_unchanged: the change replaced rows by rows with the same values only (an upload
    sending every row again as it was) and the derived tables were fresh before it. Then
    nothing derived can differ: they are only marked as up to date with the new rows."""
    if dataset not in SOURCES:
        return
    from warroom import covid
    if values_unchanged:
        covid.mark_fresh(con)
        return
    # A population change alters every per-100k figure: rebuild whole (since=None).
    covid.refresh_daily(con, since=since if dataset == "covid19_harian" else None)
