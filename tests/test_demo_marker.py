"""The DATA DEMO marker shows exactly when the database holds demo data (page.setup puts it on every page)."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from warroom import db, demo
from warroom.config import today


def marker_texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if "class='wr-demo'" in m.value]


def run_page(page: str, lang: str = "id") -> AppTest:
    at = AppTest.from_file(f"../pages/{page}.py", default_timeout=90)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_no_marker_on_a_database_without_demo(store_file):
    assert marker_texts(run_page("ringkasan")) == []


def test_marker_on_every_page_of_a_demo_database(store_file):
    con = db.connect(store_file)
    demo.load_demo(con, as_of=today(), scale=1, seed=7371)
    con.close()
    for page in ("ringkasan", "kinerja"):
        texts = marker_texts(run_page(page))
        assert len(texts) == 1 and "⚠ DATA DEMO" in texts[0], page
        assert "data demo yang dibangkitkan, bukan data resmi" in texts[0]
    assert "⚠ DEMO DATA" in marker_texts(run_page("ringkasan", "en"))[0]
