"""Tables derived from uploaded data, brought up to date inside the same write transaction
as the upload or rollback that changed their source, so readers never see them stale."""
from __future__ import annotations

import duckdb


def first_date(con: duckdb.DuckDBPyConnection, table: str, where: str = "", params=None):
    """The earliest `tanggal` among the rows a change touches (None when there are none)."""
    return con.execute(f"SELECT min(tanggal) FROM {table} {where}", params or []).fetchone()[0]


def after_change(con: duckdb.DuckDBPyConnection, dataset: str, since=None) -> None:
    """Call after rows of `dataset` changed; `since` is the first date they touched, if known."""
    if dataset not in ("covid19_harian", "wilayah"):
        return
    from warroom import covid
    # A population change alters every per-100k figure: rebuild whole (since=None).
    covid.refresh_daily(con, since=since if dataset == "covid19_harian" else None)
