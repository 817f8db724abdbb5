"""The per-area daily table computed on a grid (warroom/covid_grid.py) equals the definition
written as one SQL query (tests/reference/covid_daily_by_area.sql, the query that built it before
the grid): the same rows, the same values, on hand-made edge cases and on the demo."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from covid_fixtures import K1, K2, KOTA, MARISO, day, insert, mariso_fixture, set_population

from warroom import covid, covid_grid, db
from warroom.config import city

REFERENCE = Path(__file__).parent / "reference" / "covid_daily_by_area.sql"
ORDER = "order by kode_wilayah, tanggal"


def reference_rows(con) -> list[tuple]:
    """The table as the SQL definition computes it, whole (an empty covid_carried: no stored days)."""
    con.execute("create or replace temp table covid_carried (kode_wilayah varchar, pertama date, "
                "kasus_kumulatif bigint, sembuh_kumulatif bigint, meninggal_kumulatif bigint)")
    return con.execute(f"select * from ({REFERENCE.read_text(encoding='utf-8')}) {ORDER}", _params()).fetchall()


def _params() -> dict:
    return {"kota": city().kode, "produsen": covid.producer(), "sejak": date(1900, 1, 1), "sampai": date(9999, 12, 31)}


def grid_rows(con) -> list[tuple]:
    covid.refresh_daily(con)
    return con.execute(f"select * from {covid.DAILY_TABLE} {ORDER}").fetchall()


def assert_same_table(con) -> int:
    expected, got = reference_rows(con), grid_rows(con)
    sql = REFERENCE.read_text(encoding="utf-8")
    want_types = [(d[0], str(d[1])) for d in con.execute(f"select * from ({sql}) limit 0",
                                                          _params()).description]
    assert [(d[0], str(d[1])) for d in con.execute(f"select * from {covid.DAILY_TABLE} limit 0").description] \
        == want_types                                   # the same columns, the same types
    assert len(got) == len(expected)
    for want, have in zip(expected, got):
        assert have == want, (want[:2], [(c, w, h) for (c, _), w, h in zip(covid_grid.COLUMNS, want, have) if w != h])
    return len(got)


@pytest.fixture
def mariso(store):
    mariso_fixture(store)
    return store


def test_the_grid_equals_the_sql_definition_on_the_hand_made_weeks(mariso):
    assert assert_same_table(mariso) > 0


def test_the_grid_equals_the_sql_definition_on_the_edges(mariso):
    """Rows with every count missing, a city-level row of its own, an area without population,
    a kelurahan starting late, another sender's rows (not official) and the last day beyond them."""
    set_population(mariso, K2, None)
    insert(mariso, [dict(tanggal=day(2), kode_wilayah=K2),                                  # a row, no counts
                    dict(tanggal=day(9), kode_wilayah=KOTA, kasus_baru=500, sembuh_baru=None, meninggal_baru=3),
                    dict(tanggal=day(12), kode_wilayah="73.71.02.1001", kasus_baru=1, sembuh_baru=0,
                         meninggal_baru=0, spesimen_diperiksa=10, spesimen_positif=None),
                    dict(tanggal=day(20), kode_wilayah=MARISO, kasus_baru=None, rawat_inap_baru=4)])
    insert(mariso, [dict(tanggal=day(25), kode_wilayah=K1, kasus_baru=9)], sender="SATGAS_COVID")
    n = assert_same_table(mariso)
    assert n == db.scalar(mariso, f"select count(*) from {covid.DAILY_TABLE}")


def test_the_grid_equals_the_sql_definition_on_the_demo(monkeypatch):
    from warroom import demo, reference
    from warroom.config import today
    con = db.open_store(":memory:")
    try:
        reference.load_reference(con)
        demo.load_demo(con, as_of=today(), scale=1, seed=7371)
        assert assert_same_table(con) > 100_000
        monkeypatch.setattr(covid, "CHUNK_DAYS", 45)          # in pieces too
        assert assert_same_table(con) > 100_000
    finally:
        con.close()


def test_an_empty_dataset_gives_an_empty_table(store):
    assert covid.refresh_daily(store) == 0
    insert(store, [dict(tanggal=day(3), kode_wilayah=K1, kasus_baru=1)], sender="SATGAS_COVID")
    assert covid.refresh_daily(store) == 0                      # only the producer's rows count


def test_counts_beyond_32_bits_are_summed_as_the_definition_sums_them(mariso):
    """A count is only checked to be >= 0 and to fit BIGINT: two kelurahan of 2 billion cases
    on one day make a kecamatan day of 4 billion, not a number wrapped around 32 bits."""
    insert(mariso, [dict(tanggal=day(15), kode_wilayah=K1, kasus_baru=2_000_000_000, meninggal_baru=2_000_000_000),
                    dict(tanggal=day(15), kode_wilayah=K2, kasus_baru=2_000_000_000)])
    assert_same_table(mariso)
    kasus, kumulatif = mariso.execute(f"select kasus_baru, kasus_kumulatif from {covid.DAILY_TABLE} "
                                      "where kode_wilayah = ? and tanggal = ?", [MARISO, day(15)]).fetchone()
    assert kasus == 4_000_000_000
    assert kumulatif > 4_000_000_000


def test_what_is_stored_is_narrower_than_what_is_read(mariso):
    """The view gives COLUMNS; the table behind it keeps STORED (the area's texts and the three
    one-row figures are computed when read), so a long backfill writes less."""
    covid.refresh_daily(mariso)
    kinds = dict(mariso.execute("select table_name, table_type from information_schema.tables "
                                "where table_name like ?", [f"{covid.DAILY_TABLE}%"]).fetchall())
    assert kinds == {covid.DAILY_TABLE: "VIEW", f"{covid.DAILY_TABLE}__angka": "BASE TABLE",
                     f"{covid.DAILY_TABLE}__wilayah": "BASE TABLE"}
    assert stored_types(mariso) == dict(covid_grid.STORED)
    assert covid_grid.STORED == covid_grid.stored_columns(wide=False)
    assert {"tingkat", "kode_induk", "penduduk", "aktif", "cfr_persen", "kasus_rerata_7hari", "kasus_7hari_per_100rb",
            "rawat_inap_7hari_per_100rb", "meninggal_7hari_per_100rb"}.isdisjoint(stored_types(mariso))
    assert {stored_types(mariso)[c] for c in covid_grid.COUNTED} == {"INTEGER"}


def stored_types(con) -> dict[str, str]:
    return {d[0]: str(d[1]) for d in con.execute(f"select * from {covid.DAILY_TABLE}__angka limit 0").description}


def test_counts_beyond_32_bits_are_stored_wide(mariso):
    """A count past 2**31 (a count is only checked to fit BIGINT): the counts are stored as BIGINT."""
    insert(mariso, [dict(tanggal=day(15), kode_wilayah=K1, kasus_baru=3_000_000_000, sembuh_baru=0, meninggal_baru=0)])
    covid.refresh_daily(mariso)
    assert {stored_types(mariso)[c] for c in covid_grid.COUNTED} == {"BIGINT"}


def test_a_change_whose_sums_no_longer_fit_32_bits_rebuilds_the_table_wide(mariso):
    """Each upload's count fits 32 bits, but their cumulative sum does not: the update after the
    third would wrap around in an INTEGER table, so it rebuilds the table as BIGINT, and stays
    equal to the definition."""
    billion = dict(kode_wilayah=K1, kasus_baru=1_000_000_000, sembuh_baru=0, meninggal_baru=0)
    covid.refresh_daily(mariso)
    insert(mariso, [dict(billion, tanggal=day(15))])
    assert covid.ensure_daily(mariso)                         # an update from 15 Nov: still fits
    assert stored_types(mariso)["kasus_kumulatif"] == "INTEGER"
    insert(mariso, [dict(billion, tanggal=day(16))])
    insert(mariso, [dict(billion, tanggal=day(17))])
    assert covid.ensure_daily(mariso)
    assert stored_types(mariso)["kasus_kumulatif"] == "BIGINT"
    expected = reference_rows(mariso)
    assert mariso.execute(f"select * from {covid.DAILY_TABLE} {ORDER}").fetchall() == expected
    kumulatif = mariso.execute(f"select kasus_kumulatif from {covid.DAILY_TABLE} where kode_wilayah = ? "
                               "and tanggal = ?", [K1, day(17)]).fetchone()[0]
    assert kumulatif == sum(n for n in range(1, 15) if n != 5) + 3_000_000_000


def test_a_store_with_the_former_table_gets_the_view(mariso):
    """A store written before the view holds a table under the view's name: the version in the
    source fingerprint differs, so the next refresh rebuilds whole and replaces it."""
    expected = reference_rows(mariso)
    mariso.execute(f"create table {covid.DAILY_TABLE} as select 1 as old")
    db.set_meta(mariso, covid.SOURCE_KEY, covid.source_fingerprint(mariso).replace(
        f"v{covid.DAILY_VERSION}", "v3"))
    assert not covid.is_fresh(mariso)
    assert covid.ensure_daily(mariso)
    assert mariso.execute(f"select * from {covid.DAILY_TABLE} {ORDER}").fetchall() == expected
    assert covid.is_fresh(mariso)
