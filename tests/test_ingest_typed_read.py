"""The typed read (reading.read_pretyped): a clean file's numbers and dates are typed as they
are read, in one pass; a file with anything to say about its text goes through the text read
(reading.read_into_duckdb), so what is stored and what is reported are the same either way."""
from __future__ import annotations

import pytest

from warroom.ingest import ingest_file, reading

HEADER = "tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru,rawat_inap_baru,spesimen_diperiksa,spesimen_positif\n"
CLEAN = HEADER + ("2026-11-01,73.71.01.1001,5,2,0,,40,3\n"
                  "2026-11-01, 73.71.01.1002 , 7 ,1,1,2,  ,\n"
                  "2026-11-02,73.71.01.1001,0,0,0,0,10,1\n")


def stored(con) -> list[tuple]:
    return con.execute("select * exclude (upload_id) from covid19_harian order by tanggal, kode_wilayah").fetchall()


def ingest(con, text: str, **kw):
    return ingest_file(con, "covid19_harian", text.encode(), kode_opd="DINKES", username="uji", file_name="f.csv", **kw)


def _refuse(*a, **k):
    raise AssertionError("the text read ran")


@pytest.fixture
def no_text_read(monkeypatch):
    monkeypatch.setattr(reading, "read_into_duckdb", _refuse)


def second_store():
    from warroom import db, reference
    con = db.open_store(":memory:", create=True)
    reference.load_reference(con)
    return con


def test_a_clean_file_is_read_once_typed_and_stored_as_the_text_read_stores_it(store, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(reading, "read_into_duckdb", _refuse)
        typed = ingest(store, CLEAN)
    assert typed.accepted, typed.report_rows()
    rows = stored(store)
    assert rows[1][1:8] == ("73.71.01.1002", 7, 1, 1, 2, None, None)     # spaces only: missing
    other = second_store()
    with monkeypatch.context() as m:
        m.setattr(reading, "read_pretyped", lambda *a, **k: None)
        text = ingest(other, CLEAN)
    assert text.accepted
    assert stored(other) == rows
    assert (typed.notes, typed.rows_total, typed.rows_inserted) == (text.notes, text.rows_total, text.rows_inserted)
    other.close()


@pytest.mark.parametrize("value", ["-05", " -5 "])
def test_a_problem_in_a_file_read_typed_shows_the_value_as_it_was_sent(store, value):
    result = ingest(store, CLEAN.replace("2026-11-02,73.71.01.1001,0,", f"2026-11-02,73.71.01.1001,{value},"))
    assert not result.accepted
    assert [(p.code, p.row, p.column, p.value) for p in result.problems] == [
        ("value.negative", 4, "kasus_baru", value)]
    assert stored(store) == []


@pytest.mark.parametrize("bad, codes", [
    # a value the typed read cannot read ('x'): the text read from the start
    (CLEAN + "2026-11-03,73.71.01.1001,1,1,1,1,5,9\n2099-01-01,73.71.01.9999,x,1,1,1,5,1\n",
     {"value.exceeds", "type.int", "date.future", "code.unknown"}),
    # every value typed: the checks find the problems on the typed read, then the text read reports them
    (CLEAN + "2026-11-03,73.71.01.1001,1,1,1,1,5,9\n2099-01-01,73.71.01.9999,-3,1,1,1,5,1\n",
     {"value.exceeds", "value.negative", "date.future", "code.unknown"}),
])
def test_the_report_of_a_bad_file_is_the_text_reads(store, monkeypatch, bad, codes):
    typed = ingest(store, bad, dry_run=True)
    monkeypatch.setattr(reading, "read_pretyped", lambda *a, **k: None)
    text = ingest(store, bad, dry_run=True)
    assert not typed.accepted
    assert typed.report_rows() == text.report_rows()
    assert typed.notes == text.notes
    assert {p.code for p in typed.problems} >= codes


def test_numbers_the_default_format_cannot_read_go_to_the_text_read(store, no_text_read):
    """Thousands dots in a ;-file: the typed read leaves the text, the text read decides the format
    (here it may not run, so the upload fails loudly instead of storing a wrong number)."""
    semicolon = HEADER.replace(",", ";") + "2026-11-01;73.71.01.1001;1.234;0;0;;;\n"
    with pytest.raises(AssertionError, match="the text read ran"):
        ingest(store, semicolon)


def test_the_text_read_gives_thousands_dots_their_value(store):
    semicolon = HEADER.replace(",", ";") + "2026-11-01;73.71.01.1001;1.234;0;0;;;\n"
    result = ingest(store, semicolon)
    assert result.accepted, result.report_rows()
    assert stored(store)[0][2] == 1234
