"""Writes the ingest test corpus (awkward and bad files) and manifest.json, the exact
expected outcome of each. Run `python tests/corpus/make_corpus.py` after changing it;
the files are committed. The 60 MB file is made by the test itself at run time.

Expected outcomes are written here by hand from the data standard, never computed by
the engine under test. Problems are [row as Excel numbers it, column, code]; notes are
substrings of the English notes; `stored` runs SQL after an accepted upload.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
COVID = "tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru"
CCTV = "kode_cctv,nama_lokasi,latitude,longitude,kode_wilayah,status,url_stream,terakhir_aktif"
CASES: list[dict] = []


def case(name: str, dataset: str, content: bytes | str, *, opd: str, accepted: bool, problems=(), notes=(),
         stored=None, mapping=None, what: str = ""):
    data = content.encode("utf-8") if isinstance(content, str) else content
    (HERE / name).write_bytes(data)
    CASES.append({"file": name, "dataset": dataset, "opd": opd, "accepted": accepted, "what": what,
                  "problems": [list(p) for p in problems], "notes": list(notes), "stored": stored,
                  "mapping": mapping})


def lines(*rows: str, sep: str = "\n") -> str:
    return sep.join(rows) + sep


# ---------------------------------------------------------------- tolerated ----
case("covid_utf8_bom.csv", "covid19_harian", b"\xef\xbb\xbf" + lines(
    COVID, "2021-11-01,73.71.01,5,2,0", "2021-11-01,73.71.02,3,1,1").encode(),
     opd="DINKES", accepted=True, notes=["encoding UTF-8 BOM"], what="UTF-8 with BOM",
     stored=["SELECT kode_wilayah, kasus_baru FROM covid19_harian ORDER BY 1", [["73.71.01", 5], ["73.71.02", 3]]])
case("covid_utf16_tab.csv", "covid19_harian", lines(
    COVID.replace(",", "\t"), "2021-11-01\t73.71.01\t5\t2\t0", "2021-11-02\t73.71.01\t7\t1\t0", sep="\r\n"
).encode("utf-16"), opd="DINKES", accepted=True, notes=["encoding UTF-16", "delimiter tab"],
     what="Excel 'Unicode text': UTF-16 with BOM, tab, CRLF",
     stored=["SELECT sum(kasus_baru) FROM covid19_harian", [[12]]])
case("cctv_cp1252_semicolon.csv", "cctv", lines(
    CCTV.replace(",", ";"),
    "CCTV-01;Jalan Pétarani – Simpang;-5,1624;119,4045;;online;rtsp://10.0.0.5/s1;2026-11-27 08:30",
    sep="\r\n").encode("cp1252"), opd="DISHUB", accepted=True,
     notes=["encoding Windows-1252", "delimiter semicolon", "latitude: decimal comma", "longitude: decimal comma",
            "kode_wilayah filled from the point (1 rows)"],
     what="Windows-1252, ';', decimal comma, empty kode_wilayah filled from the point",
     stored=["SELECT nama_lokasi, latitude, longitude, kode_wilayah, CAST(terakhir_aktif AS VARCHAR) FROM cctv",
             [["Jalan Pétarani – Simpang", -5.1624, 119.4045, "73.71.01.1001", "2026-11-27 08:30:00"]]])
case("cctv_quoted_linebreak.csv", "cctv", lines(
    CCTV, '"CCTV-02","Simpang Lima, Jl. A.P. Pettarani\nsisi utara",-5.1477,119.4327,73.71.13.1007,online,,',
    'CCTV-03,"Pantai ""Losari""",-5.1624,119.4045,73.71.01.1001,OFFLINE,https://cctv.example/3,', sep="\r\n"),
     opd="DISHUB", accepted=True, what="quoted delimiter, quoted line break and quotes, CRLF, enum in capitals",
     stored=["SELECT kode_cctv, nama_lokasi, status FROM cctv ORDER BY 1",
             [["CCTV-02", "Simpang Lima, Jl. A.P. Pettarani\nsisi utara", "online"],
              ["CCTV-03", 'Pantai "Losari"', "offline"]]])
case("covid_headers_any_order.csv", "covid19_harian", lines(
    "Meninggal Baru,KODE WILAYAH,kasus baru,Tanggal,Sembuh_Baru,Keterangan Petugas,Nomor",
    "0,73.71.01,5,2021-11-01,2,diinput pak Budi,1"), opd="DINKES", accepted=True,
     notes=["extra columns ignored: Keterangan Petugas, Nomor"], what="headers in any order and case, spaces, extra columns",
     stored=["SELECT tanggal::VARCHAR, kode_wilayah, kasus_baru, sembuh_baru, meninggal_baru FROM covid19_harian",
             [["2021-11-01", "73.71.01", 5, 2, 0]]])
case("covid_simda_mapped.csv", "covid19_harian", lines(
    "TGL_LAPOR;KD_KEC;JML_POSITIF;JML_SEMBUH;JML_MENINGGAL", "01/11/2021;737101;1.234;1.000;12"),
     opd="DINKES", accepted=True, mapping={"TGL_LAPOR": "tanggal", "KD_KEC": "kode_wilayah",
                                           "JML_POSITIF": "kasus_baru", "JML_SEMBUH": "sembuh_baru",
                                           "JML_MENINGGAL": "meninggal_baru"},
     notes=["saved column mapping applied", "kasus_baru: dots as thousands separators",
            "kode_wilayah: 1 undotted codes read as Kemendagri"],
     what="saved mapping from another system; ';' file with thousands dots; 6-digit Kemendagri code",
     stored=["SELECT tanggal::VARCHAR, kode_wilayah, kasus_baru, sembuh_baru, meninggal_baru FROM covid19_harian",
             [["2021-11-01", "73.71.01", 1234, 1000, 12]]])
case("covid_dates_and_codes.csv", "covid19_harian", lines(
    COVID, "04/11/2021,7371010,1,0,0", "05-11-2021,7371011001,2,0,0", "6 November 2021,7371010003,3,0,0",
    "7 Nop 2021,mariso,4,0,0", "8 Agt 2021,Kel. Mariso,5,0,0", "9 Oct 2021,KELURAHAN Bontoala,6,0,0",
    "2021-11-10,  Rappocini ,7,0,0"), opd="DINKES", accepted=True,
     notes=["kode_wilayah: 2 BPS codes converted", "kode_wilayah: 1 undotted codes read as Kemendagri",
            "kode_wilayah: 4 region names converted"],
     what="DD/MM/YYYY, DD-MM-YYYY, Indonesian/English month names; 7- and 10-digit BPS, 10-digit Kemendagri, names",
     stored=["SELECT tanggal::VARCHAR, kode_wilayah, kasus_baru FROM covid19_harian ORDER BY kasus_baru",
             [["2021-11-04", "73.71.01", 1], ["2021-11-05", "73.71.01.1001", 2], ["2021-11-06", "73.71.01.1002", 3],
              ["2021-11-07", "73.71.01", 4], ["2021-08-08", "73.71.01.1006", 5], ["2021-10-09", "73.71.06.1004", 6],
              ["2021-11-10", "73.71.13", 7]]])
case("covid_month_first.csv", "covid19_harian", lines(
    COVID, "3/19/2020,73.71.01,1,0,0", "3/20/2020,73.71.01,2,0,0", "4/1/2020,73.71.01,3,0,0"),
     opd="DINKES", accepted=True, notes=["tanggal: dates read month-first"],
     what="a column that only makes sense month-first",
     stored=["SELECT tanggal::VARCHAR FROM covid19_harian ORDER BY 1", [["2020-03-19"], ["2020-03-20"], ["2020-04-01"]]])
case("aplikasi_percent_comma.csv", "aplikasi", lines(
    "kode_aplikasi;nama_aplikasi;kode_opd;url;status;tanggal_cek;ketersediaan_persen",
    "APP-1;Lontara+;diskominfo;https://lontara.example;Aktif;28/11/2026;87,5%",
    "APP-2;Sombere;DINKES;;pengembangan;;99"), opd="DISKOMINFO", accepted=True,
     notes=["ketersediaan_persen: decimal comma"], what="87,5% in a percent column; lower-case OPD code",
     stored=["SELECT kode_aplikasi, kode_opd, status, ketersediaan_persen FROM aplikasi ORDER BY 1",
             [["APP-1", "DISKOMINFO", "aktif", 87.5], ["APP-2", "DINKES", "pengembangan", 99.0]]])
case("fasyankes_coast.csv", "fasyankes", lines(
    "kode_faskes,nama,jenis,latitude,longitude,kode_wilayah,tanggal,tt_total,tt_terisi",
    "RS-01,RS Pantai,rs,-5.14,119.3970,,2026-11-28,50,20"), opd="DINKES", accepted=True,
     notes=["kode_wilayah filled from the point (1 rows)"],
     what="a point about 220 m off the simplified coastline goes to the nearest kelurahan",
     stored=["SELECT kode_wilayah FROM fasyankes", [["73.71.10.1002"]]])
case("covid_walidata_senders.csv", "covid19_harian", lines(
    COVID + ",sumber_opd,upload_id", "2021-11-01,73.71.01,5,2,0,DINKES,17", "2021-11-01,73.71.01,6,2,0,SATGAS_COVID,18"),
     opd="DISKOMINFO", accepted=True, notes=["extra columns ignored: upload_id"],
     what="a walidata file with sumber_opd keeps each row's sender (an export imported back)",
     stored=["SELECT sumber_opd, kasus_baru FROM covid19_harian ORDER BY 1", [["DINKES", 5], ["SATGAS_COVID", 6]]])

case("menara_bts_operators.csv", "menara_bts", lines(
    "kode_menara,operator,penyedia_menara,latitude,longitude,tinggi_m,status_izin,izin_berakhir",
    'MNR-01,"Telkomsel;Indosat;XL",Mitratel,-5.1477,119.4327,"42,5",Berlaku,31/12/2030'), opd="DISKOMINFO",
     accepted=True, notes=["tinggi_m: decimal comma", "kode_wilayah filled from the point (1 rows)"],
     what="several operators in one quoted field; a permit expiring in the future is allowed (not an observation)",
     stored=["SELECT operator, tinggi_m, status_izin, izin_berakhir::VARCHAR, kode_wilayah FROM menara_bts",
             [["Telkomsel;Indosat;XL", 42.5, "berlaku", "2030-12-31", "73.71.13.1007"]]])
case("wilayah_walidata_update.csv", "wilayah", lines(
    "kode_wilayah,nama,tingkat,kode_induk,penduduk,tahun_penduduk,sumber_penduduk,luas_km2,kode_bps",
    "73.71.01,Mariso,kecamatan,73.71,60499,2024,BPS Kota Makassar Dalam Angka 2025,1.82,7371010"),
     opd="DISKOMINFO", accepted=True, what="the walidata updates a reference row",
     stored=["SELECT nama, penduduk, tahun_penduduk, luas_km2, sumber_opd FROM wilayah WHERE kode_wilayah = '73.71.01'",
             [["Mariso", 60499, 2024, 1.82, "DISKOMINFO"]]])

# ---------------------------------------------------------------- refused ----
case("empty.csv", "covid19_harian", b"", opd="DINKES", accepted=False, problems=[[None, None, "file.empty"]],
     what="empty file")
case("blank_lines.csv", "covid19_harian", "\r\n\r\n  \n", opd="DINKES", accepted=False,
     problems=[[None, None, "file.empty"]], what="only blank lines")
case("header_only.csv", "covid19_harian", lines(COVID), opd="DINKES", accepted=False,
     problems=[[1, None, "file.header_only"]], what="header only")
case("binary_renamed.csv", "covid19_harian",
     b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa",
     opd="DINKES", accepted=False, problems=[[None, None, "file.binary"]], what="a PNG renamed .csv")
case("not_a_table.csv", "covid19_harian", "Laporan harian Dinkes\nTerlampir data kasus minggu ini.\n",
     opd="DINKES", accepted=False, problems=[[1, None, "file.not_table"]], what="prose, not a table")
case("missing_column.csv", "covid19_harian", lines(
    "tanggal,kode_wilayah,kasus_baru,sembuh,meninggal_baru", "2021-11-01,73.71.01,5,2,0"), opd="DINKES",
     accepted=False, problems=[[1, "sembuh_baru", "header.missing"]], what="missing required column (near name suggested)")
case("covid_bad_values.csv", "covid19_harian", lines(
    COVID + ",spesimen_diperiksa,spesimen_positif",
    "2021-11-01,73.71.01,5,2,0,10,3",
    "2021-11-02,73.71.01,,2,0,10,3",
    "2021-11-03,73.71.01,sepuluh,2,0,10,3",
    "2021-11-04,73.71.01,-3,2,0,10,3",
    "2021-11-05,73.71.01,1.5,2,0,10,3",
    "2021-11-06,73.71.01,5,2,0,10,11",
    "31/02/2021,73.71.01,5,2,0,10,3",
    "2026-11-29,73.71.01,5,2,0,10,3",
    "2021-11-01,73.71.01,6,2,0,10,3"), opd="DINKES", accepted=False,
     problems=[[3, "kasus_baru", "value.missing"], [4, "kasus_baru", "type.int"], [5, "kasus_baru", "value.negative"],
               [6, "kasus_baru", "type.int"], [7, "spesimen_positif", "value.exceeds"], [8, "tanggal", "type.date"],
               [9, "tanggal", "date.future"], [10, "tanggal, kode_wilayah", "key.duplicate"]],
     what="missing value, wrong type, negative count, decimal count, positive > examined, impossible date, "
          "date after today, duplicate key")
case("covid_bad_codes.csv", "covid19_harian", lines(
    COVID, "2021-11-01,73.71.99,1,0,0", "2021-11-01,7371031001,1,0,0", "2021-11-01,Rappocinni,1,0,0",
    "2021-11-01,Kota Makasar,1,0,0"), opd="DINKES", accepted=False,
     problems=[[2, "kode_wilayah", "code.unknown"], [3, "kode_wilayah", "code.ambiguous"],
               [4, "kode_wilayah", "name.unknown"], [5, "kode_wilayah", "name.unknown"]],
     what="unknown code, ambiguous 10-digit code, kecamatan name with a typo")
case("covid_date_neither.csv", "covid19_harian", lines(
    COVID, "13/25/2021,73.71.01,1,0,0", "3/19/2021,73.71.02,1,0,0", "19/3/2021,73.71.03,1,0,0"), opd="DINKES",
     accepted=False, problems=[[2, "tanggal", "type.date"], [3, "tanggal", "type.date"]],
     what="a date column that fits neither day-first nor month-first")
case("cctv_bad.csv", "cctv", lines(
    CCTV,
    "CCTV-10,Swapped,119.4327,-5.1477,,online,,",
    "CCTV-11,Gowa,-5.30,119.45,,online,,",
    "CCTV-12,=HYPERLINK(\"http://evil.example\";\"klik\"),-5.1477,119.4327,,online,,",
    "CCTV-13,FTP,-5.1477,119.4327,,online,ftp://10.0.0.5/s,",
    "CCTV-14,Rusak,-5.1477,119.4327,,mati,,"), opd="DISHUB", accepted=False,
     problems=[[2, "latitude, longitude", "point.swapped"], [3, "latitude, longitude", "point.outside"],
               [4, "nama_lokasi", "text.formula"], [5, "url_stream", "url.scheme"], [6, "status", "enum.invalid"]],
     what="swapped latitude/longitude, point beyond 500 m, =HYPERLINK formula, ftp URL, unknown status")
case("fasyankes_beds.csv", "fasyankes", lines(
    "kode_faskes,nama,jenis,latitude,longitude,tanggal,tt_total,tt_terisi",
    "RS-02,RS Kota,rs,-5.1477,119.4327,2026-11-28,50,60"), opd="DINKES", accepted=False,
     problems=[[2, "tt_terisi", "value.exceeds"]], what="occupied beds > beds")
case("aplikasi_percent_range.csv", "aplikasi", lines(
    "kode_aplikasi,nama_aplikasi,kode_opd,status,ketersediaan_persen", "APP-3,X,DISKOMINFO,aktif,120%",
    "APP-4,Y,DINAS_X,aktif,50"), opd="DISKOMINFO", accepted=False,
     problems=[[2, "ketersediaan_persen", "value.percent_range"], [3, "kode_opd", "opd.unknown"]],
     what="percentage outside 0-100, unknown OPD code")
case("wilayah_from_dinkes.csv", "wilayah", lines(
    "kode_wilayah,nama,tingkat", "73.71.01,Mariso,kecamatan"), opd="DINKES", accepted=False,
     problems=[[None, None, "dataset.walidata_only"]], what="a reference dataset from a non-walidata")
case("covid_sender_not_walidata.csv", "covid19_harian", lines(
    COVID + ",sumber_opd", "2021-11-01,73.71.01,5,2,0,DINKES"), opd="SATGAS_COVID", accepted=False,
     problems=[[2, "sumber_opd", "sender.not_allowed"]], what="sumber_opd from a non-walidata")
case("covid_too_many_fields.csv", "covid19_harian", lines(
    COVID, "2021-11-01,73.71.01,5,2,0", "2021-11-02,73.71.01,5,2,0,9,9"), opd="DINKES", accepted=False,
     problems=[[3, None, "file.malformed"]], what="a row with more fields than the header")
case("menara_bts_bad.csv", "menara_bts", lines(
    "kode_menara,operator,latitude,longitude,tinggi_m,status_izin",
    "MNR-02,Telkomsel,-5.1477,119.4327,-12,berlaku", "MNR-03,,-5.1477,119.4327,30,dicabut"), opd="DISKOMINFO",
     accepted=False, problems=[[2, "tinggi_m", "value.below_min"], [3, "operator", "value.missing"],
                               [3, "status_izin", "enum.invalid"]],
     what="negative height, missing operator, unknown permit status")
case("kinerja_bad_period.csv", "kinerja_opd", lines(
    "kode_opd,kode_indikator,nama_indikator,satuan,arah,periode,target,realisasi",
    "DINKES,IKU-1,Cakupan imunisasi,%,naik,2026-13,95,90",
    "DINKES,IKU-1,Cakupan imunisasi,%,ke atas,2026-Q2,95,"), opd="DINKES", accepted=False,
     problems=[[2, "periode", "value.pattern"], [3, "arah", "enum.invalid"]], what="impossible period, bad enum")

(HERE / "manifest.json").write_text(json.dumps(CASES, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def xlsx_case():
    """A workbook whose dataset sheet is not the first, with real dates and numbers."""
    import datetime
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.title = "Petunjuk"
    wb.active.append(["Isi lembar covid19_harian"])
    ws = wb.create_sheet("covid19_harian")
    ws.append(["tanggal", "kode_wilayah", "kasus_baru", "sembuh_baru", "meninggal_baru"])
    ws.append([datetime.datetime(2021, 11, 1), "73.71.01", 5, 2.0, 0])
    ws.append([datetime.date(2021, 11, 2), 7371010, 6, 1, 0])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


case("covid_workbook.xlsx", "covid19_harian", xlsx_case(), opd="DINKES", accepted=True,
     notes=['Excel .xlsx, sheet "covid19_harian"'], what="xlsx: the sheet named after the dataset, not the first",
     stored=["SELECT tanggal::VARCHAR, kode_wilayah, kasus_baru, sembuh_baru FROM covid19_harian ORDER BY 1",
             [["2021-11-01", "73.71.01", 5, 2], ["2021-11-02", "73.71.01", 6, 1]]])
(HERE / "manifest.json").write_text(json.dumps(CASES, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(f"{len(CASES)} files written to {HERE}")
