"""The app with a missing, corrupt or too-new database: a readable message and a hint, never a traceback."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from warroom import db
from warroom.schema import SCHEMA_VERSION


def run_ringkasan(path, monkeypatch) -> AppTest:
    monkeypatch.setenv("WARROOM_DB", str(path))
    at = AppTest.from_file("../pages/ringkasan.py", default_timeout=60)
    at.run()
    return at


def messages(at: AppTest) -> str:
    return " ".join(str(e.value) for e in at.error)


def test_missing_database(tmp_path, monkeypatch):
    path = tmp_path / "hilang.duckdb"
    at = run_ringkasan(path, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    text = messages(at)
    assert f"Basis data tidak ditemukan: {path}" in text
    assert f"python -m warroom init --demo --db {path}" in text
    assert not path.exists()                      # the app does not create an empty store


def test_corrupt_database(tmp_path, monkeypatch):
    path = tmp_path / "rusak.duckdb"
    path.write_bytes(b"\x00garbage, not a DuckDB file\x00" * 200)
    at = run_ringkasan(path, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    text = messages(at)
    assert f"Berkas basis data rusak atau bukan basis data War Room: {path}" in text
    assert "init --demo" in text


def test_database_from_a_newer_version(tmp_path, monkeypatch):
    path = tmp_path / "baru.duckdb"
    con = db.open_store(path, create=True)
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 5)])
    con.close()
    at = run_ringkasan(path, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    assert f"Basis data ini dibuat oleh versi War Room yang lebih baru: {path}" in messages(at)


@pytest.mark.parametrize("lang, expected", [("en", "Database not found"), ("id", "Basis data tidak ditemukan")])
def test_message_in_the_chosen_language(tmp_path, monkeypatch, lang, expected):
    monkeypatch.setenv("WARROOM_DB", str(tmp_path / "none.duckdb"))
    at = AppTest.from_file("../pages/ringkasan.py", default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    assert expected in messages(at)


def test_a_dev_server_refuses_a_port_someone_else_holds(tmp_path):
    """Otherwise its health check could be answered by the other server (a benchmark measured
    the wrong process once, when two runs shared a fixed port)."""
    import socket

    from devtools.devserver import AppServer
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        with pytest.raises(RuntimeError, match=f"port {other.getsockname()[1]} is already in use"):
            AppServer(tmp_path / "x.duckdb", tmp_path / "server.log", port=other.getsockname()[1])
