"""Every file of tests/corpus (each tolerance and refusal of the data standard) gives its
exact expected outcome (tests/corpus/manifest.json); after every refused file the
exported database is unchanged and only the upload log has a new 'refused' entry."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from warroom import datasets, exports
from warroom.ingest import ingest_file

CORPUS = Path(__file__).resolve().parent / "corpus"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
BASELINE = b"tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru\n2021-10-01,73.71.05,9,9,9\n"


def export_all(con) -> dict[str, bytes]:
    return {name: exports.to_bytes(con, name) for name in datasets.ALL}


@pytest.fixture
def loaded(store):
    """The store with one accepted upload, so 'unchanged' is checked against real rows."""
    assert ingest_file(store, "covid19_harian", BASELINE, kode_opd="DINKES", username="t").accepted
    return store


@pytest.mark.parametrize("case", MANIFEST, ids=[c["file"] for c in MANIFEST])
def test_corpus_file(loaded, case):
    before = export_all(loaded)
    uploads_before = loaded.execute("SELECT count(*) FROM uploads").fetchone()[0]
    result = ingest_file(loaded, case["dataset"], CORPUS / case["file"], kode_opd=case["opd"], username="tester",
                         mapping=case["mapping"], lang="en")
    got = [[p.row, p.column, p.code] for p in result.problems]
    assert got == case["problems"], result.render_text()
    assert result.accepted is case["accepted"]
    for note in case["notes"]:
        assert any(note in n for n in result.notes), (note, result.notes)
    status = loaded.execute("SELECT status FROM uploads WHERE upload_id = ?", [result.upload_id]).fetchone()[0]
    assert loaded.execute("SELECT count(*) FROM uploads").fetchone()[0] == uploads_before + 1
    if not case["accepted"]:
        assert status == "refused"
        assert export_all(loaded) == before
        assert all(p.reason for p in result.problems)
    else:
        assert status == "accepted"
        sql, expected = case["stored"]
        if case["dataset"] == "covid19_harian":
            sql = sql.replace("FROM covid19_harian", "FROM covid19_harian WHERE upload_id = %d" % result.upload_id)
        assert [list(r) for r in loaded.execute(sql).fetchall()] == expected


def test_refusal_reasons_in_both_languages(store):
    path = CORPUS / "covid_bad_codes.csv"
    en = ingest_file(store, "covid19_harian", path, kode_opd="DINKES", username="t", lang="en", dry_run=True)
    id_ = ingest_file(store, "covid19_harian", path, kode_opd="DINKES", username="t", lang="id", dry_run=True)
    assert [p.reason for p in en.problems][:2] == [
        "Unknown region code.",
        "This undotted code is ambiguous: Kemendagri 73.71.03.1001, but BPS 73.71.13.1010."]
    assert [p.reason for p in id_.problems][:2] == [
        "Kode wilayah tidak dikenal.",
        "Kode tanpa titik ini ambigu: Kemendagri 73.71.03.1001, tetapi BPS 73.71.13.1010."]
    # The typo gets the nearest official names, each written so it reads back at its level, with its code.
    near = ("Nearest official names: Rappocini (73.71.13), Kel. Rappocini (73.71.13.1006), "
            "Rappokalling (73.71.07.1005).")
    assert en.problems[2].suggestion == near
    assert en.report_rows()[2] == {"row": 4, "column": "kode_wilayah", "value": "Rappocinni",
                                   "reason": "Unknown region name.", "suggestion": near}


def test_swapped_point_suggests_swapping(store):
    r = ingest_file(store, "cctv", CORPUS / "cctv_bad.csv", kode_opd="DISHUB", username="t", lang="en", dry_run=True)
    swapped = r.problems[0]
    assert (swapped.value, swapped.reason) == ("119.4327, -5.1477", "Latitude and longitude are swapped.")
    assert swapped.suggestion.startswith("Swap the latitude and longitude columns")


def test_dry_run_logs_nothing(store):
    n = store.execute("SELECT count(*) FROM uploads").fetchone()[0]
    r = ingest_file(store, "covid19_harian", CORPUS / "covid_bad_values.csv", kode_opd="DINKES", username="t",
                    dry_run=True)
    assert not r.accepted and r.upload_id is None
    ok = ingest_file(store, "covid19_harian", CORPUS / "covid_utf8_bom.csv", kode_opd="DINKES", username="t",
                     dry_run=True)
    assert ok.accepted and (ok.rows_inserted, ok.upload_id) == (2, None)
    assert store.execute("SELECT count(*) FROM uploads").fetchone()[0] == n
    assert store.execute("SELECT count(*) FROM covid19_harian").fetchone()[0] == 0
