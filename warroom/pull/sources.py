"""The registry of pulled sources and their schedules.

A source is: name, dataset, sending OPD, URL (http/https), an optional mapping (the
`--map` format) and constants (FIELD=VALUE, sent in the mapping's "constants" key),
format (csv, xlsx, json; empty = decided per run from the Content-Type, else the URL's
extension, else csv), a JSON path for json, a schedule (every N minutes, or daily at
HH:MM city time) and an optional auth header that stays on the server: nothing here
returns it except `auth_header_of`, which only the fetch uses.

The table is created on first use (CREATE TABLE IF NOT EXISTS), so the feature needs no
schema migration. Each source row also carries its run state: next run, last run and
its result, last good run, consecutive failures (for the back-off).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

import duckdb

from warroom import datasets, db
from warroom.config import city
from warroom.i18n import t

FORMATS = ("csv", "xlsx", "json")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
HEADER_NAME_RE = re.compile(r"^[A-Za-z0-9-]{1,64}$")
DAILY_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
DEFAULT_EVERY_MINUTES = 60
MAX_EVERY_MINUTES = 7 * 24 * 60
USER_PREFIX = "sumber:"

# Outcomes of a run, as stored in sources.last_result and shown in Katalog.
OK_RESULTS = ("accepted", "unchanged")
RESULTS = ("accepted", "unchanged", "refused", "fetch_failed", "error")

DDL = """
CREATE TABLE IF NOT EXISTS sources (
    name VARCHAR PRIMARY KEY,
    dataset VARCHAR NOT NULL,
    kode_opd VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    format VARCHAR,                   -- csv | xlsx | json | NULL (decided per run)
    json_path VARCHAR,
    mapping VARCHAR,                  -- JSON: the --map format
    constants VARCHAR,                -- JSON: {field: value}
    every_minutes INTEGER,
    daily_at VARCHAR,                 -- HH:MM city time
    auth_header VARCHAR,              -- "Name: value", never shown
    created_by VARCHAR,
    created_at TIMESTAMPTZ NOT NULL,
    next_run_at TIMESTAMPTZ,
    last_run_at TIMESTAMPTZ,
    last_result VARCHAR,              -- accepted | unchanged | refused | fetch_failed | error
    last_error VARCHAR,               -- reason code of a failed run
    last_error_detail VARCHAR,        -- for the operator's command line only
    last_upload_id BIGINT,
    last_ok_at TIMESTAMPTZ,
    last_ok_upload_id BIGINT,
    last_rows BIGINT,
    failures INTEGER NOT NULL DEFAULT 0
)"""


class SourceError(Exception):
    """A source refused at registration, or unknown: a message key in the catalogue."""

    def __init__(self, key: str, **kwargs):
        self.key, self.kwargs = key, kwargs
        super().__init__(key)

    def message(self, lang: str = "id") -> str:
        return t(self.key, lang, **self.kwargs)


def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create the table when missing (a read first: DDL on every page run would contend with writers)."""
    if db.scalar(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'sources'"):
        return
    with db.WRITE_LOCK:
        con.execute(DDL)


# --- schedules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    every_minutes: int | None = None
    daily_at: str | None = None        # "HH:MM" in the city's time zone

    @property
    def interval(self) -> timedelta:
        return timedelta(minutes=self.every_minutes) if self.every_minutes else timedelta(days=1)

    def next_after(self, at: datetime) -> datetime:
        """The next scheduled instant strictly after `at` (daily: at HH:MM city time)."""
        if self.every_minutes:
            return at + self.interval
        tz = city().tz
        assert self.daily_at is not None   # a schedule is every N minutes or daily at HH:MM
        hour, minute = (int(x) for x in self.daily_at.split(":"))
        local = at.astimezone(tz)
        candidate = datetime.combine(local.date(), time(hour, minute), tzinfo=tz)
        if candidate <= local:
            candidate = datetime.combine(local.date() + timedelta(days=1), time(hour, minute), tzinfo=tz)
        return candidate

    def first_run(self, registered_at: datetime) -> datetime:
        """Every-N sources run at once; daily ones at their next HH:MM."""
        return registered_at if self.every_minutes else self.next_after(registered_at)

    def retry_after(self, failures: int) -> timedelta:
        """Back-off after `failures` consecutive failures: 1, 2, 4 … minutes, at most the interval."""
        return min(timedelta(minutes=2 ** min(max(failures - 1, 0), 20)), self.interval)

    def next_run(self, ran_at: datetime, ok: bool, failures: int) -> datetime:
        """When to run again after a run at `ran_at` (`failures`: consecutive failures so far)."""
        scheduled = self.next_after(ran_at)
        return scheduled if ok else min(ran_at + self.retry_after(failures), scheduled)

    def describe(self, lang: str) -> str:
        if self.every_minutes:
            return t("sumber.schedule.every", lang, n=self.every_minutes)
        return t("sumber.schedule.daily", lang, at=self.daily_at, zone=city().zona)


def parse_schedule(every: int | None, daily: str | None) -> Schedule:
    if every is not None and daily:
        raise SourceError("sumber.err.schedule_both")
    if daily:
        m = DAILY_RE.match(daily.strip())
        if not m:
            raise SourceError("sumber.err.daily", value=daily)
        return Schedule(daily_at=f"{int(m.group(1)):02d}:{m.group(2)}")
    every = DEFAULT_EVERY_MINUTES if every is None else every
    if not 1 <= every <= MAX_EVERY_MINUTES:
        raise SourceError("sumber.err.every", value=every, max=MAX_EVERY_MINUTES)
    return Schedule(every_minutes=int(every))


# --- the registry ------------------------------------------------------------------------------


@dataclass
class Source:
    name: str
    dataset: str
    kode_opd: str
    url: str
    format: str | None = None
    json_path: str | None = None
    mapping: dict | None = None
    constants: dict = field(default_factory=dict)
    schedule: Schedule = field(default_factory=lambda: Schedule(every_minutes=DEFAULT_EVERY_MINUTES))
    has_auth: bool = False
    created_by: str | None = None
    created_at: datetime | None = None
    next_run_at: datetime | None = None
    last_run_at: datetime | None = None
    last_result: str | None = None
    last_error: str | None = None
    last_error_detail: str | None = None
    last_upload_id: int | None = None
    last_ok_at: datetime | None = None
    last_ok_upload_id: int | None = None
    last_rows: int | None = None
    failures: int = 0

    @property
    def username(self) -> str:
        return USER_PREFIX + self.name

    def full_mapping(self) -> dict | None:
        """The stored mapping in the mapping file's full form, with the --set constants added
        to (or overriding) its own "constants": {"columns": {...}, "constants": {...}, ...}."""
        stored = self.mapping
        if stored is None and not self.constants:
            return None
        if stored is None:
            full = {}
        elif _is_full_form(stored):
            full = dict(stored)
        else:
            full = {"columns": dict(stored)}
        if self.constants:
            full["constants"] = {**(full.get("constants") or {}), **self.constants}
        return full

    def ingest_mapping(self) -> dict | None:
        """What the gate gets as `mapping`. A gate that reads the full form (warroom.ingest.mapping,
        with constants) gets it; an older one only reads {source header: standard column}, so it
        gets the columns and the constants wait for that gate."""
        full = self.full_mapping()
        try:
            import warroom.ingest.mapping  # noqa: F401  (the gate that reads constants)
        except ImportError:
            return None if full is None else (full.get("columns") or None)
        return full


# Keys of a mapping file's full form (docs: ingest --map).
FULL_FORM_KEYS = ("columns", "other_columns", "skip_rows_where", "outside_region", "sheet", "constants")


def _is_full_form(obj: dict) -> bool:
    return isinstance(obj.get("columns"), dict) or any(k in obj for k in FULL_FORM_KEYS if k != "columns")


_COLUMNS = ("name", "dataset", "kode_opd", "url", "format", "json_path", "mapping", "constants", "every_minutes",
            "daily_at", "auth_header IS NOT NULL", "created_by", "created_at", "next_run_at", "last_run_at",
            "last_result", "last_error", "last_error_detail", "last_upload_id", "last_ok_at", "last_ok_upload_id",
            "last_rows", "failures")


def _from_row(r: tuple) -> Source:
    d = dict(zip(_COLUMNS, r))
    return Source(
        name=d["name"], dataset=d["dataset"], kode_opd=d["kode_opd"], url=d["url"], format=d["format"],
        json_path=d["json_path"], mapping=json.loads(d["mapping"]) if d["mapping"] else None,
        constants=json.loads(d["constants"]) if d["constants"] else {},
        schedule=Schedule(d["every_minutes"], d["daily_at"]), has_auth=bool(d["auth_header IS NOT NULL"]),
        **{k: d[k] for k in _COLUMNS[11:]})


def list_sources(con: duckdb.DuckDBPyConnection) -> list[Source]:
    ensure_table(con)
    return [_from_row(r) for r in con.execute(f"SELECT {', '.join(_COLUMNS)} FROM sources ORDER BY name").fetchall()]


def get(con: duckdb.DuckDBPyConnection, name: str) -> Source:
    ensure_table(con)
    row = con.execute(f"SELECT {', '.join(_COLUMNS)} FROM sources WHERE name = ?", [name]).fetchone()
    if row is None:
        raise SourceError("sumber.err.unknown", name=name)
    return _from_row(row)


def auth_header_of(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, str]:
    """The stored auth header as {name: value}, for the fetch only."""
    row = con.execute("SELECT auth_header FROM sources WHERE name = ?", [name]).fetchone()
    if not row or not row[0]:
        return {}
    key, _, value = row[0].partition(":")
    return {key.strip(): value.strip()}


def public_url(url: str) -> str:
    """The URL as shown anywhere: no credentials, no query (tokens live there), no fragment."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}" + ("?…" if parts.query else "")


def parse_auth_header(text: str | None) -> str | None:
    """'Authorization: Bearer x' -> kept as is; anything else is refused (the text is never echoed)."""
    if text is None:
        return None
    key, sep, value = text.strip().partition(":")
    if not sep or not HEADER_NAME_RE.match(key.strip()) or not value.strip() or any(c in text for c in "\r\n\0"):
        raise SourceError("sumber.err.header")
    return f"{key.strip()}: {value.strip()}"


def parse_constants(pairs: list[str] | dict | None, dataset: str) -> dict[str, str]:
    """FIELD=VALUE pairs (repeatable --set) for a dataset's columns."""
    if not pairs:
        return {}
    items = pairs.items() if isinstance(pairs, dict) else (p.partition("=")[::2] if "=" in p else (p, None)
                                                            for p in pairs)
    out = {}
    columns = datasets.get(dataset).columns
    for key, value in items:
        key = (key or "").strip()
        if value is None or not key:
            raise SourceError("sumber.err.set", value=key)
        if key not in columns:
            raise SourceError("sumber.err.set_field", field=key, dataset=dataset)
        out[key] = str(value)
    return out


def check_mapping(mapping) -> dict | None:
    if mapping is None:
        return None
    inner = mapping.get("columns", mapping) if isinstance(mapping, dict) else None
    if not isinstance(inner, dict) or not all(isinstance(k, str) for k in inner):
        raise SourceError("sumber.err.mapping")
    return mapping


def add(con: duckdb.DuckDBPyConnection, *, name: str, dataset: str, kode_opd: str, url: str, at: datetime,
        by: str | None = None, mapping: dict | None = None, constants=None, every: int | None = None,
        daily: str | None = None, fmt: str | None = None, json_path: str | None = None,
        auth_header: str | None = None) -> Source:
    """Register a source (checked first; nothing stored when anything is wrong)."""
    ensure_table(con)
    name = (name or "").strip()
    if not NAME_RE.match(name):
        raise SourceError("sumber.err.name", value=name)
    if dataset not in datasets.ALL:
        raise SourceError("sumber.err.dataset", value=dataset, known=", ".join(datasets.ALL))
    kode_opd = (kode_opd or "").strip().upper()
    if not db.scalar(con, "SELECT count(*) FROM opd WHERE kode_opd = ?", [kode_opd]):
        raise SourceError("sumber.err.opd", value=kode_opd)
    parts = urlsplit((url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceError("sumber.err.url")
    if fmt is not None and fmt not in FORMATS:
        raise SourceError("sumber.err.format", value=fmt)
    if json_path and fmt not in (None, "json"):
        raise SourceError("sumber.err.json_path")
    schedule = parse_schedule(every, daily)
    values = check_mapping(mapping)
    consts = parse_constants(constants, dataset)
    header = parse_auth_header(auth_header)
    with db.WRITE_LOCK:
        if db.scalar(con, "SELECT count(*) FROM sources WHERE name = ?", [name]):
            raise SourceError("sumber.err.exists", name=name)
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(
                "INSERT INTO sources (name, dataset, kode_opd, url, format, json_path, mapping, constants, "
                "every_minutes, daily_at, auth_header, created_by, created_at, next_run_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [name, dataset, kode_opd, url.strip(), fmt, json_path or None,
                 json.dumps(values, ensure_ascii=False) if values is not None else None,
                 json.dumps(consts, ensure_ascii=False) if consts else None, schedule.every_minutes,
                 schedule.daily_at, header, by, at, schedule.first_run(at)])
            from warroom import lineage
            lineage.audit(con, "source_added", by, source=name, dataset=dataset, kode_opd=kode_opd)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return get(con, name)


def remove(con: duckdb.DuckDBPyConnection, name: str, by: str | None = None) -> None:
    """Forget a source; its uploads stay in the log (lineage, rollback)."""
    get(con, name)
    with db.WRITE_LOCK:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("DELETE FROM sources WHERE name = ?", [name])
            from warroom import lineage
            lineage.audit(con, "source_removed", by, source=name)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def due(con: duckdb.DuckDBPyConnection, at: datetime) -> list[str]:
    """Names of the sources whose next run is at or before `at`, the most overdue first."""
    ensure_table(con)
    return [r[0] for r in con.execute(
        "SELECT name FROM sources WHERE next_run_at <= ? ORDER BY next_run_at, name", [at]).fetchall()]


def history(con: duckdb.DuckDBPyConnection, name: str, limit: int = 20) -> list[dict]:
    """The source's runs from the upload log, newest first."""
    cols = ["upload_id", "created_at", "status", "rows_total", "rows_inserted", "rows_updated", "rows_unchanged",
            "report"]
    rows = con.execute(f"SELECT {', '.join(cols)} FROM uploads WHERE username = ? ORDER BY upload_id DESC LIMIT ?",
                       [USER_PREFIX + name, limit]).fetchall()
    return [dict(zip(cols, r)) for r in rows]
