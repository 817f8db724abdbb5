"""Small kelurahan counts are hidden from anonymous viewers only; kecamatan and city never."""
from __future__ import annotations

import pandas as pd
import pytest
from covid_fixtures import K2, KOTA, MARISO, day, mariso_fixture

from warroom import covid, db


@pytest.fixture
def mariso(store):
    mariso_fixture(store)
    covid.ensure_daily(store)
    return store


def headline(con, kode, n, anonymous):
    row = db.query_df(con, "covid_area_headline", dict(kode=kode, tanggal=day(n))).iloc[0].to_dict()
    return {c["key"]: c for c in covid.headline_cards(row, None, anonymous=anonymous)}


def test_kelurahan_counts_below_five_hidden_from_anonymous(mariso):
    anon = headline(mariso, K2, 4, anonymous=True)        # K2's first day: 2 cases, 1 recovery
    assert anon["active"]["value"] == "<5"
    assert anon["new"]["value"] == "<5"
    signed_in = headline(mariso, K2, 4, anonymous=False)
    assert signed_in["active"]["value"] == "1"
    assert signed_in["new"]["value"] == "2"


def test_kecamatan_and_city_not_suppressed(mariso):
    for kode in (MARISO, KOTA):
        anon = headline(mariso, kode, 1, anonymous=True)
        assert anon["active"]["value"] == "1"
        assert anon["new"]["value"] == "1"


def test_zero_and_five_are_shown(mariso):
    anon = headline(mariso, K2, 10, anonymous=True)       # active 7 - 0 deaths: 14 cases - 7 recoveries
    assert anon["active"]["value"] == "7"
    assert anon["deaths7"]["value"] == "0"


def test_suppress_frame_masks_kelurahan_counts_and_rates_from_them(mariso):
    series = db.query_df(mariso, "covid_children_series", dict(kode=MARISO, dari=day(1), sampai=day(14)))
    anon = covid.suppress_for_viewer(series, anonymous=True)
    k2 = anon[anon.kode_wilayah == K2].set_index("tanggal")
    assert pd.isna(k2.loc[pd.Timestamp(day(4)), "kasus_baru"])          # 2 -> hidden
    assert k2.loc[pd.Timestamp(day(10)), "kasus_7hari"] == 14
    assert k2.loc[pd.Timestamp(day(14)), "kasus_7hari_per_100rb"] == pytest.approx(12.0)
    # 12 Nov: K2's window holds 8..10 Nov, 6 cases -> shown; its deaths 0 -> shown
    signed = covid.suppress_for_viewer(series, anonymous=False)
    assert signed[signed.kode_wilayah == K2].set_index("tanggal").loc[pd.Timestamp(day(4)), "kasus_baru"] == 2
