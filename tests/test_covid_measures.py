"""Covid-19 derived measures on a hand-made fixture, with values worked out by hand."""
from __future__ import annotations

import pytest
from covid_fixtures import K1, K2, KOTA, MARISO, day, insert, mariso_fixture, set_population, week_of

from warroom import covid, db


def figures(con, kode, n):
    """The daily-table row of an area on day n of November 2026, as a dict (None if absent)."""
    covid.ensure_daily(con)
    cur = con.execute(f"select * from {covid.DAILY_TABLE} where kode_wilayah = ? and tanggal = ?", [kode, day(n)])
    row = cur.fetchone()
    return None if row is None else dict(zip([d[0] for d in cur.description], row))


def level(con, kode, n):
    row = figures(con, kode, n)
    frame = covid.add_levels(__import__("pandas").DataFrame([row]))
    lvl = frame["level_ppkm"].iloc[0]
    return (None if lvl is None or str(lvl) == "<NA>" else int(lvl)), frame["indikator_tersedia"].iloc[0]


@pytest.fixture
def mariso(store):
    mariso_fixture(store)
    return store


def test_weekly_figures_start_on_the_seventh_day_of_an_areas_data(mariso):
    sixth = figures(mariso, K1, 6)
    assert sixth["hari_ke"] == 6
    assert sixth["kasus_7hari"] is None and sixth["kasus_7hari_per_100rb"] is None
    assert sixth["positivity_7hari_persen"] is None
    seventh = figures(mariso, K1, 7)
    # 1+2+3+4+0(5 Nov: no row)+6+7 over 100,000 people
    assert seventh["kasus_7hari"] == 23
    assert seventh["kasus_7hari_per_100rb"] == pytest.approx(23.0)
    assert seventh["rawat_inap_7hari_per_100rb"] == pytest.approx(6.0)
    assert seventh["meninggal_7hari_per_100rb"] == pytest.approx(1.0)
    assert seventh["positivity_7hari_persen"] == pytest.approx(23 * 100 / 120)
    assert seventh["kasus_rerata_7hari"] == pytest.approx(23 / 7)
    assert level(mariso, K1, 7) == (2, "kasus;rawat_inap;meninggal")
    # K2's data starts on 4 Nov: its 7th day is 10 Nov
    assert figures(mariso, K2, 9)["kasus_7hari_per_100rb"] is None
    assert figures(mariso, K2, 10)["kasus_7hari_per_100rb"] == pytest.approx(14 * 100_000 / 50_000)


def test_day_without_rows_counts_as_zero_and_data_end_window(mariso):
    gap = figures(mariso, K1, 5)
    assert gap["ada_data"] is False and gap["kasus_baru"] is None
    assert gap["kasus_kumulatif"] == 10
    # K2 stopped on 10 Nov; the dataset ends on 14 Nov: its last window holds 8..10 Nov only.
    end = figures(mariso, K2, 14)
    assert end["kasus_7hari"] == 6
    assert end["kasus_7hari_per_100rb"] == pytest.approx(12.0)
    assert end["aktif"] == 14 - 7
    assert figures(mariso, K2, 15) is None
    last = figures(mariso, K1, 14)
    assert last["kasus_7hari"] == 8 + 9 + 10 + 11 + 12 + 13 + 14
    assert last["aktif"] == 100 - 0 - 1
    assert last["cfr_persen"] == pytest.approx(1.0)
    assert last["positivity_7hari_persen"] == pytest.approx(77 * 100 / 140)
    assert level(mariso, K1, 14) == (3, "kasus;rawat_inap;meninggal")


def test_missing_admissions_and_specimens_leave_the_other_indicators(mariso):
    row = figures(mariso, K2, 10)
    assert row["rawat_inap_7hari_per_100rb"] is None
    assert row["positivity_7hari_persen"] is None
    assert row["meninggal_7hari_per_100rb"] == pytest.approx(0.0)
    assert level(mariso, K2, 10) == (2, "kasus;meninggal")
    cards = {c["key"]: c for c in covid.headline_cards(dict(row, kasus_baru_7hari_lalu=None), None,
                                                       anonymous=False)}
    assert cards["positivity"]["value"] == "tidak tersedia"
    assert cards["bor"]["value"] == "tidak tersedia"
    assert cards["level"]["value"] == "▲ Level 2 · sedang"
    assert cards["level"]["sub"] == "indikator: kasus, kematian"


def test_kecamatan_row_wins_over_its_kelurahan_sum_column_by_column(mariso):
    own = figures(mariso, MARISO, 8)
    assert own["kasus_baru"] == 100                # its own row, not 8 + 2
    assert own["rawat_inap_baru"] == 1             # not in its own row: K1's 1 (K2 reported none)
    assert own["spesimen_diperiksa"] == 20
    assert figures(mariso, MARISO, 5)["kasus_baru"] == 2   # K2 alone that day
    assert figures(mariso, MARISO, 7)["kasus_7hari"] == 1 + 2 + 3 + 6 + 2 + 8 + 9
    last = figures(mariso, MARISO, 14)
    assert last["kasus_7hari"] == 100 + 11 + 12 + 11 + 12 + 13 + 14
    assert last["aktif"] == 204 - 6 - 1
    # Mariso's own population is empty: the sum of its nine kelurahan (two changed by the fixture)
    assert last["penduduk"] == 60369 - 6479 - 10484 + 100_000 + 50_000
    assert last["kasus_7hari_per_100rb"] == pytest.approx(173 * 100_000 / 193_406)
    assert level(mariso, MARISO, 14) == (3, "kasus;rawat_inap;meninggal")
    city = figures(mariso, KOTA, 14)
    assert city["kasus_7hari"] == 173 and city["penduduk"] == 1_482_354
    assert level(mariso, KOTA, 14) == (1, "kasus;rawat_inap;meninggal")


def test_population_unknown_when_a_child_has_none(mariso):
    set_population(mariso, "73.71.01.1009", None)
    row = figures(mariso, MARISO, 14)
    assert row["penduduk"] is None
    assert row["kasus_7hari"] == 173
    assert row["kasus_7hari_per_100rb"] is None
    assert level(mariso, MARISO, 14) == (None, "")


def test_second_sender_does_not_change_the_official_figure(mariso):
    before = {k: figures(mariso, k, 7) for k in (K1, MARISO, KOTA)}
    insert(mariso, [dict(tanggal=day(7), kode_wilayah=K1, kasus_baru=999, sembuh_baru=0, meninggal_baru=9),
                    dict(tanggal=day(7), kode_wilayah=KOTA, kasus_baru=5000, sembuh_baru=0, meninggal_baru=0)],
           sender="SATGAS_COVID")
    assert not covid.is_fresh(mariso)
    after = {k: figures(mariso, k, 7) for k in (K1, MARISO, KOTA)}
    assert after == before
    assert after[KOTA]["kasus_baru"] == 9
    conflicts = db.query_df(mariso, "covid_conflicts", dict(produsen="DINKES", kode=KOTA, dari=day(1),
                                                            sampai=day(14)))
    got = sorted(zip(conflicts.kode_wilayah, conflicts.kolom, conflicts.nilai_pengirim, conflicts.nilai_resmi))
    # the city's 0 recoveries differ from K2's 1 recovery that day, too
    assert got == [("73.71", "kasus_baru", 5000, 9), ("73.71", "sembuh_baru", 0, 1),
                   ("73.71.01.1001", "kasus_baru", 999, 7),
                   ("73.71.01.1001", "meninggal_baru", 9, 0)]


def test_refresh_is_kept_in_step_with_the_source(mariso):
    assert covid.ensure_daily(mariso) is True
    assert covid.ensure_daily(mariso) is False
    insert(mariso, [dict(tanggal=day(15), kode_wilayah=K1, kasus_baru=3, sembuh_baru=0, meninggal_baru=0)])
    assert covid.ensure_daily(mariso) is True
    assert figures(mariso, K2, 15)["kasus_7hari"] == 4    # 9 and 10 Nov
    assert figures(mariso, K1, 15)["kasus_baru"] == 3


# Each threshold exactly at and just below its boundary (population 200,000: rate = count / 2).
BOUNDARIES = [
    (dict(kasus_baru=39), 1), (dict(kasus_baru=40), 2), (dict(kasus_baru=99), 2), (dict(kasus_baru=100), 3),
    (dict(kasus_baru=299), 3), (dict(kasus_baru=300), 4),
    (dict(rawat_inap_baru=9), 1), (dict(rawat_inap_baru=10), 2), (dict(rawat_inap_baru=19), 2),
    (dict(rawat_inap_baru=20), 3), (dict(rawat_inap_baru=59), 3), (dict(rawat_inap_baru=60), 4),
    (dict(meninggal_baru=1), 1), (dict(meninggal_baru=2), 2), (dict(meninggal_baru=3), 2),
    (dict(meninggal_baru=4), 3), (dict(meninggal_baru=9), 3), (dict(meninggal_baru=10), 4),
]


@pytest.mark.parametrize("counts,expected", BOUNDARIES)
def test_transmission_level_at_and_just_below_each_boundary(store, counts, expected):
    kel = "73.71.02.1001"
    set_population(store, kel, 200_000)
    insert(store, week_of(kel, counts))
    assert figures(store, kel, 6)["kasus_7hari_per_100rb"] is None
    assert level(store, kel, 7) == (expected, "kasus;rawat_inap;meninggal")


@pytest.mark.parametrize("rates,expected", [
    ((19.999999, 0, 0), 1), ((20.0, 0, 0), 2), ((49.999999, None, None), 2), ((50.0, None, None), 3),
    ((149.99, 0, 0), 3), ((150.0, 0, 0), 4), ((None, 4.9999, None), 1), ((None, 5.0, None), 2),
    ((None, 29.999, None), 3), ((None, 30.0, None), 4), ((None, None, 0.999999), 1), ((None, None, 1.0), 2),
    ((None, None, 4.99), 3), ((None, None, 5.0), 4), ((None, None, None), None), ((0, 31, 0), 4),
])
def test_level_is_the_highest_any_available_indicator_reaches_unrounded(rates, expected):
    assert covid.level_of_rates(*rates) == expected


def test_trend_words():
    assert covid.trend(110, 100) == "stabil"
    assert covid.trend(111, 100) == "naik"
    assert covid.trend(89, 100) == "turun"
    assert covid.trend(5, 0) == "naik"
    assert covid.trend(0, 0) == "stabil"
    assert covid.trend(None, 3) is None
    assert covid.trend_label("naik") == "▲ naik"
    assert covid.trend_label(None, "en") == "not available"


def test_a_resolved_conflict_is_no_longer_open_until_the_sender_uploads_again(mariso):
    from warroom import conflicts as walidata
    up = insert(mariso, [dict(tanggal=day(7), kode_wilayah=K1, kasus_baru=999, sembuh_baru=0, meninggal_baru=0)],
                sender="SATGAS_COVID")
    covid.ensure_daily(mariso)
    params = dict(produsen="DINKES", kode=MARISO, dari=day(1), sampai=day(14))
    assert len(db.query_df(mariso, "covid_conflicts", params)) == 1
    key = next(c["conflict_key"] for c in walidata.open_conflicts(mariso, "covid19_harian")
               if c["kunci"] == f"2026-11-07 {K1}" and c["kolom"] == "kasus_baru")
    assert f"|u{up}" in key or f"-{up}" in key
    walidata.resolve(mariso, key, "walidata_uji", "angka DINKES sudah diverifikasi")
    assert db.query_df(mariso, "covid_conflicts", params).empty
    insert(mariso, [dict(tanggal=day(7), kode_wilayah=K1, kasus_baru=998, sembuh_baru=0, meninggal_baru=0)],
           sender="SATGAS_COVID")
    assert db.query_df(mariso, "covid_conflicts", params)["nilai_pengirim"].tolist() == [998]


def whole_table(con):
    return con.execute(f"select * from {covid.DAILY_TABLE} order by kode_wilayah, tanggal").fetchall()


@pytest.mark.parametrize("since", [8, 10, 14, 15])
def test_refresh_since_a_day_gives_the_same_table_as_a_full_build(mariso, since):
    covid.refresh_daily(mariso)
    # an upload touching days `since`.. (one replaced row, new days, a new kelurahan, a SATGAS row)
    mariso.execute("delete from covid19_harian where kode_wilayah = ? and tanggal = ? and sumber_opd = 'DINKES'",
                   [K1, day(max(since, 8))])
    insert(mariso, [dict(tanggal=day(max(since, 8)), kode_wilayah=K1, kasus_baru=50, sembuh_baru=3, meninggal_baru=1,
                         rawat_inap_baru=2, spesimen_diperiksa=30, spesimen_positif=9),
                    dict(tanggal=day(16), kode_wilayah=K1, kasus_baru=4, sembuh_baru=0, meninggal_baru=0),
                    dict(tanggal=day(16), kode_wilayah="73.71.01.1003", kasus_baru=6, sembuh_baru=0,
                         meninggal_baru=0)])
    insert(mariso, [dict(tanggal=day(16), kode_wilayah=K2, kasus_baru=1, sembuh_baru=0, meninggal_baru=0)],
           sender="SATGAS_COVID")
    assert covid._incremental_start(mariso, day(since)) == day(since)     # not a full build in disguise
    covid.refresh_daily(mariso, since=day(since))
    assert covid.is_fresh(mariso)
    incremental = whole_table(mariso)
    covid.refresh_daily(mariso)
    assert incremental == whole_table(mariso)
    assert figures(mariso, K2, 16)["kasus_7hari"] == 2 * 3 - 2 * 3 + 2     # only 10 Nov left in 10..16


def test_refresh_since_falls_back_to_a_full_build_when_it_must(mariso):
    covid.refresh_daily(mariso)
    assert covid._incremental_start(mariso, day(7)) is None           # reaches the first week
    assert covid._incremental_start(mariso, day(30)) == day(15)       # after the last day: from the day after
    set_population(mariso, K1, 123_456)
    assert covid._incremental_start(mariso, day(10)) is None          # population changed
    covid.refresh_daily(mariso, since=day(10))
    assert figures(mariso, K1, 14)["penduduk"] == 123_456


def test_ensure_daily_recomputes_from_the_first_day_new_uploads_touched(mariso):
    covid.refresh_daily(mariso)
    assert covid.changed_since(mariso) is None                    # nothing new
    up = insert(mariso, [dict(tanggal=day(12), kode_wilayah=K2, kasus_baru=7, sembuh_baru=0, meninggal_baru=0),
                         dict(tanggal=day(15), kode_wilayah=K1, kasus_baru=1, sembuh_baru=0, meninggal_baru=0)])
    # the upload also replaced K1's 13 Nov row (as the loader does: old row to __replaced)
    mariso.execute("insert into covid19_harian__replaced select *, ? from covid19_harian "
                   "where kode_wilayah = ? and tanggal = ? and sumber_opd = 'DINKES'", [up, K1, day(11)])
    mariso.execute("delete from covid19_harian where kode_wilayah = ? and tanggal = ? and upload_id <> ?",
                   [K1, day(11), up])
    insert(mariso, [dict(tanggal=day(11), kode_wilayah=K1, kasus_baru=0, sembuh_baru=0, meninggal_baru=0)])
    assert covid.changed_since(mariso) == day(11)
    assert covid.ensure_daily(mariso) is True
    incremental = whole_table(mariso)
    covid.refresh_daily(mariso)
    assert incremental == whole_table(mariso)
    # a row removed without an upload (like a rollback) cannot be placed: full build
    mariso.execute("delete from covid19_harian where kode_wilayah = ? and tanggal = ?", [K2, day(4)])
    assert covid.changed_since(mariso) is None


@pytest.mark.parametrize("piece_days", [1, 3, 7])
def test_a_build_in_pieces_gives_the_same_table_as_one_piece(mariso, monkeypatch, piece_days):
    """Long builds run a few years at a time (memory); the seams must not show."""
    monkeypatch.setattr(covid, "CHUNK_DAYS", 100_000)
    covid.refresh_daily(mariso)
    whole = whole_table(mariso)
    monkeypatch.setattr(covid, "CHUNK_DAYS", piece_days)
    covid.refresh_daily(mariso)
    assert whole_table(mariso) == whole
    covid.refresh_daily(mariso, since=day(9))          # a change reaching back, also in pieces
    assert whole_table(mariso) == whole


def test_the_demo_built_in_pieces_equals_one_piece(monkeypatch):
    from warroom import demo, reference
    from warroom.config import today
    con = db.open_store(":memory:")
    try:
        reference.load_reference(con)
        demo.load_demo(con, as_of=today(), scale=1, seed=7371)
        monkeypatch.setattr(covid, "CHUNK_DAYS", 100_000)
        covid.refresh_daily(con)
        whole = whole_table(con)
        monkeypatch.setattr(covid, "CHUNK_DAYS", 45)          # 730 days in 17 pieces
        covid.refresh_daily(con)
        assert len(whole) > 100_000 and whole_table(con) == whole
    finally:
        con.close()


def test_trend_label_of_an_area_without_data_in_the_window_is_not_available():
    """The ranking's trend column comes from pandas: an area with no data holds NaN, not None
    (it crashed the Covid page with KeyError: nan)."""
    from warroom import covid
    assert covid.trend_label(float("nan")) == covid.trend_label(None) == "tidak tersedia"
    assert covid.trend_label("naik") == "▲ naik"
