"""One figure through every path to a person: the Covid ranking table, its two downloads, the
chart hover and the map's tooltip show the same rounding (half away from zero, 2 decimals)."""
from __future__ import annotations

import csv
import html
import io
import json
import re
from decimal import Decimal

import pytest
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from warroom import db, export_csv, fmt, reference
from warroom.config import today


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from warroom import demo
    path = tmp_path_factory.mktemp("paths_demo") / "demo.duckdb"
    con = db.open_store(path, create=True)
    reference.load_reference(con)
    demo.load_demo(con, as_of=today(), scale=1, seed=7371)
    con.close()
    return path


def test_covid_rate_is_the_same_in_the_ranking_table_its_downloads_and_the_chart_hover(demo_db, monkeypatch):
    monkeypatch.setenv("WARROOM_DB", str(demo_db))
    seen = {}
    original = DeltaGenerator.download_button

    def record(self, label, data, file_name=None, *args, **kwargs):
        seen[kwargs.get("key")] = data
        return original(self, label, data, file_name, *args, **kwargs)
    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    monkeypatch.setattr(st, "download_button", lambda *a, **k: record(st._main, *a, **k))
    con = db.connect(demo_db)
    last = con.execute("select max(tanggal) from covid19_harian where sumber_opd = 'DINKES'").fetchone()[0]
    con.close()
    at = AppTest.from_file("../pages/covid.py", default_timeout=120)
    at.query_params["sampai"] = last.isoformat()
    at.run()
    assert not at.exception, [e.value for e in at.exception]

    # 1. the ranking table on screen: area name -> rate cell, positivity cell
    table = next(m.value for m in at.markdown if "<table class='wr-covid-rank'" in m.value)
    head = [html.unescape(h) for h in re.findall(r"<th>(.*?)</th>", table)]
    rows = [[html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", tr)]
            for tr in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1])]
    area, rate = head.index("Wilayah"), head.index("Kasus 7 hari / 100 rb")
    screen = {r[area]: r[rate] for r in rows}

    # 2. its downloads, both forms
    std = list(csv.DictReader(io.StringIO(seen["covid_rank_dl_csv"]().decode("utf-8"))))
    xid = list(csv.DictReader(io.StringIO(seen["covid_rank_dl_csv_id"]().decode("utf-8-sig")), delimiter=";"))
    by_name_std = {r["nama"]: r["kasus_7hari_per_100rb"] for r in std}
    by_name_id = {r["nama"]: r["kasus_7hari_per_100rb"] for r in xid}

    # 3. the small multiples' hover on the ranking's day
    spec = json.loads(next(c for c in at.get("plotly_chart") if c.key == "covid_multiples").proto.spec)
    hover = {}
    for trace in spec["data"]:
        days = [str(x)[:10] for x in trace["x"]]
        if last.isoformat() in days:
            hover[trace["name"]] = trace["customdata"][days.index(last.isoformat())][0]

    # 4. the map's tooltip / detail figures for the same areas and day
    from warroom import peta
    con = db.connect(demo_db)
    try:
        opts = peta.Options(tanggal=last, tingkat="kecamatan")
        mapped = {a["nama"]: dict(peta.area_figures(a, opts))["Kasus baru 7 hari per 100.000 penduduk"]
                  for a in peta.load(con, opts).areas}
    finally:
        con.close()

    compared = 0
    for name, cell in screen.items():
        if not by_name_std.get(name):
            continue
        value = float(by_name_std[name])
        assert by_name_std[name] == export_csv.number_text(value, export_csv.MEASURE)   # 2 decimals at most
        assert cell == fmt.measure(value, "id")                                       # same rounding on screen
        assert by_name_id[name] == by_name_std[name].replace(".", ",")
        assert Decimal(cell.replace(".", "").replace(",", ".")) == Decimal(by_name_std[name])  # same figure
        assert f"· {cell} per 100.000 (7 hari)" in hover[name]
        assert mapped[name] == cell
        compared += 1
    assert compared >= 10
