"""The store of this process: one DuckDB connection per database file, a cursor per use,
and the address this process serves on.

DuckDB lets one process hold a file read-write, so the app opens it once here and every
part of the process (pages, the HTTP API, the camera fetcher, the camera simulator, the
ingest hand-off) takes cursors from that one connection. No Streamlit here: warroom/ui/data.py
serves pages from this module, and server.py (which may import Streamlit) tells it the
server's options through `server_config.use(...)`.
"""
from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb

from warroom import db
from warroom.config import resolve_db_path

_lock = threading.Lock()
_open: dict[str, tuple[int, duckdb.DuckDBPyConnection]] = {}


def db_path() -> Path:
    """`streamlit run app.py -- --db PATH` wins over WARROOM_DB and the default."""
    argv = sys.argv
    if "--db" in argv[:-1]:
        return resolve_db_path(argv[argv.index("--db") + 1])
    return resolve_db_path()


def connection(path: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """The process's connection to `path` (default db_path()), opened (and the schema brought
    up to date) on first use. Raises db.DatabaseUnavailable with a readable reason.

    Keyed by the file's inode: a file deleted and restored is a new file, so it is reopened
    and the connection to the old one closed."""
    path = Path(path) if path is not None else db_path()
    try:
        inode = os.stat(path).st_ino
    except FileNotFoundError:
        raise db.DatabaseUnavailable("missing", path)
    key = str(path)
    with _lock:
        held = _open.get(key)
        if held is not None and held[0] == inode:
            return held[1]
        con = db.open_store(path)
        _open[key] = (inode, con)
    if held is not None:
        with suppress(duckdb.Error):  # the old file is gone; nothing to release
            held[1].close()
    return con


def release(path: str | Path | None = None) -> None:
    """Close and forget the connection to `path` (default db_path()); the next use reopens it."""
    path = Path(path) if path is not None else db_path()
    with _lock:
        held = _open.pop(str(path), None)
    if held is not None:
        with suppress(duckdb.Error):
            held[1].close()


@contextmanager
def cursor(path: str | Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of the process's connection for one use (a request, a job), closed after it."""
    cur = connection(path).cursor()
    try:
        yield cur
    finally:
        cur.close()


class ServerConfig:
    """The options of the server this process runs (port, base path), read through the
    getter server.py hands over; unset (a command line, a test), every option is None."""

    def __init__(self) -> None:
        self._get: Callable[[str], object] | None = None

    def use(self, get_option: Callable[[str], object]) -> None:
        self._get = get_option

    def get_option(self, name: str):
        return self._get(name) if self._get is not None else None


server_config = ServerConfig()
