"""Cumulative form (data standard v2): daily counts derived from published totals.

A dataset field with `x-cumulative` (covid19_harian: kasus_baru -> kasus_kumulatif) may be
sent as its running total instead. Per sender and area, the daily count stored on a
snapshot's date is the total minus the sender's previous stored total for that area
(none before: the whole total). A fall gives a negative count: a correction, flagged in
`koreksi`. The totals are stored too, so a later upload of an earlier snapshot recomputes
the stored rows after it (they go through the same upsert, so a rollback restores them).
"""
from __future__ import annotations

import duckdb

from warroom import db
from warroom.datasets import Dataset
from warroom.ingest.checks import SENDER, TYPED_TABLE
from warroom.ingest.values import q

DERIVED_TABLE = "ingest_cumulative"     # one row per typed row: derived daily counts, koreksi
FOLLOWERS_TABLE = "ingest_followers"    # stored rows after the upload whose difference changed
FLAG = "koreksi"


def pairs(ds: Dataset) -> list[tuple[str, str]]:
    """(daily column, cumulative column) of the dataset."""
    return [(f.name, f.spec["x-cumulative"]) for f in ds.fields if f.spec.get("x-cumulative")]


def cumulative_form(ds: Dataset, present: set[str]) -> list[tuple[str, str]]:
    """The measures a file sends as totals only."""
    return [(d, c) for d, c in pairs(ds) if c in present and d not in present]


def needed(con: duckdb.DuckDBPyConnection, ds: Dataset, present: set[str]) -> bool:
    """Derivation runs when the file sends totals, or when the store holds totals that a
    replaced row might sit between (cheap: one probe)."""
    measures = pairs(ds)
    if not measures:
        return False
    if any(c in present for _, c in measures):
        return True
    any_total = " OR ".join(f"{q(c)} IS NOT NULL" for _, c in measures)
    return db.scalar(con, f"SELECT count(*) FROM (SELECT 1 FROM {ds.name} WHERE {any_total} LIMIT 1)") > 0


def derive(con: duckdb.DuckDBPyConnection, ds: Dataset) -> tuple[dict[str, tuple[int, int]], int]:
    """Build DERIVED_TABLE and FOLLOWERS_TABLE; ({cumulative column: (derived, corrections)}, followers)."""
    measures = pairs(ds)
    key = [k for k in ds.key]
    part = ", ".join(q(k) for k in key if k != "tanggal") + f", {SENDER}"
    new_cols = ", ".join([f"t_{k} AS {q(k)}" for k in key] + [f"t_{SENDER} AS {SENDER}"]
                         + [f"t_{d} AS {q(d)}, t_{c} AS {q(c)}" for d, c in measures])
    stored_cols = ", ".join([f"h.{q(k)}" for k in key] + [f"h.{SENDER}"]
                            + [f"h.{q(d)}, h.{q(c)}" for d, c in measures] + [f"h.{FLAG} AS {FLAG}_lama"])
    any_total = " OR ".join(f"h.{q(c)} IS NOT NULL" for _, c in measures)
    using = ", ".join(q(k) for k in key) + f", {SENDER}"
    daily = []
    for d, c in measures:
        daily.append(f"CASE WHEN {q(c)} IS NULL THEN {q(d)} ELSE {q(c)} - coalesce(last_value({q(c)} IGNORE NULLS) "
                     f"OVER earlier, 0) END AS {q(d)}")
        daily.append(f"{q(d)} AS {q(d + '_lama')}")
    totals = " AND ".join(f"{q(c)} IS NULL" for _, c in measures)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ingest_timeline AS
        WITH new AS (SELECT _row, {new_cols} FROM {TYPED_TABLE}),
        senders AS (SELECT DISTINCT {part} FROM new),
        stored AS (
            SELECT CAST(NULL AS BIGINT) AS _row, {stored_cols}
            FROM {ds.name} h SEMI JOIN senders USING ({part}) ANTI JOIN new USING ({using})
            WHERE {any_total}
        ),
        timeline AS (SELECT * FROM new UNION ALL BY NAME SELECT * FROM stored)
        SELECT _row, {', '.join(q(k) for k in key)}, {SENDER}, {FLAG}_lama, {', '.join(q(c) for _, c in measures)},
               {', '.join(daily)}
        FROM timeline
        WINDOW earlier AS (PARTITION BY {part} ORDER BY tanggal ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    """)
    negative = " OR ".join(f"coalesce({q(d)} < 0, false)" for d, _ in measures)
    flag = f"CASE WHEN {totals} THEN NULL ELSE {negative} END"
    con.execute(f"ALTER TABLE ingest_timeline ADD COLUMN {FLAG} BOOLEAN")
    con.execute(f"UPDATE ingest_timeline SET {FLAG} = {flag}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {DERIVED_TABLE} AS SELECT _row, "
                f"{', '.join(q(d) for d, _ in measures)}, {FLAG} FROM ingest_timeline WHERE _row IS NOT NULL")
    changed = " OR ".join([f"x.{q(d)} IS DISTINCT FROM x.{q(d + '_lama')}" for d, _ in measures]
                          + [f"x.{FLAG} IS DISTINCT FROM x.{FLAG}_lama"])
    other = [c for c in ds.columns if c not in {d for d, _ in measures} | {FLAG}]
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {FOLLOWERS_TABLE} AS
        SELECT {', '.join(f'h.{q(c)}' for c in other)}, {', '.join(f'x.{q(d)}' for d, _ in measures)},
               x.{FLAG}, h.{SENDER}
        FROM ingest_timeline x JOIN {ds.name} h USING ({using})
        WHERE x._row IS NULL AND ({changed})
    """)
    stats = {}
    for d, c in measures:
        n, k = db.one_row(con, f"SELECT count(*) FILTER (WHERE {q(c)} IS NOT NULL), "
                          f"count(*) FILTER (WHERE {q(c)} IS NOT NULL AND {q(d)} < 0) "
                          f"FROM ingest_timeline WHERE _row IS NOT NULL")
        stats[c] = (n, k)
    followers = db.scalar(con, f"SELECT count(*) FROM {FOLLOWERS_TABLE}")
    con.execute("DROP TABLE ingest_timeline")
    return stats, followers
