"""Chart axes in the viewer's language (plotly's own month names are English only)."""
from datetime import date

from warroom.ui.charts import date_ticks


def test_two_years_get_quarterly_month_ticks_in_indonesian():
    ticks, labels = date_ticks([date(2024, 11, 30), date(2026, 11, 28)], "id")
    assert ticks[0] == date(2024, 12, 1) and len(ticks) == 8
    assert labels == ["Des 2024", "Mar 2025", "Jun 2025", "Sep 2025", "Des 2025", "Mar 2026", "Jun 2026",
                      "Sep 2026"]


def test_a_few_months_get_one_tick_a_month_in_each_language():
    days = [date(2026, 8, 15), date(2026, 11, 28)]
    assert date_ticks(days, "id")[1] == ["Sep 2026", "Okt 2026", "Nov 2026"]
    assert date_ticks(days, "en")[1] == ["Sept 2026", "Oct 2026", "Nov 2026"]  # en_GB


def test_a_few_weeks_get_weekly_day_ticks_and_no_data_gets_none():
    assert date_ticks([date(2026, 11, 1), date(2026, 11, 28)], "id") == (
        [date(2026, 11, 1), date(2026, 11, 8), date(2026, 11, 15), date(2026, 11, 22)],
        ["1 Nov", "8 Nov", "15 Nov", "22 Nov"])
    assert date_ticks([date(2026, 5, 3), date(2026, 5, 20)], "id")[1] == ["3 Mei", "10 Mei", "17 Mei"]
    assert date_ticks([], "id") == ([], [])


def test_small_multiples_share_one_scale_unless_switched_off():
    """Issue 19: each area on its own scale made every area look equally alarming."""
    import pandas as pd

    from warroom.ui.panels.covid import multiples_chart
    days = pd.date_range("2026-11-01", periods=3).date
    children = pd.DataFrame({"tanggal": list(days) * 2, "nama": ["Besar"] * 3 + ["Kecil"] * 3,
                             "kasus_rerata_7hari": [10.0, 40.0, 100.0, 1.0, 2.0, 3.0]})
    shared = multiples_chart(children, "id")
    assert {tuple(shared.layout[k].range) for k in shared.layout if k.startswith("yaxis")} == {(0.0, 105.0)}
    own = multiples_chart(children, "id", shared=False)
    assert {own.layout[k].range for k in own.layout if k.startswith("yaxis")} == {None}


def test_hover_labels_are_light_on_dark():
    import pandas as pd
    import plotly.graph_objects as go

    from warroom.ui.charts import HOVER_LABEL, area_bar_chart, localise
    fig = localise(go.Figure(), ["2026-11-01", "2026-11-08"], "id")
    assert fig.layout.hoverlabel.bgcolor == "#1B1F2A" and fig.layout.hoverlabel.font.color == "#FFFFFF"
    bars = area_bar_chart(pd.DataFrame({"tanggal": pd.date_range("2026-11-01", periods=10).date,
                                        "kasus_baru": range(10)}), "tanggal", "kasus_baru", "Kasus baru per hari", "id")
    assert list(bars.layout.xaxis.ticktext) == ["1 Nov", "8 Nov"]
    assert bars.layout.yaxis.title.text == "Kasus baru per hari"
    assert HOVER_LABEL["font"]["color"] == "#FFFFFF"


def test_a_high_bed_occupancy_card_uses_the_one_threshold():
    from warroom.config import THRESHOLDS
    from warroom.ui.panels.covid import BOR_HIGH_COLOUR, mark_high_bor
    cards = [{"key": "bor", "label": "BOR isolasi", "value": "90,8 %", "sub": "semua tempat tidur"},
             {"key": "active", "label": "Kasus aktif", "value": "6.291", "sub": ""}]
    high = mark_high_bor(cards, {"bor_isolasi_persen": 90.8}, "id")
    assert high[0]["colour"] == BOR_HIGH_COLOUR and high[0]["sub"] == "★ tinggi: di atas 85 % · semua tempat tidur"
    assert high[1] == cards[1]
    assert mark_high_bor(cards, {"bor_isolasi_persen": 85.0}, "id") == cards      # at the threshold: not high
    assert mark_high_bor(cards, None, "id") == cards
    assert THRESHOLDS.bor_high_percent == 85.0
