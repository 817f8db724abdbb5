"""Opening the store, named queries, the data version and the one-writer lock.

DuckDB lets one process hold a file read-write and no other process open it at all,
so the running app is the only process that opens the database; scripts hand their
work to it (see warroom.handoff) when it runs.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, overload

import duckdb

from warroom.config import QUERY_DIR


class DatabaseUnavailable(Exception):
    """The database is missing, corrupt or held by another process (CLI exit code 3)."""

    def __init__(self, reason: str, path: Path, detail: str = ""):
        self.reason, self.path, self.detail = reason, Path(path), detail
        super().__init__(self.message("en"))

    def message(self, lang: str = "id") -> str:
        from warroom.i18n import t
        return t(f"db.{self.reason}", lang, path=str(self.path))

    def hint(self, lang: str = "id") -> str:
        from warroom.i18n import t
        return t(f"db.{self.reason}.hint", lang, path=str(self.path))


def connect(path: str | Path, *, create: bool = False, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database file, translating DuckDB's errors into DatabaseUnavailable."""
    if str(path) == ":memory:":
        return duckdb.connect(":memory:")
    path = Path(path)
    if not create and not path.exists():
        raise DatabaseUnavailable("missing", path)
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        text = str(exc)
        if "lock" in text.lower():
            reason = "locked"
        elif "not a valid DuckDB database" in text or "Serialization" in type(exc).__name__ or "corrupt" in text.lower():
            reason = "corrupt"
        elif "No such file" in text:
            reason = "missing"
        else:
            reason = "corrupt"
        raise DatabaseUnavailable(reason, path, text) from exc


def open_store(path: str | Path, *, create: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and if needed create or upgrade) the store read-write."""
    from warroom.schema import SchemaTooNew, ensure_schema
    con = connect(path, create=create)
    try:
        ensure_schema(con)
    except SchemaTooNew as exc:
        con.close()
        raise DatabaseUnavailable("newer", Path(path), str(exc)) from exc
    except (duckdb.IOException, duckdb.InternalException, duckdb.SerializationException) as exc:
        con.close()
        raise DatabaseUnavailable("corrupt", Path(path), str(exc)) from exc
    return con


@lru_cache(maxsize=None)
def load_query(name: str) -> str:
    """The SQL text of queries/NAME.sql. Parameters are bound by DuckDB, never formatted in."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"bad query name {name!r}")
    path = QUERY_DIR / f"{name}.sql"
    if not path.exists():
        raise KeyError(f"no query named {name!r} in {QUERY_DIR}")
    return path.read_text(encoding="utf-8")


def query_df(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None):
    """Run a named query and return a pandas DataFrame."""
    return con.execute(load_query(name), params or {}).df()


def rows_as_dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The rest of an executed cursor's rows as {column name: value}: the one row-to-dict loop."""
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def row_as_dict(cur: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    """The next row of an executed cursor as {column name: value}, None when there is none."""
    row = cur.fetchone()
    return None if row is None else dict(zip([d[0] for d in cur.description], row))


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> Any:
    """The first column of the first row of SQL; LookupError when the query returns no row."""
    row = con.execute(sql, params).fetchone() if params is not None else con.execute(sql).fetchone()
    if row is None:
        raise LookupError(f"no row from {sql!r}")
    return row[0]


def one_row(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> tuple[Any, ...]:
    """The first row of SQL (an aggregate, a row known to exist); LookupError when there is none."""
    row = con.execute(sql, params).fetchone() if params is not None else con.execute(sql).fetchone()
    if row is None:
        raise LookupError(f"no row from {sql!r}")
    return row


def query_rows(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> list[tuple]:
    return con.execute(load_query(name), params or {}).fetchall()


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that changes on every successful write: the key that expires caches."""
    row = con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
    return int(row[0]) if row else 0


@overload
def get_meta(con: duckdb.DuckDBPyConnection, key: str, default: str) -> str: ...
@overload
def get_meta(con: duckdb.DuckDBPyConnection, key: str, default: None = None) -> str | None: ...
def get_meta(con: duckdb.DuckDBPyConnection, key: str, default: str | None = None) -> str | None:
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])


# One writer at a time inside the process; DuckDB's MVCC keeps readers on the last commit.
WRITE_LOCK = threading.RLock()
_commits = 0


def commits() -> int:
    """How many write transactions this process has committed (lets readers memoise the version)."""
    return _commits


@contextmanager
def write_transaction(con: duckdb.DuckDBPyConnection, bump: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """A write transaction that bumps the data version when it commits (bump=False: only
    records such as the upload log changed, no figure a page shows)."""
    with WRITE_LOCK:
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
            if bump:
                con.execute("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) "
                            "WHERE key = 'data_version'")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        global _commits
        _commits += 1
