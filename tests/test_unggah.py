"""The upload service: rights re-read from the database, guards before the engine, templates,
error reports. Every refusal leaves the data exactly as it was."""
from __future__ import annotations

import csv
import io

import pytest

from warroom import auth, datasets, upload_service
from warroom.upload_service import UploadRefused

PASSWORD = "Rahasia-Unggah-2026"
GOOD = (b"tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru\n"
        b"2026-11-27,73.71.01,3,1,0\n"
        b"2026-11-27,73.71.02,5,2,1\n")
BAD = (b"tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru\n"
       b"2026-11-27,73.71.01,3,1,0\n"
       b"2026-11-27,73.71.99,-2,1,0\n"
       b"2026-11-30,73.71.02,5,2,1\n")


@pytest.fixture
def people(store):
    auth.add_user(store, "ani", PASSWORD, "admin")
    auth.add_user(store, "budi", PASSWORD, "staf_opd", "DINKES")
    auth.add_user(store, "dewi", PASSWORD, "staf_opd", "DISHUB")
    auth.add_user(store, "pak_wali", PASSWORD, "pimpinan")
    return store


def snapshot(con) -> dict:
    """Row counts of every dataset table and its __replaced table, plus the upload log."""
    out = {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in datasets.ALL}
    out.update({f"{n}__replaced": con.execute(f"SELECT count(*) FROM {n}__replaced").fetchone()[0]
                for n in datasets.ALL})
    out["uploads"] = con.execute("SELECT count(*) FROM uploads").fetchone()[0]
    return out


def test_sendable_for_each_kind_of_account():
    assert upload_service.sendable("staf_opd", "DINKES") == ["covid19_harian", "kinerja_opd", "fasyankes"]
    assert upload_service.sendable("staf_opd", "DISHUB") == ["kinerja_opd", "cctv"]
    assert upload_service.sendable("pimpinan", None) == []
    assert upload_service.sendable("admin", None) == list(datasets.ALL)


def test_good_file_previews_then_stores_with_lineage(people):
    before = snapshot(people)
    preview = upload_service.ingest(people, "budi", "covid19_harian", "harian.csv", GOOD, dry_run=True)
    assert (preview.accepted, preview.upload_id, preview.rows_total, preview.rows_inserted) == (True, None, 2, 2)
    assert snapshot(people) == before                      # a preview stores nothing, logs nothing
    stored = upload_service.ingest(people, "budi", "covid19_harian", "harian.csv", GOOD, dry_run=False)
    assert stored.accepted and stored.upload_id is not None
    rows = people.execute("SELECT kode_wilayah, kasus_baru, sumber_opd, upload_id FROM covid19_harian "
                          "ORDER BY kode_wilayah").fetchall()
    assert rows == [("73.71.01", 3, "DINKES", stored.upload_id), ("73.71.02", 5, "DINKES", stored.upload_id)]
    assert people.execute("SELECT username, kode_opd, file_name, status FROM uploads WHERE upload_id = ?",
                          [stored.upload_id]).fetchone() == ("budi", "DINKES", "harian.csv", "accepted")


def test_refused_file_report_names_row_column_value(people):
    before = snapshot(people)
    result = upload_service.ingest(people, "budi", "covid19_harian", "salah.csv", BAD, dry_run=True)
    assert not result.accepted
    got = {(r["row"], r["column"], r["value"]) for r in result.report_rows()}
    assert got == {(3, "kode_wilayah", "73.71.99"), (3, "kasus_baru", "-2"), (4, "tanggal", "2026-11-30")}
    assert snapshot(people) == before
    table = upload_service.report_table(result, "id")
    assert list(table[0]) == ["Baris", "Kolom", "Nilai", "Masalah", "Saran"]
    assert list(upload_service.report_table(result, "en")[0]) == ["Row", "Column", "Value", "Problem", "Suggestion"]


def test_error_report_csvs(people):
    result = upload_service.ingest(people, "budi", "covid19_harian", "salah.csv", BAD, dry_run=True)
    report = list(csv.reader(io.StringIO(upload_service.report_csv(result, "id", BAD).decode("utf-8-sig"))))
    assert report[0] == ["Baris", "Kolom", "Nilai", "Masalah", "Saran"]
    assert len(report) == 1 + 3
    marked = list(csv.reader(io.StringIO(
        upload_service.file_with_errors_csv(BAD, "covid19_harian", result, "id").decode("utf-8-sig"))))
    assert marked[0] == ["tanggal", "kode_wilayah", "kasus_baru", "sembuh_baru", "meninggal_baru", "kesalahan"]
    assert marked[1] == ["2026-11-27", "73.71.01", "3", "1", "0", ""]
    assert marked[2][:5] == ["2026-11-27", "73.71.99", "-2", "1", "0"]
    assert marked[2][5].startswith("kode_wilayah: ") and "kasus_baru: Jumlah tidak boleh negatif." in marked[2][5]
    assert marked[3][5].startswith("tanggal: ")
    # The same for a semicolon file: the user's delimiter is kept as their columns.
    semi = BAD.replace(b",", b";")
    result = upload_service.ingest(people, "budi", "covid19_harian", "salah.csv", semi, dry_run=True)
    marked = upload_service.file_with_errors_csv(semi, "covid19_harian", result, "en").decode("utf-8-sig")
    assert marked.splitlines()[0] == "tanggal;kode_wilayah;kasus_baru;sembuh_baru;meninggal_baru;error"


@pytest.mark.parametrize("encoding, bom", [("utf-8-sig", b"\xef\xbb\xbf"), ("utf-16", b"\xff\xfe"),
                                           ("cp1252", b""), ("utf-8", b"")])
def test_report_and_marked_file_come_back_in_the_clerks_delimiter_decimal_mark_and_encoding(people, encoding, bom):
    """Issue 16: after a semicolon upload the report and "your file + errors" were comma-separated."""
    sent = ("tanggal;kode_wilayah;kasus_baru;sembuh_baru;meninggal_baru;keterangan\r\n"
            "27/11/2026;73.71.01;3;1;0;Pasar Terong\r\n"
            "27/11/2026;73.71.99;-2;1;0;=HYPERLINK(\"x\")\r\n").encode(encoding)
    if encoding == "utf-16":
        assert sent.startswith(bom)
    result = upload_service.ingest(people, "budi", "covid19_harian", "salah.csv", sent, dry_run=True)
    assert not result.accepted
    for blob in (upload_service.report_csv(result, "id", sent, "covid19_harian"),
                 upload_service.file_with_errors_csv(sent, "covid19_harian", result, "id")):
        assert blob.startswith(bom) and (bom or not blob.startswith(b"\xef\xbb\xbf"))
        text = blob.decode("utf-16" if encoding == "utf-16" else encoding)
        assert text.count("\r\n") == text.count("\n") and text.lstrip("\ufeff").split("\r\n")[0].count(";") >= 4
    marked = upload_service.file_with_errors_csv(sent, "covid19_harian", result, "id").decode(
        "utf-16" if encoding == "utf-16" else encoding).lstrip("\ufeff").split("\r\n")
    assert marked[1] == "27/11/2026;73.71.01;3;1;0;Pasar Terong;"           # the row exactly as sent
    assert marked[2].startswith("27/11/2026;73.71.99;-2;1;0;")               # -2 stays a number
    assert ';"\'=HYPERLINK(""x"")";' in marked[2]                             # a formula does not run


@pytest.mark.parametrize("username, dataset, key", [
    ("budi", "cctv", "unggah.refused.rights"),           # another OPD's dataset
    ("budi", "wilayah", "unggah.refused.rights"),        # reference data: walidata only
    ("pak_wali", "covid19_harian", "unggah.refused.rights"),
    ("tamu", "covid19_harian", "unggah.refused.signin"),
    (None, "covid19_harian", "unggah.refused.signin"),
    ("budi", "rahasia", "unggah.refused.dataset"),
])
def test_rights_are_checked_before_anything_is_read(people, username, dataset, key):
    before = snapshot(people)
    with pytest.raises(UploadRefused) as exc:
        upload_service.ingest(people, username, dataset, "x.csv", GOOD, dry_run=False)
    assert exc.value.key == key
    assert snapshot(people) == before


def test_rights_follow_the_database_not_the_caller(people):
    assert upload_service.authorise(people, "budi", "covid19_harian").kode_opd == "DINKES"
    auth.set_role(people, "budi", "staf_opd", "DISHUB", by="ani")
    with pytest.raises(UploadRefused):
        upload_service.authorise(people, "budi", "covid19_harian")
    auth.set_disabled(people, "dewi", True, by="ani")
    with pytest.raises(UploadRefused) as exc:
        upload_service.authorise(people, "dewi", "cctv")
    assert exc.value.key == "unggah.refused.signin"


def test_admin_sends_for_the_producer_by_default_or_on_behalf_of_another(people):
    assert upload_service.authorise(people, "ani", "covid19_harian").kode_opd == "DINKES"
    assert upload_service.authorise(people, "ani", "covid19_harian", "SATGAS_COVID").kode_opd == "SATGAS_COVID"
    assert upload_service.authorise(people, "ani", "wilayah").kode_opd == "DISKOMINFO"
    assert upload_service.authorise(people, "ani", "kinerja_opd").kode_opd == "DISKOMINFO"
    with pytest.raises(UploadRefused):
        upload_service.authorise(people, "ani", "covid19_harian", "TIDAK_ADA")


def test_a_60_mb_file_gets_a_clear_message_and_changes_nothing(people):
    before = snapshot(people)
    big = GOOD + b"2026-11-26,73.71.03,1,1,0\n" * (60 * 1024 * 1024 // 26)
    assert len(big) > 60 * 1024 * 1024 - 100
    with pytest.raises(UploadRefused) as exc:
        upload_service.ingest(people, "budi", "covid19_harian", "besar.csv", big, dry_run=False)
    assert exc.value.key == "unggah.refused.too_big"
    assert exc.value.message("id") == ("Berkas besar.csv berukuran 60,0 MB, melebihi batas 50 MB. Tidak ada data "
                                       "yang diubah. Pecah berkas per bulan atau per kecamatan lalu unggah "
                                       "bagian-bagiannya.")
    assert "over the 50 MB limit" in exc.value.message("en")
    assert snapshot(people) == before


@pytest.mark.parametrize("name, blob", [
    ("laporan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
    ("foto.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    ("data.docx", b"PK\x03\x04 word/document.xml"),
])
def test_a_file_that_is_not_a_table_by_name_is_refused_before_reading(people, name, blob):
    before = snapshot(people)
    with pytest.raises(UploadRefused) as exc:
        upload_service.ingest(people, "budi", "covid19_harian", name, blob, dry_run=False)
    assert exc.value.message("id").startswith(f"Berkas {name} bukan tabel CSV atau Excel (.xlsx).")
    assert snapshot(people) == before


@pytest.mark.parametrize("blob", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", b"PK\x03\x04garbage-not-a-workbook"])
def test_binary_content_named_csv_is_refused_by_the_engine_and_changes_no_data(people, blob):
    before = snapshot(people)
    result = upload_service.ingest(people, "budi", "covid19_harian", "menyamar.csv", blob, dry_run=False)
    assert not result.accepted and result.rows_total == 0
    assert [p.code for p in result.problems] in (["file.binary"], ["file.not_table"])
    after = snapshot(people)
    assert after.pop("uploads") == before.pop("uploads") + 1   # only its trace in the upload log
    assert after == before


def test_wrong_dataset_chosen_for_a_file(people):
    before = snapshot(people)
    cctv_file = upload_service.template_csv("cctv")
    result = upload_service.ingest(people, "budi", "covid19_harian", "kamera.csv", cctv_file, dry_run=True)
    assert not result.accepted and upload_service.wrong_dataset_hint(result)
    missing = {p.column for p in result.problems if p.code == "header.missing"}
    assert missing == {"tanggal", "kasus_baru", "sembuh_baru", "meninggal_baru"}
    assert upload_service.guess_dataset(cctv_file, "covid19_harian") == "cctv"
    assert upload_service.guess_dataset(GOOD, "covid19_harian") is None
    assert snapshot(people) == before


@pytest.mark.parametrize("dataset", datasets.ALL)
def test_every_template_has_the_standard_columns_and_an_example_row_refused_only_as_the_example(people, dataset):
    blob = upload_service.template_csv(dataset)
    assert blob.startswith(b"\xef\xbb\xbf")
    header, example = list(csv.reader(io.StringIO(blob.decode("utf-8-sig"))))
    assert header == datasets.get(dataset).template_columns and len(example) == len(header)
    # As downloaded: refused for being the example, and for nothing else (its values are valid forms).
    result = upload_service.ingest(people, "ani", dataset, f"templat_{dataset}.csv", blob, dry_run=True)
    assert not result.accepted
    assert [(p.code, p.row) for p in result.problems] == [("template.example", 2)]
    assert "baris contoh dari templat" in result.problems[0].reason
    assert "Hapus baris contoh (baris 2 di Excel)" in result.problems[0].suggestion
    # One real value changed: the same row is data.
    fields = [f for f in datasets.get(dataset).fields if f.name in header]
    changed = next(i for i, f in enumerate(fields)
                   if f.kind in ("int", "number", "text") and not f.enum and f.name not in ("kode_opd", "periode")
                   and not f.name.startswith("kode_") and f.name not in ("latitude", "longitude")
                   and "x-url-schemes" not in f.spec and f.name != "url")
    example[changed] = "2" if fields[changed].kind != "text" else "Nama sungguhan"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, example])
    again = upload_service.ingest(people, "ani", dataset, "isi.csv", out.getvalue().encode(), dry_run=True)
    assert again.accepted, again.report_rows()


@pytest.mark.parametrize("dataset", datasets.ALL)
def test_page_and_command_line_templates_are_the_same_bytes(dataset, tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT
    done = subprocess.run([sys.executable, "-m", "warroom", "template", dataset], cwd=ROOT, capture_output=True,
                          check=True, timeout=120)
    assert done.stdout == upload_service.template_csv(dataset)
    subprocess.run([sys.executable, "-m", "warroom", "template", dataset, "--opd", "DISHUB", "--out",
                    str(tmp_path / "t.csv")], cwd=ROOT, check=True, timeout=120)
    assert (tmp_path / "t.csv").read_bytes() == upload_service.template_csv(dataset, "DISHUB")


def test_staff_template_for_kinerja_carries_their_own_opd():
    row = list(csv.DictReader(io.StringIO(upload_service.template_csv("kinerja_opd", "DISHUB").decode("utf-8-sig"))))
    assert row[0]["kode_opd"] == "DISHUB" and row[0]["periode"] == "2026-10"


def test_schema_rows_describe_types_required_and_allowed_values():
    rows = upload_service.schema_rows("cctv", "id")
    by_name = {r["Kolom"]: r for r in rows}
    assert by_name["status"]["Nilai yang boleh"] == "online, offline, rusak, pemeliharaan"
    assert (by_name["kode_cctv"]["Wajib"], by_name["kode_wilayah"]["Wajib"]) == ("ya", "tidak")
    assert by_name["kode_wilayah"]["Jenis"] == "code"
    covid = {r["Column"]: r for r in upload_service.schema_rows("covid19_harian", "en")}
    assert covid["kasus_baru"]["Allowed values"] == "≥ 0" and covid["kasus_baru"]["Type"] == "int"


def test_another_opd_cannot_send_an_agencys_kinerja_rows(people):
    """kinerja_opd may be sent by every OPD, but only for its own indicators (data standard v2):
    DISHUB sending a DINKES row is refused and DINKES's figure stays the only one."""
    head = b"kode_opd,kode_indikator,nama_indikator,satuan,arah,periode,target,realisasi\n"
    own = upload_service.ingest(people, "budi", "kinerja_opd", "k.csv",
                                head + b"DINKES,IKU-DINKES-9,Cakupan imunisasi,persen,naik,2026-10,90,80\n",
                                dry_run=False)
    other = upload_service.ingest(people, "dewi", "kinerja_opd", "k.csv",
                                  head + b"DINKES,IKU-DINKES-9,Cakupan imunisasi,persen,naik,2026-10,90,50\n",
                                  dry_run=False)
    assert own.accepted and not other.accepted
    assert [(p.row, p.column, p.code) for p in other.problems] == [(2, "kode_opd", "owner.not_sender")]
    rows = people.execute("SELECT sumber_opd, realisasi, upload_id FROM kinerja_opd "
                          "WHERE kode_indikator = 'IKU-DINKES-9' ORDER BY sumber_opd").fetchall()
    assert rows == [("DINKES", 80.0, own.upload_id)]
    from warroom import conflicts
    assert conflicts.open_conflicts(people, "kinerja_opd") == []



def _workbook(rows) -> bytes:
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "covid19_harian"
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_workbook_with_title_rows_above_the_header_is_read_and_rows_keep_excel_numbers(people):
    """Issue 16: an .xlsx with a title row above the header was refused as "not this dataset's table"."""
    title = ["Laporan Harian Covid-19 Kota Makassar"]
    header = ["tanggal", "kode_wilayah", "kasus_baru", "sembuh_baru", "meninggal_baru"]
    good = _workbook([title, ["per 27 November 2026"], header, ["2026-11-27", "73.71.01", 3, 1, 0]])
    result = upload_service.ingest(people, "budi", "covid19_harian", "laporan.xlsx", good, dry_run=True)
    assert result.accepted, result.report_rows()
    assert result.rows_total == 1 and result.title_rows == 2
    assert "2 baris judul di atas tabel dilewati; judul kolom ada di baris 3." in result.notes
    bad = _workbook([title, header, ["2026-11-27", "73.71.01", 3, 1, 0], ["2026-11-27", "73.71.02", -4, 1, 0]])
    result = upload_service.ingest(people, "budi", "covid19_harian", "laporan.xlsx", bad, dry_run=True)
    assert [(p.row, p.column, p.value) for p in result.problems] == [(4, "kasus_baru", "-4")]
    marked = upload_service.file_with_errors_csv(bad, "covid19_harian", result, "id").decode("utf-8-sig")
    lines = marked.split("\r\n")
    assert lines[0] == "Laporan Harian Covid-19 Kota Makassar;;;;;"
    assert lines[1] == "tanggal;kode_wilayah;kasus_baru;sembuh_baru;meninggal_baru;kesalahan"
    assert lines[3].startswith("2026-11-27;73.71.02;-4;1;0;kasus_baru: ")
    # A CSV with a title line too.
    csv_file = ("Rekap DINKES\n" + ",".join(header) + "\n2026-11-27,73.71.01,3,1,0\n").encode()
    assert upload_service.ingest(people, "budi", "covid19_harian", "rekap.csv", csv_file, dry_run=True).accepted


def test_no_refusal_on_the_web_tells_a_clerk_to_run_a_command(people):
    from warroom.i18n import catalogue
    for key, texts in catalogue().items():
        if key.startswith(("ingest.problem.", "ingest.suggest.", "unggah.")):
            assert "python -m" not in " ".join(texts), key
    result = upload_service.ingest(people, "budi", "covid19_harian", "x.csv", b"a,b\n1,2\n", dry_run=True)
    assert not result.accepted and all("python" not in (p.suggestion or "") + p.reason for p in result.problems)
