"""The store's DDL matches the dataset schemas; old files are upgraded in place, newer ones refused."""
from __future__ import annotations

import pytest

from warroom import datasets, db, schema
from warroom.schema import SCHEMA_VERSION, ensure_schema

DUCKDB_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "date": "DATE",
                "datetime": "TIMESTAMP", "boolean": "BOOLEAN"}


def columns(con, table: str) -> list[tuple[str, str]]:
    return con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
                       "ORDER BY ordinal_position", [table]).fetchall()


@pytest.mark.parametrize("name", datasets.ALL)
def test_table_columns_follow_the_json_schema(store, name):
    ds = datasets.get(name)
    expected = [(f["name"], DUCKDB_TYPES[f["type"]]) for f in ds.spec["fields"]]
    lineage = [("sumber_opd", "VARCHAR"), ("upload_id", "BIGINT")]
    assert columns(store, name) == expected + lineage
    assert columns(store, f"{name}__replaced") == expected + lineage + [("replaced_by", "BIGINT")]


def test_the_standard_datasets_and_their_keys():
    keys = {ds.name: ds.key for ds in datasets.all_datasets()}
    assert keys == {
        "wilayah": ["kode_wilayah"], "opd": ["kode_opd"], "covid19_harian": ["tanggal", "kode_wilayah"],
        "kinerja_opd": ["kode_indikator", "periode"], "cctv": ["kode_cctv"], "menara_bts": ["kode_menara"],
        "fasyankes": ["kode_faskes", "tanggal"], "aplikasi": ["kode_aplikasi"],
    }
    assert datasets.get("covid19_harian").producer == "DINKES"
    assert datasets.get("covid19_harian").cosenders == ["SATGAS_COVID"]


def test_a_fresh_store_is_at_the_latest_version(store):
    assert db.get_meta(store, "schema_version") == str(SCHEMA_VERSION)
    assert db.data_version(store) == 1           # the reference load was one write


def test_a_version_1_file_is_upgraded_in_place_without_losing_data(tmp_path):
    path = tmp_path / "v1.duckdb"
    con = db.connect(path, create=True)
    assert ensure_schema(con, target=1) == 0
    assert db.get_meta(con, "schema_version") == "1"
    assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name IN "
                       "('users', 'batas_wilayah')").fetchone()[0] == 0
    con.execute("INSERT INTO uploads (upload_id, dataset, kode_opd, username, created_at, status) "
                "VALUES (nextval('upload_id_seq'), 'covid19_harian', 'DINKES', 'budi', TIMESTAMPTZ "
                "'2021-07-31 09:00:00+08', 'accepted')")
    con.execute("INSERT INTO covid19_harian (tanggal, kode_wilayah, kasus_baru, sembuh_baru, meninggal_baru, "
                "spesimen_diperiksa, spesimen_positif, sumber_opd, upload_id) "
                "VALUES (DATE '2021-07-31', '73.71.01', 12, 3, 1, 80, 12, 'DINKES', 1)")
    con.close()

    con = db.open_store(path)
    assert db.get_meta(con, "schema_version") == str(SCHEMA_VERSION)
    assert con.execute("SELECT tanggal::VARCHAR, kode_wilayah, kasus_baru, sembuh_baru, meninggal_baru, "
                       "spesimen_diperiksa, spesimen_positif, sumber_opd, upload_id FROM covid19_harian"
                       ).fetchall() == [("2021-07-31", "73.71.01", 12, 3, 1, 80, 12, "DINKES", 1)]
    assert con.execute("SELECT username, status FROM uploads").fetchall() == [("budi", "accepted")]
    assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name IN "
                       "('users', 'audit_log', 'batas_wilayah')").fetchone()[0] == 3
    # The next upload id continues after the old ones.
    assert con.execute("SELECT nextval('upload_id_seq')").fetchone()[0] == 2
    con.close()


def test_upgrading_twice_changes_nothing(tmp_path):
    path = tmp_path / "s.duckdb"
    db.open_store(path, create=True).close()
    con = db.open_store(path)
    assert ensure_schema(con) == SCHEMA_VERSION
    con.close()


def test_a_file_from_a_newer_version_is_refused_readably(tmp_path):
    path = tmp_path / "future.duckdb"
    con = db.open_store(path, create=True)
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.close()
    with pytest.raises(db.DatabaseUnavailable) as caught:
        db.open_store(path)
    assert caught.value.reason == "newer"
    assert caught.value.message("id") == f"Basis data ini dibuat oleh versi War Room yang lebih baru: {path}"
    assert "git pull" in caught.value.hint("en")
    con = db.connect(path)                               # and the file was left as it was
    assert db.get_meta(con, "schema_version") == str(SCHEMA_VERSION + 1)
    con.close()
    with pytest.raises(schema.SchemaTooNew):
        ensure_schema(db.connect(path))


def test_a_new_optional_column_is_added_to_a_stored_table_and_its_replaced_rows(store):
    """A dataset schema that gained an optional column: opening the store adds it to both tables,
    with its type, and keeps the rows."""
    before = store.execute("SELECT count(*) FROM wilayah").fetchone()[0]
    for table in ("wilayah", "wilayah__replaced", "cctv__replaced"):
        store.execute(f"ALTER TABLE {table} DROP COLUMN penduduk" if table.startswith("wilayah")
                      else f"ALTER TABLE {table} DROP COLUMN url_stream")
    assert ("penduduk", "BIGINT") not in columns(store, "wilayah")
    ensure_schema(store)
    assert ("penduduk", "BIGINT") in columns(store, "wilayah")
    assert ("penduduk", "BIGINT") in columns(store, "wilayah__replaced")
    assert ("url_stream", "VARCHAR") in columns(store, "cctv__replaced")
    assert store.execute("SELECT count(*), count(penduduk) FROM wilayah").fetchone() == (before, 0)
