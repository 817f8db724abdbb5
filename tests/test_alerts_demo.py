"""`alerts check --json` on the demo database, checked against the menara_bts and aplikasi exports."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-28T10:00:00+08:00"      # a Saturday morning in Makassar: today is 28 Nov 2026 (WITA)
TODAY = date(2026, 11, 28)


def cli(*args: str, db_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "WARROOM_NOW": NOW}
    env.pop("WARROOM_ALERTS", None)
    return subprocess.run([sys.executable, "-m", "warroom", *args, "--db", str(db_path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("alerts_demo") / "demo.duckdb"
    done = cli("init", "--demo", db_path=path)
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture(scope="module")
def checked(demo_path) -> list[dict]:
    done = cli("alerts", "check", "--json", db_path=demo_path)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def export(name: str, demo_path: Path) -> list[dict]:
    done = cli("export", name, db_path=demo_path)
    assert done.returncode == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout)))


def test_towers_whose_permit_ends_within_30_days_or_has_ended_match_the_export(checked, demo_path):
    limit = TODAY + timedelta(days=30)
    expected = sorted(r["kode_menara"] for r in export("menara_bts", demo_path)
                      if r["sumber_opd"] == "DISKOMINFO" and r["izin_berakhir"]
                      and date.fromisoformat(r["izin_berakhir"]) <= limit)
    fired = sorted(r["object"] for r in checked if r["rule"] == "izin_menara")
    assert fired == expected
    # the demo has expired, ending-soon and far-off permits, and towers without a permit date
    assert len(expected) == 50
    rows = {r["kode_menara"]: r for r in export("menara_bts", demo_path)}
    assert any(rows[k]["status_izin"] == "proses" for k in fired)          # whatever its status
    assert not any(r["izin_berakhir"] == "" and r["kode_menara"] in fired for r in rows.values())
    one = next(r for r in checked if r["rule"] == "izin_menara")
    assert one["severity"] == "peringatan" and one["threshold"] == 30 and one["object_kind"] == "kode_menara"
    end = date.fromisoformat(rows[one["object"]]["izin_berakhir"])
    assert one["value"] == (end - TODAY).days


def test_apps_that_are_down_match_the_export(checked, demo_path):
    def down(r: dict) -> bool:
        if r["status"] == "nonaktif":
            return True
        return r["status"] == "aktif" and r["ketersediaan_persen"] != "" and float(r["ketersediaan_persen"]) < 95
    expected = sorted(r["kode_aplikasi"] for r in export("aplikasi", demo_path)
                      if r["sumber_opd"] == "DISKOMINFO" and down(r))
    fired = sorted(r["object"] for r in checked if r["rule"] == "aplikasi_mati")
    assert fired == expected == ["APP-010", "APP-014", "APP-015", "APP-018", "APP-021", "APP-029"]
    by_code = {r["object"]: r for r in checked if r["rule"] == "aplikasi_mati"}
    assert by_code["APP-014"]["value"] == 88.32 and by_code["APP-014"]["threshold"] == 95.0
    assert by_code["APP-010"]["value"] is None and by_code["APP-010"]["detail"]["status"] == "nonaktif"


def test_every_line_has_the_contract_keys_and_the_check_writes_nothing(checked, demo_path):
    assert checked, "the demo has firing alerts"
    for row in checked:
        assert {"rule", "severity", "object", "value", "threshold", "since"} <= row.keys()
        assert isinstance(row["object"], str) and row["object"]
    import duckdb
    con = duckdb.connect(str(demo_path), read_only=True)
    try:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    finally:
        con.close()
    assert "alert_events" not in tables and "alert_deliveries" not in tables


def test_plain_text_check_prints_one_line_per_alert_and_exits_0(checked, demo_path):
    done = cli("alerts", "check", db_path=demo_path)
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert len(lines) == len(checked)
    assert any(line.startswith("kritis\taplikasi_mati\tAPP-014\tSiCantik Perizinan\tvalue=88.32\tthreshold=95.0")
               for line in lines)


def test_a_bad_rule_file_is_refused_with_the_reason(demo_path, tmp_path):
    bad = tmp_path / "alerts.toml"
    bad.write_text('[[rule]]\nname = "x"\nkind = "gempa"\nthreshold = 1\nseverity = "kritis"\n', encoding="utf-8")
    env = {**os.environ, "WARROOM_NOW": NOW, "WARROOM_ALERTS": str(bad)}
    done = subprocess.run([sys.executable, "-m", "warroom", "alerts", "check", "--db", str(demo_path)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "aturan x: jenis gempa tidak dikenal" in done.stderr
