"""Pulled sources in one process: schedules and the scheduler on an injected clock (no
sleeping), every outcome of a run against a loopback server (slow, redirect to an internal
address, internal address not allowed, too large, JSON, xlsx), the back-off, what Katalog
and Admin show (never the auth header), and the admin-only actions."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pull_server import PullServer

from warroom import auth
from warroom.katalog import NotAllowed
from warroom.pull import desk, run, service, sources
from warroom.pull.sources import Schedule

UTC = timezone.utc
CORPUS = Path(__file__).resolve().parent / "corpus"
HEADER = ("tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru,rawat_inap_baru,dirawat,isolasi_mandiri,"
          "spesimen_diperiksa,spesimen_positif")
GOOD = f"{HEADER}\n2026-11-20,73.71.01.1001,12,10,1,2,30,5,40,3\n".encode()
T0 = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)     # 10:00 WITA, the pinned WARROOM_NOW
PASSWORD = "Rahasia-Sumber-2026"


@pytest.fixture
def server(monkeypatch):
    srv = PullServer()
    srv.thread.start()
    monkeypatch.setenv("WARROOM_PULL_ALLOW", srv.base + "/")
    yield srv
    srv.close()


def add(con, name, url, **kw):
    kw.setdefault("dataset", "covid19_harian")
    kw.setdefault("kode_opd", "DINKES")
    return sources.add(con, name=name, url=url, at=kw.pop("at", T0), **kw)


def covid_rows(con) -> list[tuple]:
    return con.execute("SELECT tanggal::varchar, kode_wilayah, kasus_baru, upload_id FROM covid19_harian "
                       "ORDER BY tanggal, kode_wilayah").fetchall()


# --- schedules (pure, injected instants) -------------------------------------------------------


def test_every_n_minutes_and_back_off():
    every = Schedule(every_minutes=30)
    assert every.first_run(T0) == T0
    assert every.next_run(T0, ok=True, failures=0) == T0 + timedelta(minutes=30)
    # Failures: 1, 2, 4, 8, 16 minutes, then capped at the interval.
    assert [every.next_run(T0, ok=False, failures=n) - T0 for n in range(1, 8)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 30, 30)]
    daily = Schedule(daily_at="07:00")
    assert daily.retry_after(11) == timedelta(minutes=1024)
    assert daily.retry_after(12) == timedelta(days=1)
    # A failure close to the daily time retries no later than that time.
    before = datetime(2026, 11, 27, 22, 55, tzinfo=UTC)      # 06:55 WITA
    assert daily.next_run(before, ok=False, failures=5) == datetime(2026, 11, 27, 23, 0, tzinfo=UTC)


def test_daily_in_city_time_across_the_16_utc_boundary():
    half_past_midnight = Schedule(daily_at="00:30")            # 00:30 WITA = 16:30 UTC the day before
    assert half_past_midnight.next_after(datetime(2026, 11, 28, 15, 59, tzinfo=UTC)) == \
        datetime(2026, 11, 28, 16, 30, tzinfo=UTC)
    assert half_past_midnight.next_after(datetime(2026, 11, 28, 16, 10, tzinfo=UTC)) == \
        datetime(2026, 11, 28, 16, 30, tzinfo=UTC)
    assert half_past_midnight.next_after(datetime(2026, 11, 28, 16, 30, tzinfo=UTC)) == \
        datetime(2026, 11, 29, 16, 30, tzinfo=UTC)
    morning = Schedule(daily_at="07:00")                        # 23:00 UTC the day before
    # 16:05 UTC on the 28th is already the 29th in the city: next 07:00 WITA is on the 29th.
    assert morning.next_after(datetime(2026, 11, 28, 16, 5, tzinfo=UTC)) == datetime(2026, 11, 28, 23, 0, tzinfo=UTC)
    assert morning.next_after(datetime(2026, 11, 28, 15, 55, tzinfo=UTC)) == datetime(2026, 11, 28, 23, 0, tzinfo=UTC)
    assert morning.next_after(datetime(2026, 11, 28, 23, 0, tzinfo=UTC)) == datetime(2026, 11, 29, 23, 0, tzinfo=UTC)
    assert morning.first_run(T0) == datetime(2026, 11, 28, 23, 0, tzinfo=UTC)
    assert morning.describe("id") == "harian pukul 07:00 WITA"


def test_scheduler_runs_what_is_due_on_an_injected_clock(store, server):
    every = add(store, "tiap10", server.serve("/a.csv", GOOD, Content_Type="text/csv"), every=10)
    daily = add(store, "pagi", server.serve("/b.csv", GOOD.replace(b"73.71.01.1001", b"73.71.01.1002")),
                daily="00:30")
    assert (every.next_run_at, daily.next_run_at) == (T0, datetime(2026, 11, 28, 16, 30, tzinfo=UTC))
    svc = service.PullService(lambda: store, clock=lambda: T0)
    assert [(o.source, o.outcome) for o in svc.tick()] == [("tiap10", "accepted")]
    assert svc.tick(T0 + timedelta(minutes=9)) == []
    assert [(o.source, o.outcome) for o in svc.tick(T0 + timedelta(minutes=10))] == [("tiap10", "unchanged")]
    # 16:29 UTC is 00:29 WITA: not yet; 16:30 UTC is 00:30 WITA on the 29th: both are due.
    assert [o.source for o in svc.tick(datetime(2026, 11, 28, 16, 29, tzinfo=UTC))] == ["tiap10"]
    assert [(o.source, o.outcome) for o in svc.tick(datetime(2026, 11, 28, 16, 30, tzinfo=UTC))] == [
        ("pagi", "accepted")]
    assert sources.get(store, "pagi").next_run_at == datetime(2026, 11, 29, 16, 30, tzinfo=UTC)
    assert [r[1] for r in covid_rows(store)] == ["73.71.01.1001", "73.71.01.1002"]
    assert [p for p, _ in server.requests] == ["/a.csv", "/a.csv", "/a.csv", "/b.csv"]


# --- outcomes of a run -------------------------------------------------------------------------


def test_a_failing_source_keeps_the_data_backs_off_and_recovers(store, server):
    url = server.serve("/h.csv", GOOD, Content_Type="text/csv")
    add(store, "dinkes", url, every=60)
    assert run.run_source(store, "dinkes", at=T0).outcome == "accepted"
    before = covid_rows(store)
    server.serve("/h.csv", b"", status=500)
    at = T0 + timedelta(hours=1)
    nexts = []
    for _ in range(3):
        outcome = run.run_source(store, "dinkes", at=at)
        assert (outcome.outcome, outcome.error, outcome.exit_code) == ("fetch_failed", "http_500", 3)
        nexts.append(sources.get(store, "dinkes").next_run_at - at)
        at = sources.get(store, "dinkes").next_run_at
    assert nexts == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert covid_rows(store) == before
    state = sources.get(store, "dinkes")
    assert (state.failures, state.last_result, state.last_ok_upload_id, state.last_ok_at) == (3, "fetch_failed", 3, T0)
    server.serve("/h.csv", GOOD, Content_Type="text/csv")
    assert run.run_source(store, "dinkes", at=at).outcome == "unchanged"
    state = sources.get(store, "dinkes")
    assert (state.failures, state.last_result, state.next_run_at) == (0, "unchanged", at + timedelta(hours=1))


def test_slow_redirect_internal_and_too_large_are_fetch_failures(store, server, monkeypatch):
    monkeypatch.setenv("WARROOM_PULL_READ_TIMEOUT_S", "0.3")
    add(store, "lambat", server.hold("/slow.csv"))
    add(store, "alih", server.serve("/moved.csv", b"", status=302, Location="http://10.0.0.1/harian.csv"))
    add(store, "besar", server.serve("/big.csv", GOOD + b"x" * (1024 * 1024)))
    add(store, "luar_izin", server.serve("/lain/harian.csv", GOOD))
    monkeypatch.setenv("WARROOM_PULL_ALLOW", server.base + "/slow.csv," + server.base + "/moved.csv,"
                       + server.base + "/big.csv")
    monkeypatch.setattr("warroom.upload_service.MAX_UPLOAD_MB", 1)
    got = {name: run.run_source(store, name, lang="en") for name in ("lambat", "alih", "besar", "luar_izin")}
    assert {n: (o.outcome, o.error, o.exit_code) for n, o in got.items()} == {
        "lambat": ("fetch_failed", "timeout", 3), "alih": ("fetch_failed", "redirect", 3),
        "besar": ("fetch_failed", "too_large", 3), "luar_izin": ("fetch_failed", "internal", 3)}
    assert got["alih"].render_text() == ("FETCH FAILED: source alih: the server redirects elsewhere (redirects are "
                                        "not followed); no data changed (upload log #4).")
    assert [p for p, _ in server.requests].count("/lain/harian.csv") == 0   # refused before connecting
    assert covid_rows(store) == []
    assert store.execute("SELECT status, count(*) FROM uploads WHERE username LIKE 'sumber:%' GROUP BY ALL"
                         ).fetchall() == [("fetch_failed", 4)]


def test_json_records_at_a_path_and_xlsx_by_content_type(store, server):
    records = {"data": {"items": [
        {"tanggal": "2026-11-20", "kode_wilayah": "73.71.01.1001", "kasus_baru": 12, "sembuh_baru": 10,
         "meninggal_baru": 1, "rawat_inap_baru": None, "catatan": "diabaikan"}]}}
    add(store, "simrs", server.serve("/api/harian", json.dumps(records).encode(), Content_Type="application/json"),
        json_path="data.items")
    outcome = run.run_source(store, "simrs", lang="en")
    assert (outcome.outcome, outcome.result["rows_inserted"], outcome.result["file_name"]) == (
        "accepted", 1, "simrs.csv")
    assert store.execute("SELECT kasus_baru, rawat_inap_baru FROM covid19_harian").fetchall() == [(12, None)]
    server.serve("/api/harian", b'{"data": {"items": [[1, 2]]}}', Content_Type="application/json")
    refused = run.run_source(store, "simrs", lang="en")
    assert (refused.outcome, refused.exit_code) == ("refused", 1)
    assert refused.result["problems"][0]["reason"] == "The JSON cannot be read as a list of records (path data.items)."
    server.serve("/api/harian", b"<html>maintenance</html>", Content_Type="application/json")
    assert run.run_source(store, "simrs").outcome == "refused"
    assert store.execute("SELECT kasus_baru FROM covid19_harian").fetchall() == [(12,)]

    workbook = (CORPUS / "covid_workbook.xlsx").read_bytes()
    add(store, "buku", server.serve("/unduh?id=7", workbook,
                                    Content_Type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    book = run.run_source(store, "buku", lang="en")
    assert (book.outcome, book.result["file_name"]) == ("accepted", "buku.xlsx")


def test_format_choice_and_json_conversion():
    assert run.choose_format(None, "text/csv; charset=utf-8", "http://x/a.json") == "csv"
    assert run.choose_format(None, "text/plain", "http://x/a.JSON") == "json"
    assert run.choose_format(None, None, "http://x/data.xlsx?v=2") == "xlsx"
    assert run.choose_format(None, "application/octet-stream", "http://x/api/harian") == "csv"
    assert run.choose_format("json", "text/csv", "http://x/a.csv") == "json"
    assert run.json_to_csv(b'[{"a": 1, "b": true}, {"b": null, "c": "x,y"}]', None) == \
        b'a,b,c\r\n1,true,\r\n,,"x,y"\r\n'
    assert run.json_to_csv(b'{"rows": [[0], [{"a": 2.5}]]}', "rows.1") == b"a\r\n2.5\r\n"
    for bad, path in ((b'{"a": 1}', None), (b'[{"a": {"b": 1}}]', None), (b"[1]", "x"), (b"\xff", None)):
        with pytest.raises(run.NotRecords):
            run.json_to_csv(bad, path)


def test_constants_join_the_mapping_in_its_full_form(store, server):
    src = add(store, "peta", server.serve("/m.csv", GOOD), mapping={"kasus": "kasus_baru"},
              constants=["kode_wilayah=73.71.01.1001", "tanggal=2026-11-20"])
    assert src.full_mapping() == {"columns": {"kasus": "kasus_baru"},
                                  "constants": {"kode_wilayah": "73.71.01.1001", "tanggal": "2026-11-20"}}
    full = add(store, "penuh", server.serve("/f.csv", GOOD), constants=["tanggal=2026-11-21"],
               mapping={"columns": {"#2": "kode_wilayah"}, "constants": {"tanggal": "2026-11-01", "dirawat": "0"},
                        "description": "dari SIMRS"})
    assert full.full_mapping() == {"columns": {"#2": "kode_wilayah"}, "description": "dari SIMRS",
                                   "constants": {"tanggal": "2026-11-21", "dirawat": "0"}}
    only = add(store, "tetap", server.serve("/c.csv", GOOD), constants=["dirawat=0"])
    assert only.full_mapping() == {"constants": {"dirawat": "0"}}
    plain = add(store, "polos", server.serve("/p.csv", GOOD))
    assert (plain.full_mapping(), plain.ingest_mapping()) == (None, None)
    with pytest.raises(sources.SourceError) as bad:
        add(store, "x", server.serve("/p.csv", GOOD), constants=["tanpa_sama_dengan"])
    assert bad.value.message("en") == "--set needs FIELD=VALUE, not 'tanpa_sama_dengan'."


# --- what pages show, who may act ---------------------------------------------------------------


def test_status_history_and_registry_never_show_the_auth_header(store, server):
    secret = "Bearer sangat-rahasia-42"
    add(store, "sehat", server.serve("/ok.csv", GOOD, Content_Type="text/csv"),
        auth_header=f"Authorization: {secret}")
    add(store, "rusak", "http://pengguna:sandi@" + server.base[7:] + "/hilang.csv?token=abc", every=15)
    run.run_source(store, "sehat")
    run.run_source(store, "rusak")
    status = {r["name"]: r for r in desk.status_rows(store, "id")}
    assert {k: status["sehat"][k] for k in ("Hasil", "Galat", "Terakhir berhasil", "Baris", "Berikutnya")} == {
        "Hasil": "✔ diterima", "Galat": "", "Terakhir berhasil": "2026-11-28 10:00 (#3)", "Baris": 1,
        "Berikutnya": "2026-11-28 11:00"}
    assert {k: status["rusak"][k] for k in ("Hasil", "Galat", "Terakhir berhasil", "Berikutnya", "Jadwal")} == {
        "Hasil": "✖ gagal mengambil", "Galat": "server menjawab HTTP 404", "Terakhir berhasil": "tidak tersedia",
        "Berikutnya": "2026-11-28 10:01", "Jadwal": "setiap 15 menit"}
    assert status["rusak"]["failing"] and not status["sehat"]["failing"]
    assert desk.history_rows(store, "rusak", "en") == [{"Upload": 4, "When": "2026-11-28 10:00",
                                                       "Result": "✖ fetch failed", "Rows": 0,
                                                       "Error": "the server answered HTTP 404"}]
    registry = desk.registry_rows(store, "en")
    assert [(r["Address"], r["Auth"]) for r in registry] == [
        (server.base + "/hilang.csv?…", "no"), (server.base + "/ok.csv", "yes")]
    from warroom.pull import routes
    shown = json.dumps([status, registry, routes.listing(store), desk.history_rows(store, "sehat", "id")],
                       default=str, ensure_ascii=False)
    for hidden in ("sangat-rahasia", "sandi", "token=abc", "pengguna"):
        assert hidden not in shown
    assert [h["Authorization"] for p, h in server.requests if p == "/ok.csv"] == [secret]


def test_registration_refusals_store_nothing(store, server):
    url = server.serve("/x.csv", GOOD)
    bad = [dict(name="", url=url), dict(name="a", url="ftp://x/y.csv"), dict(name="a", url=url, fmt="pdf"),
           dict(name="a", url=url, fmt="csv", json_path="data"), dict(name="a", url=url, every=0),
           dict(name="a", url=url, every=5, daily="07:00"), dict(name="a", url=url, auth_header="Bearer tanpa-nama"),
           dict(name="a", url=url, auth_header="X-Key: a\r\nHost: evil"), dict(name="a", url=url, mapping=[1, 2]),
           dict(name="a", url=url, kode_opd="TIDAK_ADA")]
    keys = []
    for kw in bad:
        with pytest.raises(sources.SourceError) as refused:
            add(store, **kw)
        keys.append(refused.value.key)
    assert keys == ["sumber.err.name", "sumber.err.url", "sumber.err.format", "sumber.err.json_path",
                    "sumber.err.every", "sumber.err.schedule_both", "sumber.err.header", "sumber.err.header",
                    "sumber.err.mapping", "sumber.err.opd"]
    assert sources.list_sources(store) == []
    add(store, "a", url)
    with pytest.raises(sources.SourceError) as twice:
        add(store, "a", url)
    assert twice.value.message("id") == "Sumber a sudah terdaftar."


def test_page_actions_are_for_an_active_admin_only(store, server):
    auth.add_user(store, "ani", PASSWORD, "admin")
    auth.add_user(store, "budi", PASSWORD, "staf_opd", "DINKES")
    auth.add_user(store, "pak_wali", PASSWORD, "pimpinan")
    url = server.serve("/x.csv", GOOD, Content_Type="text/csv")
    for who in ("budi", "pak_wali", None, "tidak_ada"):
        with pytest.raises(NotAllowed):
            desk.add_source(store, who, name="x", dataset="covid19_harian", kode_opd="DINKES", url=url)
    src = desk.add_source(store, "ani", name="x", dataset="covid19_harian", kode_opd="DINKES", url=url,
                          daily="06:15", constants_text="\nkode_wilayah=73.71.01.1001\n", at=T0)
    assert (src.schedule, src.constants, src.created_by) == (Schedule(daily_at="06:15"),
                                                             {"kode_wilayah": "73.71.01.1001"}, "ani")
    with pytest.raises(sources.SourceError) as bad_json:
        desk.add_source(store, "ani", name="y", dataset="covid19_harian", kode_opd="DINKES", url=url,
                        mapping_text="{kolom: x")
    assert bad_json.value.key == "sumber.admin.mapping_json"
    auth.set_disabled(store, "budi", True, by="ani")
    for who in ("budi", "pak_wali"):
        with pytest.raises(NotAllowed):
            desk.run_now(store, who, "x", "id")
        with pytest.raises(NotAllowed):
            desk.remove_source(store, who, "x")
    assert server.requests == []
    assert desk.run_now(store, "ani", "x", "id").outcome == "accepted"
    desk.remove_source(store, "ani", "x")
    assert sources.list_sources(store) == []
    assert [a for (a,) in store.execute("SELECT action FROM audit_log WHERE action LIKE 'source_%' "
                                        "ORDER BY audit_id").fetchall()] == ["source_added", "source_removed"]


def test_an_error_of_ours_backs_off_and_the_other_sources_still_run(store, server):
    add(store, "rusak", "http://127.0.0.1:9/boom.csv", every=30)
    add(store, "baik", server.serve("/ok.csv", GOOD, Content_Type="text/csv"), every=30)

    def fetch(url, headers):
        if url.endswith("/boom.csv"):
            raise RuntimeError("a bug")
        from warroom import net
        return net.request(url, run.policy(), headers=headers)

    svc = service.PullService(lambda: store, clock=lambda: T0, fetch=fetch)
    assert [(o.source, o.outcome) for o in svc.tick()] == [("baik", "accepted")]
    broken = sources.get(store, "rusak")
    assert (broken.last_result, broken.last_error, broken.failures, broken.next_run_at) == (
        "error", "crash", 1, T0 + timedelta(minutes=1))
    assert svc.tick(T0 + timedelta(seconds=59)) == []
    assert [r["Hasil"] for r in desk.status_rows(store, "id")] == ["✔ diterima", "✖ galat sistem"]
