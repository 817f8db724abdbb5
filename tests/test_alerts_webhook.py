"""Alerts end to end with a loopback webhook receiver: uploads raise and lower a kecamatan's
transmission level; one message when it rises, none for the same upload again, a resolved
message when it falls back; grouping, silence window, retries, Telegram body, refused address."""
from __future__ import annotations

import json
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from warroom.alerts import deliver, rules, service
from warroom.alerts import store as alert_store
from warroom.config import now
from warroom.ingest import ingest_file

HEAD = "tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru\n"
MARISO, MAMAJANG = "73.71.01", "73.71.02"          # populations 60,369 and 60,070 (reference)
NO_WAIT = lambda seconds: None


class Receiver:
    """A loopback HTTP server that records every POST; `fail_first` answers 500 that many times."""

    def __init__(self, fail_first: int = 0):
        received, state = [], {"fail": fail_first, "hits": 0}

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                data = self.rfile.read(length)
                state["hits"] += 1
                if state["fail"] > 0:
                    state["fail"] -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                received.append({"path": self.path, "type": self.headers.get("Content-Type"),
                                 "body": json.loads(data)})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args):
                pass

        self.received, self.state = received, state
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/hook/warroom") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(monkeypatch):
    r = Receiver()
    monkeypatch.setenv("WARROOM_ALERT_ALLOW", f"http://127.0.0.1:{r.port}/hook/")
    yield r
    r.close()


def config(*hooks: rules.Webhook, silence: float = 0) -> rules.Config:
    return rules.Config((rules.Rule("covid_level_naik", "covid_level_naik", 7, "kritis", silence),), hooks)


def day(n: int) -> date:
    return date(2026, 11, n)


def send(con, rows: list[tuple[date, str, int]]):
    text = HEAD + "".join(f"{d},{kode},{cases},0,0\n" for d, kode, cases in rows)
    result = ingest_file(con, "covid19_harian", text.encode(), kode_opd="DINKES", username="uji", lang="en")
    assert result.accepted, result.render_text()
    return result


def quiet_fortnight(con, kodes=(MARISO, MAMAJANG)) -> None:
    """1 case a day for 1..14 Nov: about 12 per 100,000 a week, level 1, everywhere."""
    send(con, [(day(n), kode, 1) for kode in kodes for n in range(1, 15)])


RISE = [(day(12), MARISO, 20), (day(13), MARISO, 20), (day(14), MARISO, 20)]    # 64 a week: 106/100k, level 3
FALL = [(day(12), MARISO, 1), (day(13), MARISO, 1), (day(14), MARISO, 1)]       # back to level 1


def test_a_rise_sends_one_message_the_same_upload_none_and_the_fall_a_resolved_one(store, receiver):
    cfg = config(rules.Webhook("piket", receiver.url(), "json"))
    quiet_fortnight(store)
    _, sent = service.run_once(store, cfg, sleep=NO_WAIT)
    assert sent == [] and receiver.received == []

    send(store, RISE)
    _, sent = service.run_once(store, cfg, sleep=NO_WAIT)
    assert len(receiver.received) == 1
    body = receiver.received[0]["body"]
    assert receiver.received[0]["path"] == "/hook/warroom"
    assert receiver.received[0]["type"] == "application/json; charset=utf-8"
    assert (body["status"], body["rule"], body["severity"], body["city"]) == ("firing", "covid_level_naik", "kritis",
                                                                              "73.71")
    assert [(a["object"], a["label"], a["value"], a["threshold"]) for a in body["alerts"]] == [(MARISO, "Mariso", 3, 1)]
    assert body["text"].splitlines()[:2] == ["■ KRITIS · Tingkat transmisi naik · 1 baru",
                                             "• Mariso (73.71.01): level 3 (7 hari lalu level 1)"]

    again = send(store, RISE)
    assert again.rows_unchanged == 3
    _, sent = service.run_once(store, cfg, sleep=NO_WAIT)
    assert sent == [] and len(receiver.received) == 1

    send(store, FALL)
    _, sent = service.run_once(store, cfg, sleep=NO_WAIT)
    assert len(receiver.received) == 2
    body = receiver.received[1]["body"]
    assert (body["status"], [a["object"] for a in body["alerts"]]) == ("resolved", [MARISO])
    assert body["alerts"][0]["until"] is not None
    assert body["text"].startswith("✔ SELESAI · Tingkat transmisi naik · 1 pulih")

    history = store_rows(store)
    assert [(h["rule"], h["object"], h["state"]) for h in history] == [("covid_level_naik", MARISO, "resolved")]
    delivered = [(d["webhook"], d["status"], d["ok"], d["attempts"]) for d in reversed(store_deliveries(store))]
    assert delivered == [("piket", "firing", True, 1), ("piket", "resolved", True, 1)]


def store_rows(con):
    return alert_store.history(con)


def test_restarting_the_app_does_not_send_again(store, receiver):
    cfg = config(rules.Webhook("piket", receiver.url(), "json"))
    quiet_fortnight(store)
    send(store, RISE)
    service.run_once(store, cfg, sleep=NO_WAIT)
    assert len(receiver.received) == 1
    # a new service over the same database (the app restarted): the history says it was sent
    fresh = service.AlertService(lambda: store)
    fresh_cfg = config(rules.Webhook("piket", receiver.url(), "json"))
    _, sent = service.run_once(store, fresh_cfg, sleep=NO_WAIT)
    assert sent == [] and len(receiver.received) == 1 and fresh.runs == 0


def test_a_wave_of_every_kecamatan_is_one_message(store, receiver):
    from warroom import reference  # noqa: F401  (the store fixture loaded the real populations)
    kecamatan = [r[0] for r in store.execute("select kode_wilayah, penduduk from wilayah where tingkat = 'kecamatan' "
                                             "order by 1").fetchall()]
    assert len(kecamatan) == 15
    cfg = config(rules.Webhook("piket", receiver.url(), "json"))
    send(store, [(day(n), kode, 0) for kode in kecamatan for n in range(1, 15)])
    service.run_once(store, cfg, sleep=NO_WAIT)
    pops = dict(store.execute("select kode_wilayah, penduduk from wilayah").fetchall())
    # on 14 Nov each kecamatan has 60 cases per 100,000 in a week: level 3, and so has the city
    send(store, [(day(14), kode, -(-pops[kode] * 60 // 100_000)) for kode in kecamatan])
    _, sent = service.run_once(store, cfg, sleep=NO_WAIT)
    assert len(sent) == 1 and len(receiver.received) == 1
    objects = [a["object"] for a in receiver.received[0]["body"]["alerts"]]
    assert objects == ["73.71"] + kecamatan
    assert receiver.received[0]["body"]["text"].splitlines()[0] == "■ KRITIS · Tingkat transmisi naik · 16 baru"


def test_the_silence_window_holds_a_second_firing_message_then_sends_it(store, receiver):
    cfg = config(rules.Webhook("piket", receiver.url(), "json"), silence=60)
    quiet_fortnight(store)
    t0 = now()
    send(store, RISE)
    service.run_once(store, cfg, at=t0, sleep=NO_WAIT)
    assert len(receiver.received) == 1
    send(store, [(day(12), MAMAJANG, 20), (day(13), MAMAJANG, 20), (day(14), MAMAJANG, 20)])
    service.run_once(store, cfg, at=t0 + timedelta(minutes=10), sleep=NO_WAIT)
    assert len(receiver.received) == 1                          # silenced
    service.run_once(store, cfg, at=t0 + timedelta(minutes=61), sleep=NO_WAIT)
    assert len(receiver.received) == 2
    assert [a["object"] for a in receiver.received[1]["body"]["alerts"]] == [MAMAJANG]


def test_retries_until_the_receiver_answers(store, monkeypatch):
    flaky = Receiver(fail_first=2)
    monkeypatch.setenv("WARROOM_ALERT_ALLOW", f"http://127.0.0.1:{flaky.port}/hook/")
    try:
        cfg = config(rules.Webhook("piket", flaky.url(), "json"))
        quiet_fortnight(store)
        send(store, RISE)
        waits: list[float] = []
        service.run_once(store, cfg, sleep=waits.append)
        assert flaky.state["hits"] == 3 and len(flaky.received) == 1
        assert waits == [1.0, 3.0]
        assert [(d["ok"], d["attempts"], d["error"]) for d in store_deliveries(store)] == [(True, 3, None)]
    finally:
        flaky.close()


def store_deliveries(con):
    return alert_store.deliveries(con)


def test_telegram_webhooks_get_a_sendmessage_body(store, receiver):
    cfg = config(rules.Webhook("tg", receiver.url("/hook/bot123/sendMessage"), "telegram", "-1001"))
    quiet_fortnight(store)
    send(store, RISE)
    service.run_once(store, cfg, sleep=NO_WAIT)
    body = receiver.received[0]["body"]
    assert sorted(body) == ["chat_id", "text"] and body["chat_id"] == "-1001"
    assert body["text"].startswith("■ KRITIS · Tingkat transmisi naik · 1 baru\n• Mariso (73.71.01)")


def test_an_internal_address_not_allowed_is_refused_without_a_connection(store, monkeypatch):
    target = Receiver()
    monkeypatch.delenv("WARROOM_ALERT_ALLOW", raising=False)
    try:
        cfg = config(rules.Webhook("piket", target.url(), "json"))
        quiet_fortnight(store)
        send(store, RISE)
        service.run_once(store, cfg, sleep=NO_WAIT)
        assert target.state["hits"] == 0
        [d] = store_deliveries(store)
        assert (d["ok"], d["attempts"], d["error"].split(":")[0]) == (False, 1, "internal")
    finally:
        target.close()


def test_the_test_button_sends_one_test_message(store, receiver):
    attempts, error = deliver.send_test(store, rules.Webhook("piket", receiver.url(), "json"), now())
    assert (attempts, error) == (1, None)
    body = receiver.received[0]["body"]
    assert body["status"] == "test" and body["text"] == ("Pesan uji dari War Room Kota Makassar (piket) · 28 November 2026 10.00 WITA. "
                            "Tidak ada tindakan yang diperlukan.")
    assert [(d["webhook"], d["status"], d["ok"]) for d in store_deliveries(store)] == [("piket", "test", True)]


def test_acknowledging_records_who_when_and_the_note(store, receiver):
    cfg = config(rules.Webhook("piket", receiver.url(), "json"))
    quiet_fortnight(store)
    send(store, RISE)
    service.run_once(store, cfg, sleep=NO_WAIT)
    [alert] = alert_store.firing(store)
    at = now()
    assert alert_store.acknowledge(store, alert["alert_id"], "walidata", "  dicek ke Dinkes  ", at)
    [alert] = alert_store.firing(store)
    assert (alert["acked_by"], alert["acked_at"], alert["ack_note"]) == ("walidata", at, "dicek ke Dinkes")
    assert not alert_store.acknowledge(store, 999, "walidata", "", at)


def test_the_service_evaluates_after_each_accepted_write_and_on_the_minute(store, receiver, tmp_path, monkeypatch):
    rule_file = tmp_path / "alerts.toml"
    rule_file.write_text('[[rule]]\nname = "covid_level_naik"\nkind = "covid_level_naik"\nthreshold = 7\n'
                         'severity = "kritis"\nsilence_minutes = 0\n'
                         f'[[webhook]]\nname = "piket"\nurl = "{receiver.url()}"\nformat = "json"\n', encoding="utf-8")
    monkeypatch.setenv("WARROOM_ALERTS", str(rule_file))
    svc = service.AlertService(lambda: store, every_s=3600)
    quiet_fortnight(store)
    assert svc.step() is True and svc.runs == 1           # first step: evaluates
    assert svc.step() is False                            # nothing new, the minute not passed
    send(store, RISE)
    assert svc.step() is True and len(receiver.received) == 1
    assert svc.step() is False and len(receiver.received) == 1
    svc.every_s = 0                                       # the minute passed: clock rules only
    assert svc.step() is True and svc.runs == 3
    assert len(receiver.received) == 1 and len(alert_store.firing(store)) == 1   # covid alert kept


def test_alerts_history_on_the_command_line(store_file, monkeypatch, capsys):
    from warroom import db
    from warroom.cli import main
    monkeypatch.setenv("WARROOM_ALERT_ALLOW", "")
    con = db.connect(store_file)
    try:
        quiet_fortnight(con)
        send(con, RISE)
        service.run_once(con, config(), sleep=NO_WAIT)
        send(con, FALL)
        service.run_once(con, config(), sleep=NO_WAIT)
        send(con, RISE)
        service.run_once(con, config(), sleep=NO_WAIT)
    finally:
        con.close()
    assert main(["alerts", "history", "--json", "--db", str(store_file)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["rule"], r["object"], r["state"], r["value"], r["threshold"]) for r in rows] == [
        ("covid_level_naik", MARISO, "firing", 3, 1), ("covid_level_naik", MARISO, "resolved", 3, 1)]
    assert main(["alerts", "history", "--db", str(store_file), "--state", "resolved"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith("#1\tresolved\tkritis\tcovid_level_naik\t73.71.01\tMariso\tvalue=3\tthreshold=1\tsince=")


def test_a_rule_taken_out_of_the_file_closes_its_alerts_quietly(store, receiver):
    cfg = config(rules.Webhook("piket", receiver.url(), "json"))
    quiet_fortnight(store)
    send(store, RISE)
    service.run_once(store, cfg, sleep=NO_WAIT)
    assert len(receiver.received) == 1
    _, sent = service.run_once(store, rules.Config((), cfg.webhooks), sleep=NO_WAIT)
    assert sent == [] and len(receiver.received) == 1
    assert [(r["object"], r["state"]) for r in alert_store.history(store)] == [(MARISO, "resolved")]
