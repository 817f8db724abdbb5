"""The Covid-19 page on the demo database: the cards show what plain SQL over the stored rows gives."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from warroom import auth, db, fmt, reference
from warroom.config import today


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from warroom import demo
    path = tmp_path_factory.mktemp("covid_demo") / "demo.duckdb"
    con = db.open_store(path, create=True)
    reference.load_reference(con)
    demo.load_demo(con, as_of=today(), scale=1, seed=7371)
    con.close()
    return path


@pytest.fixture
def demo(demo_db, monkeypatch):
    monkeypatch.setenv("WARROOM_DB", str(demo_db))
    return demo_db


def run_page(params: dict | None = None, token: str | None = None) -> AppTest:
    at = AppTest.from_file("../pages/covid.py", default_timeout=120)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    if token:
        at.session_state["auth_token"] = token
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def cards(at: AppTest) -> dict[str, str]:
    html = next(m.value for m in at.markdown if "wr-covid-cards" in m.value and "data-card" in m.value)
    found = re.findall(r"data-card='(\w+)'>.*?<div class='wr-value[^']*'>([^<]*)", html)
    return {key: value.strip() for key, value in found}


def plain_sql(path, sql, params):
    con = db.connect(path)  # same settings as the app's cached connection in this process
    try:
        return con.execute(sql, params).fetchone()
    finally:
        con.close()


def id_number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def test_city_cards_match_plain_sql_over_dinkes_rows(demo):
    last = plain_sql(demo, "select max(tanggal) from covid19_harian where sumber_opd = 'DINKES'", [])[0]
    # Demo DINKES rows are kelurahan rows only, so the city's figures are plain sums.
    active, new, deaths7, pos, exam = plain_sql(demo, """
        select sum(kasus_baru) - sum(sembuh_baru) - sum(meninggal_baru),
               sum(kasus_baru) filter (where tanggal = $d),
               sum(meninggal_baru) filter (where tanggal > $d - 7),
               sum(spesimen_positif) filter (where tanggal > $d - 7 and spesimen_diperiksa is not null),
               sum(spesimen_diperiksa) filter (where tanggal > $d - 7 and spesimen_positif is not null)
        from covid19_harian where sumber_opd = 'DINKES' and tanggal <= $d""", {"d": last})
    at = run_page({"sampai": last.isoformat()})
    got = cards(at)
    assert got["active"] == id_number(active)
    assert got["new"] == id_number(new)
    assert got["deaths7"] == id_number(deaths7)
    assert got["positivity"] == f"{pos * 100 / exam:.1f} %".replace(".", ",")
    assert re.match(r"^[●▲◆■] Level [1-4] · ", got["level"])
    charts = at.get("plotly_chart")
    assert [c.key for c in charts] == ["covid_daily", "covid_active", "covid_levels", "covid_multiples"]
    daily = json.loads(charts[0].proto.spec)
    assert [trace["name"] for trace in daily["data"]] == ["Kasus baru", "Rerata 7 hari"]
    # months named in Indonesian (plotly's own are English), hover dates as numbers
    assert daily["layout"]["xaxis"]["ticktext"] == ["Jul 2026", "Agu 2026", "Sep 2026", "Okt 2026", "Nov 2026"]
    assert daily["layout"]["xaxis"]["hoverformat"] == "%d/%m/%Y"
    assert daily["layout"]["separators"] == ",."   # 6.000 on the axis, as Indonesians write it
    assert daily["layout"]["yaxis"]["tickformat"] == ",~f"
    # the headline says which sender is official; the SATGAS disagreements are flagged
    assert any("konflik data terbuka" in w.value for w in at.warning)


def test_kecamatan_from_the_url_and_its_kelurahan_ranking(demo):
    last = plain_sql(demo, "select max(tanggal) from covid19_harian where sumber_opd = 'DINKES'", [])[0]
    new = plain_sql(demo, """select sum(kasus_baru) from covid19_harian h join wilayah w using (kode_wilayah)
                             where h.sumber_opd = 'DINKES' and w.kode_induk = '73.71.07' and h.tanggal = $d""",
                    {"d": last})[0]
    at = run_page({"wilayah": "73.71.07", "sampai": last.isoformat()})
    assert "Tallo" in at.title[0].value
    assert cards(at)["new"] == id_number(new)
    table = next(m.value for m in at.markdown if "<table class='wr-covid-rank'" in m.value)
    kel = plain_sql(demo, "select count(*) from wilayah where kode_induk = '73.71.07'", [])[0]
    assert table.count("<tr>") == kel + 1
    assert at.query_params["wilayah"] == "73.71.07"


def test_anonymous_kelurahan_hides_small_counts_signed_in_sees_them(demo):
    last = plain_sql(demo, "select max(tanggal) from covid19_harian where sumber_opd = 'DINKES'", [])[0]
    kode, new = plain_sql(demo, """select kode_wilayah, kasus_baru from covid19_harian
                                   where sumber_opd = 'DINKES' and tanggal = $d and kasus_baru between 1 and 4
                                   order by kode_wilayah limit 1""", {"d": last})
    anon = run_page({"wilayah": kode, "sampai": last.isoformat()})
    assert cards(anon)["new"] == "&lt;5"
    con = db.connect(demo)
    try:
        if not auth.get_user(con, "pimpinan_uji"):
            auth.add_user(con, "pimpinan_uji", "rahasia-sekali-123", "pimpinan", None)
    finally:
        con.close()
    signed = run_page({"wilayah": kode, "sampai": last.isoformat()}, token=auth.start_session("pimpinan_uji"))
    assert cards(signed)["new"] == str(new)


def test_the_freshness_line_says_each_thing_once(demo):
    """The chip gives the state, the note the newest day and the official source; the range's end
    is named only when it is not the newest day."""
    last = plain_sql(demo, "select max(tanggal) from covid19_harian where sumber_opd = 'DINKES'", [])[0]

    def line(at: AppTest) -> str:
        html = next(m.value for m in at.markdown if m.value.startswith("<span class='wr-chip'"))
        return re.sub(r"<[^>]+>", "", html)
    newest = line(run_page({"sampai": last.isoformat()}))
    assert newest.split() == f"● segar Data terbaru: {fmt.long_date(last, 'id')} · sumber resmi: DINKES".split()
    earlier = line(run_page({"sampai": (last - timedelta(days=3)).isoformat()}))
    assert earlier.split() == (f"● segar Data terbaru: {fmt.long_date(last, 'id')} · Data per "
                               f"{fmt.long_date(last - timedelta(days=3), 'id')} · sumber resmi: DINKES").split()
