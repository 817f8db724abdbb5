"""Demo `aplikasi`: the DISKOMINFO register of about 30 Smart City apps, by owning OPD.

Names in the style of Makassar's own services; URLs, statuses and availability are demo.
"""
from __future__ import annotations

from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from warroom.demo.common import rng_for, store

# (nama_aplikasi, kode_opd, slug)
APPS = (
    ("Lontara+", "DISKOMINFO", "lontara"),
    ("Makassar Smart Card (Sombere)", "DISKOMINFO", "sombere"),
    ("Portal Satu Data Makassar", "DISKOMINFO", "satudata"),
    ("Aduan Warga 112", "DISKOMINFO", "aduan112"),
    ("Makassar Wi-Fi Publik", "DISKOMINFO", "wifi"),
    ("War Room Dashboard", "DISKOMINFO", "warroom"),
    ("Dottoro'ta (Home Care)", "DINKES", "dottorota"),
    ("SIMPUS Puskesmas", "DINKES", "simpus"),
    ("Info Tempat Tidur RS", "DINKES", "bed"),
    ("Makassar Recover", "SATGAS_COVID", "recover"),
    ("Pantau Lalu Lintas (ATCS)", "DISHUB", "atcs"),
    ("Parkir Elektronik", "DISHUB", "eparkir"),
    ("e-Planning Musrenbang", "BAPPEDA", "eplanning"),
    ("SiCantik Perizinan", "DPMPTSP", "sicantik"),
    ("Layanan Investasi Terpadu", "DPMPTSP", "investasi"),
    ("Siaga Bencana (Sipakainga)", "BPBD", "sipakainga"),
    ("PPDB Online", "DISDIK", "ppdb"),
    ("Rapor Digital Sekolah", "DISDIK", "rapor"),
    ("Data Terpadu Kesejahteraan Sosial", "DINSOS", "dtks"),
    ("Bank Sampah Digital", "DLH", "banksampah"),
    ("Pantau Kualitas Udara", "DLH", "udara"),
    ("Dukcapil Online (Lontara Dukcapil)", "DISDUKCAPIL", "dukcapil"),
    ("Antrian Online Dukcapil", "DISDUKCAPIL", "antrian"),
    ("Lapor Jalan Rusak", "DPU", "jalan"),
    ("e-PBB Makassar", "BAPENDA", "epbb"),
    ("e-Pajak Daerah", "BAPENDA", "epajak"),
    ("Damkar Tanggap", "DAMKAR", "damkar"),
    ("Pasar Online Makassar", "DISDAG", "pasar"),
    ("Wisata Makassar", "DISPAR", "wisata"),
    ("e-Kinerja ASN", "BKPSDM", "ekinerja"),
    ("Perpustakaan Digital", "PERPUSTAKAAN", "perpus"),
)
NONAKTIF = ("Makassar Recover", "Rapor Digital Sekolah")
PENGEMBANGAN = ("Pasar Online Makassar", "Lapor Jalan Rusak", "Info Tempat Tidur RS")


def rows(as_of: date, seed: int) -> pd.DataFrame:
    rng = rng_for(seed, "aplikasi")
    n = len(APPS)
    status = ["nonaktif" if a[0] in NONAKTIF else "pengembangan" if a[0] in PENGEMBANGAN else "aktif" for a in APPS]
    # Most active apps are up more than 95% of the time; a few are not.
    availability = np.where(rng.random(n) < 0.2, rng.uniform(82, 94.9, n), rng.uniform(95.2, 99.99, n)).round(2)
    checked = [as_of - timedelta(days=int(d)) for d in rng.choice([0, 0, 0, 1, 1, 2, 6], size=n)]
    return pd.DataFrame({
        "kode_aplikasi": [f"APP-{i:03d}" for i in range(1, n + 1)],
        "nama_aplikasi": [a[0] for a in APPS],
        "kode_opd": [a[1] for a in APPS],
        "url": [f"https://{a[2]}.makassarkota.go.id" for a in APPS],
        "status": status,
        "tanggal_cek": [None if s == "pengembangan" else d for s, d in zip(status, checked)],
        "ketersediaan_persen": [None if s != "aktif" else float(v) for s, v in zip(status, availability)],
    })


def load(con: duckdb.DuckDBPyConnection, *, as_of: date, seed: int, scale: int = 1) -> dict[str, int]:
    return {"aplikasi": store(con, "aplikasi", rows(as_of, seed), kode_opd="DISKOMINFO",
                              file_name="demo_aplikasi.csv",
                              select="* REPLACE (tanggal_cek::DATE AS tanggal_cek)")}
