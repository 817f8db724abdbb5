"""Ringkasan (overview): the day's headline figures of every part of the war room, as plain numbers.

Each area's own rules stay in its module (warroom.covid, warroom.kinerja); this module only
asks them, or runs small queries of its own over their tables, and says how fresh each is.
No Streamlit here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb

from warroom import covid, datasets, db, freshness
from warroom.config import THRESHOLDS, city
from warroom.missing import or_none

# Towers whose permit ends within this many days count as "expiring".
EXPIRING_DAYS = THRESHOLDS.permit_expiring_days


@dataclass
class Covid:
    tanggal: date | None = None
    aktif: int | None = None
    kasus_baru: int | None = None
    kasus_7hari: int | None = None
    kasus_7hari_sebelumnya: int | None = None
    level: int | None = None
    indikator: str = ""
    tren: str | None = None
    positivity: float | None = None


@dataclass
class Kinerja:
    bulan: str | None = None
    dinilai: int = 0              # indicators with an achievement figure that month
    tercapai: int = 0             # of which achievement >= 100 % (band baik or sangat_baik)
    terlambat: list[str] = field(default_factory=list)

    @property
    def persen_tercapai(self) -> float | None:
        return self.tercapai * 100.0 / self.dinilai if self.dinilai else None


@dataclass
class Cctv:
    jumlah: int = 0
    online: int = 0

    @property
    def persen_online(self) -> float | None:
        return self.online * 100.0 / self.jumlah if self.jumlah else None


@dataclass
class Menara:
    jumlah: int = 0
    kedaluwarsa: int = 0
    segera_berakhir: int = 0
    tanpa_izin: int = 0


@dataclass
class Aplikasi:
    jumlah: int = 0
    aktif: int = 0
    bermasalah: list[dict] = field(default_factory=list)


def covid_summary(con: duckdb.DuckDBPyConnection) -> Covid:
    covid.ensure_daily(con)
    last = db.one_row(con, db.load_query("covid_dates"), {"kota": city().kode})[1]
    if last is None:
        return Covid()
    cur = con.execute(db.load_query("covid_area_headline"), {"kode": city().kode, "tanggal": last})
    r = db.row_as_dict(cur)
    if r is None:
        return Covid(tanggal=last)
    level, available = covid.transmission(r["kasus_7hari_per_100rb"], r["rawat_inap_7hari_per_100rb"],
                                          r["meninggal_7hari_per_100rb"])
    return Covid(tanggal=last, aktif=or_none(r["aktif"]), kasus_baru=or_none(r["kasus_baru"]) or 0,
                 kasus_7hari=or_none(r["kasus_7hari"]), kasus_7hari_sebelumnya=or_none(r["kasus_7hari_sebelumnya"]),
                 level=level, indikator=available, positivity=or_none(r["positivity_7hari_persen"]),
                 tren=covid.trend(or_none(r["kasus_7hari"]), or_none(r["kasus_7hari_sebelumnya"])))


def kinerja_summary(con: duckdb.DuckDBPyConnection, today: date) -> Kinerja:
    from warroom import kinerja
    scores = db.query_df(con, "kinerja_skor_opd", kinerja.band_params())
    month = kinerja.default_month(kinerja.months_with_data(scores), today)
    if month is None:
        return Kinerja()
    capaian = db.query_df(con, "kinerja_capaian", kinerja.band_params())
    in_month = capaian[(capaian["bulan"] == month) & capaian["kategori"].notna()]
    on_target = in_month["kategori"].isin(["sangat_baik", "baik"])
    late = kinerja.late_names(kinerja.reporting_status(con, month, today))
    return Kinerja(bulan=month, dinilai=len(in_month), tercapai=int(on_target.sum()), terlambat=late)


def cctv_summary(con: duckdb.DuckDBPyConnection) -> Cctv:
    jumlah, online, *_ = db.one_row(con, db.load_query("ringkasan_cctv"),
                                    {"produsen": datasets.get("cctv").producer})
    return Cctv(jumlah=jumlah, online=online)


def menara_summary(con: duckdb.DuckDBPyConnection, today: date) -> Menara:
    row = db.one_row(con, db.load_query("ringkasan_menara"), {"produsen": datasets.get("menara_bts").producer,
                                                          "hari_ini": today, "hari": EXPIRING_DAYS})
    return Menara(*row)


def aplikasi_summary(con: duckdb.DuckDBPyConnection) -> Aplikasi:
    producer = datasets.get("aplikasi").producer
    jumlah, aktif = db.one_row(con, db.load_query("ringkasan_aplikasi_jumlah"), {"produsen": producer})
    cur = con.execute(db.load_query("ringkasan_aplikasi"),
                      {"produsen": producer, "minimum": THRESHOLDS.app_availability_min})
    return Aplikasi(jumlah=jumlah, aktif=aktif, bermasalah=db.rows_as_dicts(cur))


@dataclass
class Freshness:
    dataset: str
    title: str
    frequency: str
    rows: int
    newest: str | None           # the data's own newest date or period
    last_upload: datetime | None
    by: str | None               # "username (OPD)"
    status: str
    age_days: int | None         # days since the newest data (on change: since the last upload)


def freshness_rows(con: duckdb.DuckDBPyConnection, today: date) -> list[Freshness]:
    status = {r["dataset"]: r for r in db.rows_as_dicts(con.execute(db.load_query("dataset_status")))}
    out = []
    for ds in datasets.all_datasets():
        r = status.get(ds.name, {})
        newest = r.get("data_terbaru")
        last_upload = r.get("unggahan_terakhir")
        state = freshness.status(ds.frequency, newest, today)
        age = None
        if newest and ds.frequency == "daily":
            age = (today - date.fromisoformat(str(newest)[:10])).days
        elif last_upload is not None:
            age = (today - last_upload.astimezone(city().tz).date()).days
        by = f"{r['oleh']} ({r['opd_pengirim']})" if r.get("oleh") else None
        out.append(Freshness(ds.name, ds.title, ds.frequency, r.get("baris") or 0, newest, last_upload, by,
                             state, age))
    return out
