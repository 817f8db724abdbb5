"""Alert history in the store: what fires, since when, what was announced, who acknowledged it.

Tables are created idempotently (CREATE ... IF NOT EXISTS) by `ensure_tables`, like the
other operational tables; they are operational records, so writing them does not bump the
data version (that would expire every page's cache and re-trigger the evaluation).
An alert is one row per (rule, object) episode: state firing until the rule stops finding
the object, then resolved with its end time. `notified_*_at` record what was announced,
so a restarted app does not announce it again.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import datetime

import duckdb

from warroom import db
from warroom.alerts.rules import Evaluation, Finding

FIRING, RESOLVED = "firing", "resolved"

DDL = (
    "CREATE SEQUENCE IF NOT EXISTS alert_id_seq START 1",
    """CREATE TABLE IF NOT EXISTS alert_events (
        alert_id BIGINT PRIMARY KEY,
        rule VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        severity VARCHAR NOT NULL,
        object VARCHAR NOT NULL,           -- the object's code (kode_menara, kode_aplikasi, kode_wilayah, ...)
        object_kind VARCHAR NOT NULL,      -- which code it is
        label VARCHAR,
        value VARCHAR,                     -- JSON
        threshold VARCHAR,                 -- JSON
        detail VARCHAR,                    -- JSON
        link VARCHAR,
        state VARCHAR NOT NULL,            -- firing | resolved
        started_at TIMESTAMPTZ NOT NULL,
        ended_at TIMESTAMPTZ,
        notified_firing_at TIMESTAMPTZ,    -- announced (or deliberately not: no webhook, resolved first)
        notified_resolved_at TIMESTAMPTZ,
        acked_by VARCHAR,
        acked_at TIMESTAMPTZ,
        ack_note VARCHAR
    )""",
    "CREATE SEQUENCE IF NOT EXISTS alert_delivery_id_seq START 1",
    """CREATE TABLE IF NOT EXISTS alert_deliveries (
        delivery_id BIGINT PRIMARY KEY,
        webhook VARCHAR NOT NULL,
        rule VARCHAR,
        status VARCHAR NOT NULL,           -- firing | resolved | test
        alert_ids VARCHAR,                 -- JSON list
        attempted_at TIMESTAMPTZ NOT NULL,
        attempts INTEGER NOT NULL,
        ok BOOLEAN NOT NULL,
        error VARCHAR
    )""",
)
COLUMNS = ("alert_id", "rule", "kind", "severity", "object", "object_kind", "label", "value", "threshold", "detail",
           "link", "state", "started_at", "ended_at", "notified_firing_at", "notified_resolved_at", "acked_by",
           "acked_at", "ack_note")


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    with db.WRITE_LOCK:
        for statement in DDL:
            con.execute(statement)


def has_tables(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(db.scalar(con, "select count(*) from information_schema.tables where table_name = 'alert_events'"))


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection):
    """A write transaction that does not bump the data version (operational records)."""
    with db.WRITE_LOCK:
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _rows(cur) -> list[dict]:
    names = [d[0] for d in cur.description]
    out = []
    for values in cur.fetchall():
        row = dict(zip(names, values))
        for key in ("value", "threshold", "detail"):
            if key in row and row[key] is not None:
                row[key] = json.loads(row[key])
        out.append(row)
    return out


def firing(con: duckdb.DuckDBPyConnection) -> list[dict]:
    if not has_tables(con):
        return []
    return _rows(con.execute(f"select {', '.join(COLUMNS)} from alert_events where state = 'firing' "
                             "order by started_at desc, rule, object"))


def history(con: duckdb.DuckDBPyConnection, *, limit: int = 500, rule: str | None = None,
            state: str | None = None) -> list[dict]:
    """Alerts newest first, optionally of one rule and/or state."""
    if not has_tables(con):
        return []
    where, params = [], []
    if rule:
        where.append("rule = ?")
        params.append(rule)
    if state:
        where.append("state = ?")
        params.append(state)
    sql = (f"select {', '.join(COLUMNS)} from alert_events {'where ' + ' and '.join(where) if where else ''} "
           f"order by coalesce(ended_at, started_at) desc, alert_id desc limit {int(limit)}")
    return _rows(con.execute(sql, params))


def sync(con: duckdb.DuckDBPyConnection, evaluation: Evaluation, at: datetime,
         configured: set[str] | None = None) -> tuple[list[int], list[int]]:
    """Bring the firing alerts in line with an evaluation: new (rule, object) pairs start
    firing, firing ones the evaluation no longer finds are resolved (only for rules that
    answered, and for rules no longer in the rule file when `configured` names those that
    are), the others get their latest value. Returns (opened ids, resolved ids)."""
    ensure_tables(con)
    found = {f.key: f for f in evaluation.findings}
    opened, closed = [], []
    with _transaction(con):
        current = {(r[1], r[2]): r[0] for r in con.execute(
            "select alert_id, rule, object from alert_events where state = 'firing'").fetchall()}
        for key, alert_id in current.items():
            f = found.get(key)
            if f is None:
                if key[0] in evaluation.evaluated or (configured is not None and key[0] not in configured):
                    con.execute("update alert_events set state = 'resolved', ended_at = ? where alert_id = ?",
                                [at, alert_id])
                    closed.append(alert_id)
                continue
            con.execute("update alert_events set value = ?, threshold = ?, label = ?, detail = ?, severity = ?, "
                        "link = ? where alert_id = ?",
                        [_json(f.value), _json(f.threshold), f.label, _json(f.detail), f.severity, f.link, alert_id])
        for key, f in found.items():
            if key in current:
                continue
            alert_id = db.scalar(con, "select nextval('alert_id_seq')")
            con.execute(f"insert into alert_events ({', '.join(COLUMNS[:13])}) values ({', '.join('?' * 13)})",
                        [alert_id, f.rule, f.kind, f.severity, f.object, f.object_kind, f.label, _json(f.value),
                         _json(f.threshold), _json(f.detail), f.link, FIRING, at])
            opened.append(alert_id)
    return opened, closed


def started_at(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], datetime]:
    """When each firing (rule, object) started, as recorded."""
    if not has_tables(con):
        return {}
    return {(r[0], r[1]): r[2] for r in con.execute(
        "select rule, object, started_at from alert_events where state = 'firing'").fetchall()}


def mark_notified(con: duckdb.DuckDBPyConnection, ids: list[int], status: str, at: datetime) -> None:
    if not ids:
        return
    column = "notified_firing_at" if status == FIRING else "notified_resolved_at"
    with _transaction(con):
        con.execute(f"update alert_events set {column} = ? where list_contains(?, alert_id)", [at, ids])


def pending(con: duckdb.DuckDBPyConnection) -> tuple[list[dict], list[dict]]:
    """(firing alerts not yet announced, resolved alerts whose start was announced but not their end)."""
    if not has_tables(con):
        return [], []
    new = _rows(con.execute(f"select {', '.join(COLUMNS)} from alert_events where state = 'firing' "
                            "and notified_firing_at is null order by rule, object"))
    ended = _rows(con.execute(f"select {', '.join(COLUMNS)} from alert_events where state = 'resolved' "
                              "and notified_resolved_at is null order by rule, object"))
    return new, ended


def last_firing_message(con: duckdb.DuckDBPyConnection, rule: str) -> datetime | None:
    return db.scalar(con, "select max(attempted_at) from alert_deliveries where rule = ? and status = 'firing'",
                     [rule])


def record_delivery(con: duckdb.DuckDBPyConnection, webhook: str, rule: str | None, status: str, ids: list[int],
                    at: datetime, attempts: int, ok: bool, error: str | None) -> None:
    with _transaction(con):
        con.execute("insert into alert_deliveries values (nextval('alert_delivery_id_seq'), ?, ?, ?, ?, ?, ?, ?, ?)",
                    [webhook, rule, status, _json(ids), at, attempts, ok, error])


def deliveries(con: duckdb.DuckDBPyConnection, limit: int = 100) -> list[dict]:
    if not has_tables(con):
        return []
    cur = con.execute(f"select * from alert_deliveries order by attempted_at desc, delivery_id desc "
                      f"limit {int(limit)}")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def acknowledge(con: duckdb.DuckDBPyConnection, alert_id: int, username: str, note: str, at: datetime) -> bool:
    """Record who acknowledged an alert, when, and their note; False when there is no such alert."""
    ensure_tables(con)
    note = (note or "").strip()[:500]
    with _transaction(con):
        if not db.scalar(con, "select count(*) from alert_events where alert_id = ?", [alert_id]):
            return False
        con.execute("update alert_events set acked_by = ?, acked_at = ?, ack_note = ? where alert_id = ?",
                    [username, at, note, alert_id])
        con.execute("insert into audit_log values (nextval('audit_id_seq'), ?, ?, 'alert_ack', ?)",
                    [at, username, _json({"alert_id": alert_id, "note": note})])
    return True


def finding_row(f: Finding, since) -> dict:
    """A Finding as the command line prints it (JSON line)."""
    return {"rule": f.rule, "severity": f.severity, "object": f.object, "object_kind": f.object_kind,
            "label": f.label, "value": f.value, "threshold": f.threshold,
            "since": since.isoformat() if isinstance(since, datetime) else since, "link": f.link,
            "detail": f.detail}
