"""Each alert rule at its boundaries, on small hand-made stores; the rule file's checks."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from covid_fixtures import upload

from warroom.alerts import rules
from warroom.config import THRESHOLDS, now

TODAY = date(2026, 11, 28)   # WARROOM_NOW in tests/conftest.py


def insert(con, dataset, sender, columns, rows):
    up = upload(con, sender, dataset)
    for r in rows:
        con.execute(f"insert into {dataset} ({', '.join(columns)}, sumber_opd, upload_id) "
                    f"values ({', '.join('?' * len(columns))}, ?, ?)", list(r) + [sender, up])


def fired(con, kind: str, threshold, **ctx_kw) -> dict[str, rules.Finding]:
    rule = rules.Rule(kind, kind, threshold, "peringatan")
    found = rules.EVALUATORS[kind](con, rule, rules.Context(now(), **ctx_kw))
    return {f.object: f for f in found}


def test_izin_menara_today_plus_30_inclusive_expired_included_whatever_the_status(store):
    insert(store, "menara_bts", "DISKOMINFO",
           ("kode_menara", "operator", "latitude", "longitude", "status_izin", "izin_berakhir"), [
               ("M1", "XL", -5.14, 119.42, "kedaluwarsa", date(2025, 1, 1)),
               ("M2", "XL", -5.14, 119.42, "berlaku", TODAY),
               ("M3", "XL", -5.14, 119.42, "berlaku", TODAY + timedelta(days=30)),
               ("M4", "XL", -5.14, 119.42, "berlaku", TODAY + timedelta(days=31)),
               ("M5", "XL", -5.14, 119.42, "proses", TODAY + timedelta(days=3)),
               ("M6", "XL", -5.14, 119.42, "tanpa_izin", None)])
    # another sender's row is not the official one
    insert(store, "menara_bts", "DISHUB",
           ("kode_menara", "operator", "latitude", "longitude", "status_izin", "izin_berakhir"), [
               ("M9", "XL", -5.14, 119.42, "berlaku", TODAY)])
    got = fired(store, "izin_menara", 30)
    assert sorted(got) == ["M1", "M2", "M3", "M5"]
    assert (got["M1"].value, got["M2"].value, got["M3"].value, got["M5"].value) == (-696, 0, 30, 3)
    assert got["M3"].detail == {"izin_berakhir": "2026-12-28", "status_izin": "berlaku", "kode_wilayah": None}


def test_the_city_date_decides_izin_menara_at_the_utc_day_boundary(store, monkeypatch):
    insert(store, "menara_bts", "DISKOMINFO",
           ("kode_menara", "operator", "latitude", "longitude", "status_izin", "izin_berakhir"), [
               ("M1", "XL", -5.14, 119.42, "berlaku", date(2026, 12, 29))])
    # 16:00 UTC on 28 Nov is 00:00 on 29 Nov in Makassar: 29 Dec is then within 30 days
    monkeypatch.setenv("WARROOM_NOW", "2026-11-28T15:59:00+00:00")
    assert fired(store, "izin_menara", 30) == {}
    monkeypatch.setenv("WARROOM_NOW", "2026-11-28T16:00:00+00:00")
    assert sorted(fired(store, "izin_menara", 30)) == ["M1"]


def test_aplikasi_mati_follows_the_ringkasan_rule(store):
    insert(store, "aplikasi", "DISKOMINFO",
           ("kode_aplikasi", "nama_aplikasi", "kode_opd", "status", "ketersediaan_persen"), [
               ("A1", "Lancar", "DINKES", "aktif", 99.0), ("A2", "Pas batas", "DINKES", "aktif", 95.0),
               ("A3", "Tersendat", "DISHUB", "aktif", 94.99), ("A4", "Mati", "DISHUB", "nonaktif", None),
               ("A5", "Baru", "DISHUB", "pengembangan", 10.0), ("A6", "Tanpa angka", "DISHUB", "aktif", None)])
    insert(store, "aplikasi", "DISHUB", ("kode_aplikasi", "nama_aplikasi", "kode_opd", "status"), [
        ("A1", "Lancar", "DINKES", "nonaktif")])   # not DISKOMINFO's row: not official
    got = fired(store, "aplikasi_mati", "app_availability_min")
    assert sorted(got) == ["A3", "A4"]
    assert (got["A3"].value, got["A3"].threshold, got["A4"].value) == (94.99, 95.0, None)


def test_bor_tinggi_at_the_high_setting_the_map_uses(store):
    assert THRESHOLDS.bor_high_percent == 85.0
    rows = [("F1", 100, 85), ("F2", 10000, 8499), ("F3", 0, 0), ("F4", None, 5)]
    up = upload(store, dataset="fasyankes")
    for kode, total, terisi in rows:
        store.execute("insert into fasyankes (kode_faskes, nama, jenis, latitude, longitude, kode_wilayah, tanggal, "
                      "tt_total, tt_terisi, sumber_opd, upload_id) values (?, ?, 'rs', -5.14, 119.42, "
                      "'73.71.01.1001', ?, ?, ?, 'DINKES', ?)", [kode, f"RS {kode}", TODAY, total, terisi, up])
    got = fired(store, "bor_tinggi", "bor_high_percent")
    # F1 alone: 85 % exactly; the city: 8584 of 10100 beds = 84.99 %, under the setting
    assert sorted(got) == ["F1"] and got["F1"].value == 85.0 and got["F1"].object_kind == "kode_faskes"


def test_kamera_gelap_by_measured_status_for_60_minutes(store):
    insert(store, "cctv", "DISHUB", ("kode_cctv", "nama_lokasi", "latitude", "longitude", "status", "url_stream"), [
        ("C1", "Gelap lama", -5.14, 119.42, "online", "http://10.0.0.1/c1.jpg"),
        ("C2", "Gelap baru", -5.14, 119.42, "online", "http://10.0.0.1/c2.jpg"),
        ("C3", "Hidup", -5.14, 119.42, "offline", "http://10.0.0.1/c3.jpg"),
        ("C4", "Tak pernah", -5.14, 119.42, "online", "http://10.0.0.1/c4.jpg")])
    at = now()
    checks = [("C1", at - timedelta(minutes=61), True), ("C1", at - timedelta(seconds=30), False),
              ("C2", at - timedelta(minutes=59), True), ("C2", at - timedelta(seconds=30), False),
              ("C3", at - timedelta(seconds=30), True),
              ("C4", at - timedelta(minutes=60), False), ("C4", at - timedelta(seconds=20), False)]
    for kode, when, ok in checks:
        store.execute("insert into cctv_checks values (?, ?, ?, 10, null)", [kode, when, ok])
    got = fired(store, "kamera_gelap", 60)
    # C2 is dark (no picture for 59 min > 10 min) but not yet for 60; DISHUB's 'offline' for C3 does not count
    assert sorted(got) == ["C1", "C4"]
    assert (got["C1"].value, got["C4"].value, got["C1"].link) == (61, 60, "/cctv?kamera=C1")


def test_data_terlambat_uses_the_freshness_rule(store):
    up = upload(store, dataset="fasyankes")
    store.execute("insert into fasyankes (kode_faskes, nama, jenis, latitude, longitude, kode_wilayah, tanggal, "
                  "sumber_opd, upload_id) values ('F1', 'RS', 'rs', -5.14, 119.42, '73.71.01.1001', ?, 'DINKES', ?)",
                  [TODAY - timedelta(days=2), up])
    got = fired(store, "data_terlambat", "late")
    assert got["fasyankes"].detail["status"] == "late" and got["fasyankes"].value == 2
    assert "fasyankes" not in fired(store, "data_terlambat", "stale")


def write(tmp_path, text: str):
    path = tmp_path / "alerts.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_rule_file_loads_with_one_threshold_setting_each():
    cfg = rules.load_config(rules.DEFAULT_FILE)
    assert [r.name for r in cfg.rules] == ["covid_level_naik", "bor_tinggi", "kamera_gelap", "izin_menara",
                                           "aplikasi_mati", "data_terlambat", "kinerja_terlambat"]
    assert cfg.rule("bor_tinggi").threshold == THRESHOLDS.bor_high_percent
    assert cfg.rule("aplikasi_mati").threshold == THRESHOLDS.app_availability_min
    assert cfg.rule("izin_menara").threshold == 30 and cfg.webhooks == ()


def test_a_bad_rule_file_says_every_problem_in_indonesian(tmp_path):
    path = write(tmp_path, '[[rule]]\nname = "a"\nkind = "banjir"\nseverity = "gawat"\n'
                           '[[webhook]]\nname = "tg"\nurl = "ftp://x"\nformat = "telegram"\n')
    with pytest.raises(rules.AlertsConfigError) as err:
        rules.load_config(path)
    assert err.value.text("id").splitlines()[1:] == [
        "- aturan a: jenis banjir tidak dikenal (yang dikenal: covid_level_naik, bor_tinggi, kamera_gelap, "
        "izin_menara, aplikasi_mati, data_terlambat, kinerja_terlambat)",
        "- aturan a: tingkat gawat tidak dikenal (yang dikenal: kritis, peringatan, info)",
        "- aturan a: ambang (threshold) wajib diisi",
        "- webhook tg: url harus diawali http:// atau https://",
        "- webhook tg: format telegram memerlukan chat_id"]


def test_a_file_that_is_not_toml_or_too_large_is_refused(tmp_path):
    with pytest.raises(rules.AlertsConfigError) as err:
        rules.load_config(write(tmp_path, "[[rule]\n"))
    assert "bukan TOML yang sah" in err.value.text("id")
    with pytest.raises(rules.AlertsConfigError) as err:
        rules.load_config(write(tmp_path, "#" * (rules.MAX_FILE_BYTES + 1)))
    assert err.value.text("id").endswith(f"berkas lebih besar dari {rules.MAX_FILE_BYTES} bita")


def test_a_failing_rule_does_not_silence_the_others(store, monkeypatch):
    def broken(con, rule, ctx):
        raise RuntimeError("boom")
    monkeypatch.setitem(rules.EVALUATORS, "bor_tinggi", broken)
    insert(store, "aplikasi", "DISKOMINFO", ("kode_aplikasi", "nama_aplikasi", "kode_opd", "status"), [
        ("A4", "Mati", "DISHUB", "nonaktif")])
    cfg = rules.Config((rules.Rule("bor_tinggi", "bor_tinggi", 85, "kritis"),
                        rules.Rule("aplikasi_mati", "aplikasi_mati", 95, "kritis")), ())
    ev = rules.evaluate(store, cfg, rules.Context(datetime.fromisoformat("2026-11-28T10:00:00+08:00")))
    assert [f.object for f in ev.findings] == ["A4"]
    assert ev.evaluated == {"aplikasi_mati"} and ev.failed == {"bor_tinggi": "RuntimeError: boom"}


def test_alerts_in_words():
    from warroom.alerts.deliver import describe
    tower = {"kind": "izin_menara", "threshold": 30, "detail": {"izin_berakhir": "2026-05-31"}}
    assert describe({**tower, "value": -181}) == "izin berakhir 31 Mei 2026 · lewat 181 hari"
    assert describe({**tower, "value": 0}) == "izin berakhir 31 Mei 2026 · sisa 0 hari"
    assert describe({**tower, "value": -181}, "en") == "permit ended 31 May 2026 · 181 days ago"
    app = {"kind": "aplikasi_mati", "threshold": 95.0, "detail": {"status": "nonaktif"}}
    assert describe({**app, "value": None}) == "nonaktif · ketersediaan tidak tersedia (minimum 95 %)"
    assert describe({**app, "value": 94.99, "detail": {"status": "aktif"}}) == \
        "aktif · ketersediaan 94,99 % (minimum 95 %)"
