"""WARROOM_PROFILE=1 prints one line per ingest stage to stderr; unset, nothing."""
from __future__ import annotations

import re

from warroom import ingest

FILE = b"tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru\n2026-11-01,73.71.01.1001,5,0,0\n"
STAGES = ["headers", "read", "type", "check", "view", "key diff", "insert new rows",
          "derived: read", "derived: compute", "derived: write", "derived refresh", "commit"]


def _ingest(store):
    result = ingest.ingest_file(store, "covid19_harian", FILE, kode_opd="DINKES", username="uji", file_name="c.csv")
    assert result.accepted


def test_profile_prints_each_stage_once_in_order(store, monkeypatch, capsys):
    monkeypatch.setenv("WARROOM_PROFILE", "1")
    _ingest(store)
    lines = capsys.readouterr().err.splitlines()
    assert [re.match(r"\[profile\] (.+?) +[0-9.]+ s$", line).group(1) for line in lines] == STAGES


def test_without_profile_nothing_is_printed(store, monkeypatch, capsys):
    monkeypatch.delenv("WARROOM_PROFILE", raising=False)
    _ingest(store)
    assert capsys.readouterr().err == ""
