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
