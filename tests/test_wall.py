"""The wall's rules without Streamlit: URL settings, rotation, freshness stamps, playlists."""
from __future__ import annotations

from datetime import date

import pytest

from warroom import cli, db, freshness, wall
from warroom.commands import OK, REFUSED

TODAY = date(2026, 11, 28)
FREQ = {"covid19_harian": "daily", "fasyankes": "daily", "kinerja_opd": "monthly", "cctv": "on_change",
        "menara_bts": "on_change", "aplikasi": "on_change"}


def test_defaults_when_nothing_is_given():
    s = wall.parse({})
    assert (s.panels, s.rotate, s.refresh, s.lang, s.size) == (
        ("ringkasan", "peta", "covid", "kinerja"), 30, 60, "id", "auto")
    assert s.corrections == ()


def test_url_values_are_honoured():
    s = wall.parse({"panels": "kinerja, CCTV", "rotate": "45", "refresh": "20", "lang": "en", "size": "4k"})
    assert (s.panels, s.rotate, s.refresh, s.lang, s.size, s.chart_height) == (
        ("kinerja", "cctv"), 45, 20, "en", "4k", 1440)
    assert s.corrections == ()


def test_unknown_panels_are_dropped_duplicates_kept_once():
    s = wall.parse({"panels": "ringkasan,foo,peta,ringkasan"})
    assert s.panels == ("ringkasan", "peta")
    assert s.corrections == (("panels", "ringkasan,foo,peta,ringkasan", "ringkasan,peta"),)


@pytest.mark.parametrize("raw", ["", ",,", "foo,bar"])
def test_no_known_panel_means_the_default_set(raw):
    assert wall.parse({"panels": raw}).panels == wall.DEFAULT_PANELS


@pytest.mark.parametrize("raw, expected", [
    ("0", 30), ("-5", 30), ("abc", 30), ("nan", 30), ("-inf", 30),  # nonsense -> default
    ("99999999", 3600), ("inf", 3600), ("1e9", 3600),                 # huge -> the maximum
    ("2", 5), ("0.4", 5),                                              # too fast -> the minimum
    ("45", 45), (" 12 ", 12), ("7,6", 8), ("3600", 3600),              # fine (rounded)
])
def test_rotate_falls_back_or_clamps(raw, expected):
    assert wall.parse({"rotate": raw}).rotate == expected


@pytest.mark.parametrize("raw, expected", [("0", 60), ("-1", 60), ("x", 60), ("99999", 3600), ("1", 5), ("15", 15)])
def test_refresh_falls_back_or_clamps(raw, expected):
    assert wall.parse({"refresh": raw}).refresh == expected


def test_bad_lang_and_size_fall_back():
    s = wall.parse({"lang": "fr", "size": "8k"})
    assert (s.lang, s.size) == ("id", "auto")
    assert [c[0] for c in s.corrections] == ["lang", "size"]


def test_repeated_parameters_use_the_last():
    assert wall.parse({"rotate": ["10", "20"], "panels": ["covid"]}).rotate == 20


def test_tick_is_the_rotation_or_the_shorter_refresh():
    s = wall.parse({"rotate": "30", "refresh": "60"})
    assert (s.tick_seconds, s.ticks_per_panel) == (30, 1)
    s = wall.parse({"rotate": "300", "refresh": "60"})
    assert (s.tick_seconds, s.ticks_per_panel) == (60, 5)
    s = wall.parse({"panels": "covid", "rotate": "10", "refresh": "120"})
    assert (s.tick_seconds, s.ticks_per_panel) == (120, 1)


def test_rotation_advances_per_tick_and_wraps():
    s = wall.parse({"panels": "ringkasan,peta,covid"})
    assert [wall.panel_index(t, s) for t in range(7)] == [0, 1, 2, 0, 1, 2, 0]
    slow = wall.parse({"panels": "ringkasan,peta", "rotate": "20", "refresh": "10"})
    assert [wall.panel_index(t, slow) for t in range(6)] == [0, 0, 1, 1, 0, 0]


def test_playlist_supplies_settings_and_the_url_overrides_them():
    lists = {"lobi": "panels=covid,kinerja&rotate=20&refresh=40&lang=en&size=4k"}
    s = wall.settings_for({"playlist": "LOBI"}, lists)
    assert (s.panels, s.rotate, s.refresh, s.lang, s.size, s.playlist) == (
        ("covid", "kinerja"), 20, 40, "en", "4k", "lobi")
    s = wall.settings_for({"playlist": "lobi", "rotate": "90"}, lists)
    assert (s.panels, s.rotate) == (("covid", "kinerja"), 90)


def test_unknown_playlist_shows_the_default_wall():
    s = wall.settings_for({"playlist": "nope", "lang": "en"}, {})
    assert (s.panels, s.lang, s.playlist) == (wall.DEFAULT_PANELS, "en", None)
    assert s.corrections == (("playlist", "nope", ""),)


def test_stamp_is_the_worst_dataset_of_the_panel():
    newest = {"covid19_harian": "2026-11-27", "fasyankes": "2026-11-20", "kinerja_opd": "2026-10"}
    assert wall.panel_stamp(("covid19_harian",), newest, FREQ, TODAY) == wall.Stamp(
        freshness.FRESH, "covid19_harian", "2026-11-27")
    assert wall.panel_stamp(("covid19_harian", "fasyankes"), newest, FREQ, TODAY) == wall.Stamp(
        freshness.STALE, "fasyankes", "2026-11-20")
    # October's report is due 10 December: still fresh on 28 November.
    assert wall.panel_stamp(("kinerja_opd",), newest, FREQ, TODAY).status == freshness.FRESH
    assert wall.panel_stamp(("cctv",), newest, FREQ, TODAY).status == freshness.ON_CHANGE
    assert wall.panel_stamp(("cctv", "fasyankes"), {}, FREQ, TODAY) == wall.Stamp(freshness.NONE, "fasyankes", None)


@pytest.mark.parametrize("newest, status", [("2026-11-28", "fresh"), ("2026-11-27", "fresh"),
                                            ("2026-11-26", "late"), ("2026-11-25", "late"), ("2026-11-24", "stale")])
def test_daily_stamp_turns_late_then_stale(newest, status):
    assert wall.panel_stamp(("covid19_harian",), {"covid19_harian": newest}, FREQ, TODAY).status == status


def test_monthly_stamp_late_after_the_due_date():
    # September's data: October's report was due 10 November -> late on 28 November; August's -> stale.
    assert wall.panel_stamp(("kinerja_opd",), {"kinerja_opd": "2026-09"}, FREQ, TODAY).status == "late"
    assert wall.panel_stamp(("kinerja_opd",), {"kinerja_opd": "2026-08"}, FREQ, TODAY).status == "stale"


def test_save_playlist_stores_the_canonical_form(store):
    before = db.data_version(store)
    saved = wall.save_playlist(store, "Lobi-1", "?panels=covid,peta&rotate=20&embed=true", "admin")
    assert saved.playlist == "lobi-1"
    assert wall.playlists(store) == {"lobi-1": "panels=covid,peta&rotate=20&refresh=60&lang=id&size=auto"}
    assert db.data_version(store) == before + 1
    action, detail = store.execute("SELECT action, detail FROM audit_log").fetchone()
    assert action == "wall_playlist_saved" and '"lobi-1"' in detail


def test_refused_playlist_changes_nothing_and_says_why(store):
    wall.save_playlist(store, "lobi", "panels=covid", "admin")
    with pytest.raises(wall.PlaylistRefused) as err:
        wall.save_playlist(store, "lobi", "panels=covid,radar&rotate=0&colour=red", "admin")
    assert err.value.problems == [("colour", "red", "unknown_key"), ("panels", "covid,radar", "panels"),
                                  ("rotate", "0", "rotate")]
    assert wall.problem_text(err.value, "id") == (
        "colour='red': parameter tidak dikenal; "
        "panels='covid,radar': panel tidak dikenal (yang ada: ringkasan, peta, covid, kinerja, cctv, peringatan); "
        "rotate='0': rotate harus angka detik 5–3600")
    assert wall.playlists(store) == {"lobi": "panels=covid&rotate=30&refresh=60&lang=id&size=auto"}


@pytest.mark.parametrize("name", ["", "a b", "x" * 41, "../etc", "Ringkasan!"])
def test_bad_playlist_names_are_refused(store, name):
    with pytest.raises(wall.PlaylistRefused):
        wall.save_playlist(store, name, "panels=covid", "admin")


def test_delete_playlist(store):
    wall.save_playlist(store, "lobi", "panels=covid", "admin")
    assert wall.delete_playlist(store, "lobi", "admin") is True
    assert wall.delete_playlist(store, "lobi", "admin") is False
    assert wall.playlists(store) == {}


def test_cli_playlist_save_list_delete(store_file, capsys):
    assert cli.main(["playlist", "--db", str(store_file), "save", "rapat", "panels=kinerja&rotate=60"]) == OK
    assert "/layar?embed=true&playlist=rapat" in capsys.readouterr().out
    assert cli.main(["playlist", "--db", str(store_file), "save", "rapat", "panels=kinerja&rotate=abc"]) == REFUSED
    assert "rotate='abc'" in capsys.readouterr().err
    assert cli.main(["playlist", "--db", str(store_file), "list"]) == OK
    assert capsys.readouterr().out == ("rapat\t/layar?embed=true&playlist=rapat\t"
                                       "panels=kinerja&rotate=60&refresh=60&lang=id&size=auto\n")
    assert cli.main(["playlist", "--db", str(store_file), "delete", "rapat"]) == OK
    assert cli.main(["playlist", "--db", str(store_file), "delete", "rapat"]) == REFUSED


def test_each_panel_stamps_the_datasets_it_shows_from_one_list():
    """ringkasan shows Covid, kinerja, cameras, towers and apps (not fasyankes); the stamp the
    wall draws reads the same list whether or not the panel's module was imported first."""
    assert wall.PANEL_DATASETS == {
        "ringkasan": ("covid19_harian", "kinerja_opd", "cctv", "menara_bts", "aplikasi"),
        "peta": ("covid19_harian", "cctv", "menara_bts", "fasyankes"),
        "covid": ("covid19_harian", "fasyankes"),
        "kinerja": ("kinerja_opd",),
        "cctv": ("cctv",),
        # what the alert rules read (warroom/alerts/rules.py)
        "peringatan": ("covid19_harian", "fasyankes", "menara_bts", "aplikasi", "kinerja_opd"),
    }
    from warroom.ui import wall as ui_wall
    before = {name: ui_wall.panel_datasets(name) for name in wall.PANELS}
    for name in wall.PANELS:
        assert ui_wall.load_panel(name) is not None
    assert {name: ui_wall.panel_datasets(name) for name in wall.PANELS} == before == wall.PANEL_DATASETS
