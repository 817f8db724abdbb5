"""The per-area Covid daily table follows uploads and rollbacks in the same transaction."""
from __future__ import annotations

from warroom import covid, db, ingest, rollback

HEADER = "tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru\n"
KEL = "73.71.01.1001"   # Bontorannu, Mariso


def _send(store, rows: str):
    result = ingest.ingest_file(store, "covid19_harian", (HEADER + rows).encode(), kode_opd="DINKES",
                                username="uji", file_name="c.csv")
    assert result.accepted, result.report_rows()
    return result.upload_id


def _city(store, day: str):
    return store.execute(f"SELECT kasus_baru, kasus_kumulatif, aktif FROM {covid.DAILY_TABLE} "
                         "WHERE kode_wilayah = '73.71' AND tanggal = ?", [day]).fetchone()


def test_upload_then_rollback_keep_the_daily_table_current(store):
    first = _send(store, f"2026-11-01,{KEL},5,0,0\n2026-11-02,{KEL},3,1,0\n")
    assert covid.is_fresh(store)
    assert _city(store, "2026-11-02") == (3, 8, 7)

    # A correction of 2 November and a new day: only those days are recomputed.
    second = _send(store, f"2026-11-02,{KEL},4,1,0\n2026-11-03,{KEL},2,0,1\n")
    assert covid.is_fresh(store)
    assert _city(store, "2026-11-02") == (4, 9, 8)
    assert _city(store, "2026-11-03") == (2, 11, 9)

    rollback.rollback_upload(store, second, "uji")
    assert covid.is_fresh(store)
    assert _city(store, "2026-11-02") == (3, 8, 7)
    assert _city(store, "2026-11-03") is None
    assert first < second


def _table(store):
    return store.execute(f"SELECT * FROM {covid.DAILY_TABLE} ORDER BY kode_wilayah, tanggal").fetchall()


def test_a_file_sent_again_unchanged_skips_the_refresh_and_leaves_the_table_current(store, monkeypatch):
    rows = f"2026-11-01,{KEL},5,0,0\n2026-11-02,{KEL},3,1,0\n"
    _send(store, rows)
    before = _table(store)

    def no_refresh(*args, **kwargs):
        raise AssertionError("refresh_daily called for an upload that changed no value")
    monkeypatch.setattr(covid, "refresh_daily", no_refresh)
    again = _send(store, rows)
    assert store.execute("SELECT rows_inserted, rows_updated, rows_unchanged FROM uploads WHERE upload_id = ?",
                         [again]).fetchone() == (0, 0, 2)
    assert covid.is_fresh(store)
    assert _table(store) == before


def test_an_unchanged_file_still_refreshes_a_table_that_was_stale_before_it(store):
    rows = f"2026-11-01,{KEL},5,0,0\n2026-11-02,{KEL},3,1,0\n"
    _send(store, rows)
    # the stored rows changed behind the table's back (no refresh): it is stale now
    store.execute("UPDATE covid19_harian SET kasus_baru = 6 WHERE tanggal = '2026-11-01'")
    db.set_meta(store, covid.SOURCE_KEY, "changed elsewhere")
    assert not covid.is_fresh(store)
    _send(store, f"2026-11-01,{KEL},6,0,0\n")
    assert covid.is_fresh(store)
    assert _city(store, "2026-11-02") == (3, 9, 8)


def test_a_file_that_changes_nothing_is_logged_unchanged_and_writes_no_row(store):
    """Re-sending a file costs a read, not a rewrite: the stored rows keep naming the upload
    they came from, nothing moves to __replaced, the data version stays, the log says so."""
    rows = f"2026-11-20,{KEL},3,0,0\n2026-11-20,73.71.01.1002,4,0,0\n"
    first = _send(store, rows)
    version = store.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0]
    again = _send(store, rows)
    assert again != first
    assert store.execute("SELECT status, rows_total, rows_inserted, rows_updated, rows_unchanged FROM uploads "
                         "WHERE upload_id = ?", [again]).fetchone() == ("unchanged", 2, 0, 0, 2)
    assert store.execute("SELECT DISTINCT upload_id FROM covid19_harian").fetchall() == [(first,)]
    assert store.execute("SELECT count(*) FROM covid19_harian__replaced").fetchone()[0] == 0
    assert store.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0] == version
    # One changed row: an ordinary accepted upload again, every row it sends now names it.
    changed = _send(store, f"2026-11-20,{KEL},3,0,0\n2026-11-20,73.71.01.1002,5,0,0\n")
    assert store.execute("SELECT status FROM uploads WHERE upload_id = ?", [changed]).fetchone()[0] == "accepted"
    assert store.execute("SELECT DISTINCT upload_id FROM covid19_harian").fetchall() == [(changed,)]
