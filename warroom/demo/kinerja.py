"""Demo `kinerja_opd`: 12 real-named OPDs x 4-5 key performance indicators (IKU), 24 months.

The months end at the last complete month before as_of; quarterly indicators report per
quarter (`YYYY-Qn`) and one yearly indicator per year (`YYYY`) whose last month falls in
that window. Each indicator gets a typical achievement drawn so that every band
(sangat baik .. sangat kurang) occurs; three OPDs have not reported the latest month yet.
"""
from __future__ import annotations

from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from warroom.demo.common import add_months, month_start, rng_for, store

# kode_opd -> [(nama_indikator, satuan, arah, target, frekuensi M|Q|Y)]
INDICATORS: dict[str, list[tuple[str, str, str, float, str]]] = {
    "DISKOMINFO": [
        ("Persentase layanan publik berbasis elektronik", "%", "naik", 85, "M"),
        ("Indeks Sistem Pemerintahan Berbasis Elektronik (SPBE)", "indeks", "naik", 3.5, "Y"),
        ("Persentase ketersediaan aplikasi Smart City", "%", "naik", 97, "M"),
        ("Jumlah titik Wi-Fi publik aktif", "titik", "naik", 500, "M"),
        ("Rata-rata waktu penanganan aduan warga", "jam", "turun", 24, "M"),
    ],
    "DINKES": [
        ("Cakupan imunisasi dasar lengkap", "%", "naik", 95, "M"),
        ("Angka kematian ibu", "per 100.000 KH", "turun", 60, "Q"),
        ("Prevalensi balita stunting", "%", "turun", 10, "Q"),
        ("Cakupan pelayanan kesehatan penderita hipertensi", "%", "naik", 80, "M"),
        ("Rasio positivitas spesimen Covid-19", "%", "turun", 5, "M"),
    ],
    "DISHUB": [
        ("Persentase lampu lalu lintas berfungsi", "%", "naik", 95, "M"),
        ("Jumlah titik kemacetan", "titik", "turun", 30, "M"),
        ("Persentase kendaraan lulus uji KIR", "%", "naik", 90, "M"),
        ("Jumlah kecelakaan lalu lintas", "kejadian", "turun", 40, "M"),
    ],
    "BAPPEDA": [
        ("Persentase dokumen perencanaan tepat waktu", "%", "naik", 100, "M"),
        ("Persentase realisasi program prioritas", "%", "naik", 90, "M"),
        ("Jumlah usulan musrenbang terakomodasi", "usulan", "naik", 120, "M"),
        ("Persentase OPD melapor kinerja tepat waktu", "%", "naik", 95, "M"),
    ],
    "DPMPTSP": [
        ("Jumlah izin terbit melalui OSS", "izin", "naik", 1200, "M"),
        ("Rata-rata waktu penyelesaian izin", "hari", "turun", 5, "M"),
        ("Indeks kepuasan masyarakat layanan perizinan", "indeks", "naik", 85, "M"),
        ("Nilai realisasi investasi", "miliar Rp", "naik", 400, "M"),
    ],
    "BPBD": [
        ("Waktu tanggap darurat bencana", "menit", "turun", 30, "M"),
        ("Jumlah kelurahan tangguh bencana", "kelurahan", "naik", 40, "M"),
        ("Persentase warga terdampak bencana yang tertangani", "%", "naik", 100, "M"),
        ("Jumlah simulasi dan sosialisasi kebencanaan", "kegiatan", "naik", 8, "M"),
    ],
    "DISDIK": [
        ("Angka partisipasi murni SD", "%", "naik", 98, "M"),
        ("Angka putus sekolah SMP", "%", "turun", 0.5, "M"),
        ("Persentase sekolah terakreditasi minimal B", "%", "naik", 90, "M"),
        ("Rata-rata skor asesmen literasi", "skor", "naik", 70, "M"),
    ],
    "DINSOS": [
        ("Jumlah PMKS yang tertangani", "jiwa", "naik", 1500, "M"),
        ("Persentase bantuan sosial tersalur tepat waktu", "%", "naik", 95, "M"),
        ("Jumlah anak jalanan terjangkau layanan", "anak", "naik", 60, "M"),
        ("Rata-rata waktu verifikasi DTKS", "hari", "turun", 14, "M"),
    ],
    "DLH": [
        ("Volume sampah terangkut ke TPA", "ton/hari", "naik", 1000, "M"),
        ("Persentase sampah terkelola bank sampah", "%", "naik", 20, "M"),
        ("Indeks kualitas udara", "indeks", "naik", 80, "M"),
        ("Jumlah aduan pencemaran terselesaikan", "aduan", "naik", 25, "M"),
        ("Luas ruang terbuka hijau publik baru", "ha", "naik", 4, "M"),
    ],
    "DISDUKCAPIL": [
        ("Persentase penduduk wajib KTP-el yang memiliki KTP-el", "%", "naik", 98, "M"),
        ("Persentase anak memiliki akta kelahiran", "%", "naik", 95, "M"),
        ("Rata-rata waktu layanan dokumen kependudukan", "hari", "turun", 3, "M"),
        ("Jumlah aktivasi Identitas Kependudukan Digital", "jiwa", "naik", 5000, "M"),
    ],
    "DPU": [
        ("Persentase jalan kota dalam kondisi mantap", "%", "naik", 85, "M"),
        ("Panjang drainase yang dinormalisasi", "km", "naik", 12, "M"),
        ("Jumlah titik genangan", "titik", "turun", 25, "M"),
        ("Persentase penerangan jalan umum menyala", "%", "naik", 95, "M"),
    ],
    "BAPENDA": [
        ("Realisasi pendapatan asli daerah", "miliar Rp", "naik", 150, "M"),
        ("Persentase wajib pajak PBB yang membayar", "%", "naik", 75, "M"),
        ("Jumlah transaksi pajak non-tunai", "transaksi", "naik", 40000, "M"),
        ("Tunggakan pajak daerah", "miliar Rp", "turun", 30, "M"),
    ],
}
MONTHS = 24
LATE_OPDS = 3
# Typical achievement (%) per indicator, one per band and then some, so every band shows.
TYPICAL_CAPAIAN = (122, 115, 104, 101, 95, 88, 83, 74, 66, 55, 45)


def last_complete_month(as_of: date) -> date:
    return add_months(month_start(as_of + timedelta(days=1)), -1)


def periods(as_of: date, frekuensi: str) -> list[str]:
    last = last_complete_month(as_of)
    months = [add_months(last, -i) for i in range(MONTHS - 1, -1, -1)]
    if frekuensi == "M":
        return [f"{m:%Y-%m}" for m in months]
    if frekuensi == "Q":
        return [f"{m.year}-Q{m.month // 3}" for m in months if m.month % 3 == 0]
    return [str(m.year) for m in months if m.month == 12]


def _realisasi(target: float, arah: str, capaian: float, satuan: str) -> float:
    value = target * capaian / 100 if arah == "naik" else target * (2 - capaian / 100)
    if satuan == "%":
        value = min(value, 100.0)
    value = max(value, 0.0)
    return round(value) if target >= 100 and satuan != "%" else round(value, 2)


def rows(as_of: date, seed: int) -> pd.DataFrame:
    rng = rng_for(seed, "kinerja_opd")
    opds = list(INDICATORS)
    late = set(rng.choice(opds, size=LATE_OPDS, replace=False).tolist())
    all_indicators = [(opd, n, spec) for opd in opds for n, spec in enumerate(INDICATORS[opd], start=1)]
    typical = rng.permutation(np.resize(TYPICAL_CAPAIAN, len(all_indicators)))
    latest = f"{last_complete_month(as_of):%Y-%m}"
    out = []
    for (opd, n, (nama, satuan, arah, target, frekuensi)), base in zip(all_indicators, typical):
        kode = f"{opd}-IKU-{n:02d}"
        drift = rng.normal(0, 4)
        plist = periods(as_of, frekuensi)
        for i, periode in enumerate(plist):
            capaian = base + drift * (i / max(len(plist) - 1, 1)) + rng.normal(0, 5)
            is_latest = periode == latest or (frekuensi == "Q" and periode == _quarter(latest))
            reported = not (opd in late and is_latest)
            out.append({
                "kode_opd": opd, "kode_indikator": kode, "nama_indikator": nama, "satuan": satuan,
                "arah": arah, "periode": periode, "target": float(target),
                "realisasi": _realisasi(target, arah, capaian, satuan) if reported else None,
                "keterangan": None if reported else "belum dilaporkan",
            })
    return pd.DataFrame(out)


def _quarter(month: str) -> str:
    year, m = month.split("-")
    return f"{year}-Q{int(m) // 3}" if int(m) % 3 == 0 else ""


def load(con: duckdb.DuckDBPyConnection, *, as_of: date, seed: int, scale: int = 1) -> dict[str, int]:
    frame = rows(as_of, seed)
    total = 0
    for opd, part in frame.groupby("kode_opd", sort=True):
        total += store(con, "kinerja_opd", part.reset_index(drop=True), kode_opd=opd,
                       file_name=f"demo_kinerja_{opd.lower()}.csv")
    return {"kinerja_opd": total}
