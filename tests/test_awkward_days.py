"""Date-sensitive rules on awkward days: year end, new year, month end, a leap day, and both
sides of the city's midnight (16:00 UTC for WITA). Runs inside `make test`.

Every other test runs on one pinned day (tests/conftest.py), so a rule that breaks only on
31 December or at 23:59 WITA would never be seen; here each instant is pinned in turn with
WARROOM_NOW and the demo, freshness, Kinerja due dates, the wall clock and the Covid windows
are checked against dates worked out by hand.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from warroom import config, db, demo, freshness, kinerja, kinerja_periods, reference, ringkasan, wall
from warroom.config import city

# instant (ISO, as WARROOM_NOW takes it) -> the city's calendar day at that instant
INSTANTS = {
    "year_end": ("2026-12-31T23:30:00+08:00", date(2026, 12, 31)),
    "new_year": ("2027-01-01T00:30:00+08:00", date(2027, 1, 1)),
    "month_end_30": ("2027-04-30T12:00:00+08:00", date(2027, 4, 30)),
    "leap_day": ("2028-02-29T12:00:00+08:00", date(2028, 2, 29)),
    "before_city_midnight": ("2026-11-30T15:59:59+00:00", date(2026, 11, 30)),   # 23:59:59 WITA
    "after_city_midnight": ("2026-11-30T16:00:00+00:00", date(2026, 12, 1)),     # 00:00:00 WITA
}
# The last month whose Kinerja report is already due (due on the 10th day after it; on the due
# day itself a report is not yet late), worked out by hand for each day above.
LATEST_DUE_MONTH = {"year_end": "2026-11", "new_year": "2026-11", "month_end_30": "2027-03",
                    "leap_day": "2028-01", "before_city_midnight": "2026-10", "after_city_midnight": "2026-10"}

pytestmark = pytest.mark.dates


@pytest.fixture(scope="module", params=sorted(INSTANTS), ids=sorted(INSTANTS))
def moment(request):
    """(name, city day, a demo store built on that day) with WARROOM_NOW pinned to the instant."""
    name = request.param
    instant, day = INSTANTS[name]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WARROOM_NOW", instant)
        con = db.open_store(":memory:", create=True)
        reference.load_reference(con)
        demo.load_demo(con, as_of=config.today())
        yield name, day, con
        con.close()


@pytest.fixture(autouse=True)
def pinned(moment, monkeypatch):
    monkeypatch.setenv("WARROOM_NOW", INSTANTS[moment[0]][0])


def test_today_is_the_city_day_at_that_instant(moment):
    _, day, _ = moment
    assert config.today() == day
    assert config.now().tzinfo is not None and config.now().utcoffset() == timedelta(hours=8)


def test_the_demo_ends_today_and_nothing_lies_after_it(moment):
    _, day, con = moment
    newest = con.execute("SELECT max(tanggal) FROM covid19_harian WHERE sumber_opd = 'DINKES'").fetchone()[0]
    assert newest == day
    assert con.execute("SELECT count(*) FROM covid19_harian WHERE tanggal > ?", [day]).fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM fasyankes WHERE tanggal > ?", [day]).fetchone()[0] == 0
    # Cameras were last seen before the end of the demo's day, never in the future.
    seen = con.execute("SELECT max(terakhir_aktif) FROM cctv").fetchone()[0]
    assert seen.date() <= day
    # 730 daily rows per kelurahan end today, across a year end or a leap day alike.
    first = con.execute("SELECT min(tanggal) FROM covid19_harian WHERE sumber_opd = 'DINKES'").fetchone()[0]
    assert (day - first).days == 729


def test_every_daily_dataset_is_fresh_on_the_day_it_ends(moment):
    _, day, con = moment
    rows = {r.dataset: r for r in ringkasan.freshness_rows(con, config.today())}
    assert rows["covid19_harian"].status == freshness.FRESH
    assert rows["covid19_harian"].age_days == 0
    assert freshness.status("daily", day - timedelta(days=1), day) == freshness.FRESH
    assert freshness.status("daily", day - timedelta(days=4), day) == freshness.STALE


def test_kinerja_due_dates_and_the_month_shown(moment):
    name, day, con = moment
    month = kinerja.latest_due_month(day)
    assert month == LATEST_DUE_MONTH[name]
    assert kinerja_periods.due_date(month) < day
    assert kinerja_periods.due_date(kinerja.previous_month(month)) < kinerja_periods.due_date(month)
    # The demo's newest Kinerja month is the last month complete by the end of today: on the
    # last day of a month that month itself (warroom/demo/kinerja.last_complete_month).
    newest = con.execute("SELECT max(periode) FROM kinerja_opd WHERE periode SIMILAR TO '[0-9]{4}-[0-9]{2}'").fetchone()[0]
    last_complete = ((day + timedelta(days=1)).replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    assert newest == last_complete
    # No report for a period that ends after today (a quarter or a year still running).
    periods = [r[0] for r in con.execute("SELECT DISTINCT periode FROM kinerja_opd").fetchall()]
    assert all(kinerja_periods.end(p) <= day for p in periods), [p for p in periods if kinerja_periods.end(p) > day]
    late = kinerja.reporting_status(con, month, day)
    assert (late["hari_lewat"].dropna() >= 1).all()


def test_the_wall_stamp_and_clock_speak_of_that_day(moment):
    _, day, con = moment
    stamp = wall.panel_stamp(("covid19_harian",), {"covid19_harian": day.isoformat()},
                             {"covid19_harian": "daily"}, config.today())
    assert stamp.status == freshness.FRESH
    moment_in_city = config.now()
    assert moment_in_city.date() == day and moment_in_city.tzinfo is not None


def test_covid_windows_end_today(moment):
    _, day, con = moment
    summary = ringkasan.covid_summary(con)
    assert summary.tanggal == day
    week = con.execute("SELECT sum(kasus_baru) FROM covid19_harian WHERE sumber_opd = 'DINKES' "
                       "AND kode_wilayah LIKE ? AND tanggal > ?", [city().kode + ".__.____", day - timedelta(days=7)]
                       ).fetchone()[0]
    assert summary.kasus_7hari == week
