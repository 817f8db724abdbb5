"""A small hand-made kinerja_opd + aplikasi fixture with known answers (tests/test_kinerja*.py).

Today is frozen at 2026-11-28 (tests/conftest.py): the latest month past its due date is
2026-10 (due 2026-11-10, 18 days ago).
"""
from __future__ import annotations

from warroom import lineage

# kode_opd, kode_indikator, nama, satuan, arah, periode, target, realisasi[, sumber_opd]
KINERJA = [
    # DINKES: monthly both directions on the band edges, a quarterly indicator next to them.
    ("DINKES", "IKU-DINKES-1", "Cakupan imunisasi", "%", "naik", "2026-09", 100, 110),     # 110 sangat_baik
    ("DINKES", "IKU-DINKES-1", "Cakupan imunisasi", "%", "naik", "2026-10", 100, 100),     # 100 baik
    ("DINKES", "IKU-DINKES-2", "Angka kematian ibu", "kasus", "turun", "2026-09", 10, 12),  # 80 cukup
    ("DINKES", "IKU-DINKES-2", "Angka kematian ibu", "kasus", "turun", "2026-10", 10, 14),  # 60 kurang
    ("DINKES", "IKU-DINKES-Q", "Puskesmas terakreditasi", "%", "naik", "2026-Q3", 200, 119.98),  # 59.99
    # another sender's row for an indicator the owner reported: not the official figure
    ("DINKES", "IKU-DINKES-1", "Cakupan imunisasi", "%", "naik", "2026-10", 100, 50, "SATGAS_COVID"),
    # DISHUB: far above target, target 0, missing realisation, below zero (turun)
    ("DISHUB", "IKU-DISHUB-1", "Simpang ber-ATCS", "simpang", "naik", "2026-09", 100, 500),  # 500 -> 120 in score
    ("DISHUB", "IKU-DISHUB-1", "Simpang ber-ATCS", "simpang", "naik", "2026-10", 100, None),  # not reported
    ("DISHUB", "IKU-DISHUB-2", "Titik kemacetan", "titik", "turun", "2026-09", 0, 5),  # target 0
    ("DISHUB", "IKU-DISHUB-2", "Titik kemacetan", "titik", "turun", "2026-10", 20, 50),  # -50 -> 0 in score
    # BPBD: a yearly indicator (2025 -> December 2025) and a monthly one missing for 2026-10
    ("BPBD", "IKU-BPBD-Y", "Indeks risiko bencana", "indeks", "naik", "2025", 100, 109.99),  # just below 110
    ("BPBD", "IKU-BPBD-M", "Latihan kesiapsiagaan", "kali", "naik", "2026-09", 80, 79.99),  # 99.9875
    # DISDIK: just below 80; an indicator whose rows disagree on arah and satuan
    ("DISDIK", "IKU-DISDIK-1", "Angka partisipasi", "%", "naik", "2026-09", 100, 100),
    ("DISDIK", "IKU-DISDIK-1", "Angka partisipasi", "%", "naik", "2026-10", 100, 79.99),  # 79.99 kurang
    ("DISDIK", "IKU-DISDIK-2", "Putus sekolah", "%", "naik", "2026-09", 50, 40),  # naik: 80
    ("DISDIK", "IKU-DISDIK-2", "Putus sekolah", "persen", "turun", "2026-10", 50, 40),  # turun: 120
    # DPMPTSP: a capaian ending in 5 at the third decimal (0.125 -> 0.13)
    ("DPMPTSP", "IKU-DPMPTSP-1", "Izin terbit tepat waktu", "%", "naik", "2026-10", 800, 1),
]

# kode_aplikasi, nama, kode_opd, status, tanggal_cek, ketersediaan_persen
APLIKASI = [
    ("APP-1", "Makassar Recover", "DISKOMINFO", "aktif", "2026-11-27", 99.5),
    ("APP-2", "Sipakalebbi", "DISHUB", "nonaktif", "2026-11-27", 0.0),
    ("APP-3", "Dottoro'ta", "DINKES", "aktif", "2026-11-27", 94.99),
    ("APP-4", "Sehat Makassar", "DINKES", "aktif", "2026-11-27", 95.0),
    ("APP-5", "Sekolah Digital", "DISDIK", "pengembangan", None, None),
]


def load(con) -> int:
    """Insert the fixture through one fake accepted upload; returns its id."""
    upload = lineage.new_upload(con, dataset="kinerja_opd", kode_opd="BAPPEDA", username="uji",
                                file_name="kinerja.csv", sha256=None, status="accepted",
                                rows_total=len(KINERJA))
    for row in KINERJA:
        kode_opd, kode, nama, satuan, arah, periode, target, realisasi = row[:8]
        sender = row[8] if len(row) > 8 else kode_opd
        con.execute("INSERT INTO kinerja_opd (kode_opd, kode_indikator, nama_indikator, satuan, arah, periode, "
                    "target, realisasi, keterangan, sumber_opd, upload_id) VALUES (?,?,?,?,?,?,?,?,NULL,?,?)",
                    [kode_opd, kode, nama, satuan, arah, periode, target, realisasi, sender, upload])
    apps = lineage.new_upload(con, dataset="aplikasi", kode_opd="DISKOMINFO", username="uji",
                              file_name="aplikasi.csv", sha256=None, status="accepted", rows_total=len(APLIKASI))
    for kode, nama, opd, status, cek, avail in APLIKASI:
        con.execute("INSERT INTO aplikasi (kode_aplikasi, nama_aplikasi, kode_opd, url, status, tanggal_cek, "
                    "ketersediaan_persen, sumber_opd, upload_id) VALUES (?,?,?,NULL,?,?,?, 'DISKOMINFO', ?)",
                    [kode, nama, opd, status, cek, avail, apps])
    return upload
