"""Pages' access to the store: the process's connection (warroom/store.py), a cursor per
script run, cached named queries.

Results are cached by (query, parameters, data version): a successful write bumps the
data version, so new data shows at once and nothing is recomputed otherwise.
"""
from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from warroom import db, store

log = logging.getLogger("warroom")
_local = threading.local()


def db_path() -> Path:
    """`streamlit run app.py -- --db PATH` wins over WARROOM_DB and the default."""
    return store.db_path()


def connection():
    """The process's connection (raises db.DatabaseUnavailable with a readable message). The store
    holds it, not a Streamlit cache: the HTTP API and the camera fetcher share it."""
    return store.connection()


def cursor():
    """A cursor for this script run (thread): sessions must not share one cursor."""
    con = connection()
    cur = getattr(_local, "cursor", None)
    if cur is None or getattr(_local, "con", None) is not con:
        cur = con.cursor()
        _local.cursor, _local.con = cur, con
    return cur


def data_version() -> int:
    """The store's data version, read once per script run (a page asks for it with every query)."""
    pinned = getattr(_local, "pinned_version", None)
    if pinned is not None:
        return pinned
    cur = cursor()
    # Streamlit gives each run a fresh `cursors` dict on the run context: the run's identity.
    ctx = get_script_run_ctx(suppress_warning=True)
    run = getattr(ctx, "cursors", None)
    memo = getattr(_local, "version_memo", None)
    key = (run, cur, db.commits())
    if run is not None and memo is not None and memo[0] is run and memo[1] is cur and memo[2] == key[2]:
        return memo[3]
    version = db.data_version(cur)
    if run is not None:
        _local.version_memo = (*key, version)
    return version


@contextmanager
def pinned_version(version: int):
    """Serve this thread's queries from the cache of `version` without asking the store:
    the wall keeps its last good figures while the database is missing (cache misses still fail)."""
    _local.pinned_version = version
    try:
        yield
    finally:
        _local.pinned_version = None


@st.cache_data(show_spinner=False, max_entries=2000)
def _cached_query(name: str, params: tuple, version: int, path: str) -> pd.DataFrame:
    return db.query_df(cursor(), name, dict(params))


def query(name: str, **params) -> pd.DataFrame:
    """Run queries/NAME.sql with bound parameters, cached until the data changes."""
    # st.cache_data hands every caller its own unpickled copy, so callers may change it.
    return _cached_query(name, tuple(sorted(params.items())), data_version(), str(db_path()))


def meta(key: str, default: str | None = None) -> str | None:
    return db.get_meta(cursor(), key, default)


def is_demo() -> bool:
    return meta("demo", "false") == "true"
