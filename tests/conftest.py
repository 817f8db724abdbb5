"""Shared fixtures: small databases built in memory or in a temp file, like Datasette's tests."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Freeze "today" for every test: exact expected values must not depend on the calendar.
# WARROOM_NOW is a frozen instant for this process; the servers and CLI processes that tests
# start get WARROOM_TODAY (the same day; their time of day keeps running). See README/docs.
os.environ.setdefault("WARROOM_NOW", "2026-11-28T10:00:00+08:00")
os.environ.setdefault("WARROOM_TODAY", "2026-11-28")

from warroom import db, reference  # noqa: E402


@pytest.fixture
def store():
    """An in-memory store with the schema and the real reference data (169 + province codes)."""
    con = db.open_store(":memory:", create=True)
    reference.load_reference(con)
    yield con
    con.close()


@pytest.fixture
def store_file(tmp_path, monkeypatch):
    """A store in a temp file with reference data, and WARROOM_DB pointing at it (for AppTest)."""
    path = tmp_path / "warroom.duckdb"
    con = db.open_store(path, create=True)
    reference.load_reference(con)
    con.close()
    monkeypatch.setenv("WARROOM_DB", str(path))
    return path


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches():
    """Pages cache figures by data version, not by file (one process serves one store): a test's
    store must not show the cached figures of the store of the test before it."""
    yield
    import streamlit as st
    st.cache_data.clear()
    st.cache_resource.clear()
