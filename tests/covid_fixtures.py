"""Hand-made Covid-19 rows for the covid tests: inserted as fake uploads into the `store` fixture."""
from __future__ import annotations

from datetime import date

from warroom import lineage

COLUMNS = ("tanggal", "kode_wilayah", "kasus_baru", "sembuh_baru", "meninggal_baru", "rawat_inap_baru",
           "dirawat", "isolasi_mandiri", "spesimen_diperiksa", "spesimen_positif")

MARISO = "73.71.01"
K1 = "73.71.01.1001"   # Bontorannu, population set to 100,000 by the fixture
K2 = "73.71.01.1002"   # Mattoangin, population set to 50,000
KOTA = "73.71"


def day(n: int) -> date:
    """Day n of November 2026."""
    return date(2026, 11, n)


def upload(con, sender: str = "DINKES", dataset: str = "covid19_harian") -> int:
    return lineage.new_upload(con, dataset=dataset, kode_opd=sender, username=f"uji_{sender.lower()}",
                              file_name=f"{dataset}.csv", sha256=None, status="accepted")


def insert(con, rows: list[dict], sender: str = "DINKES") -> int:
    """Rows as dicts with any of COLUMNS (missing optional columns are NULL)."""
    up = upload(con, sender)
    for r in rows:
        values = [r.get(c) for c in COLUMNS]
        con.execute(f"insert into covid19_harian ({', '.join(COLUMNS)}, sumber_opd, upload_id) "
                    f"values ({', '.join('?' * len(COLUMNS))}, ?, ?)", values + [sender, up])
    return up


def set_population(con, kode: str, penduduk: int | None) -> None:
    con.execute("update wilayah set penduduk = ? where kode_wilayah = ?", [penduduk, kode])


def mariso_fixture(con) -> None:
    """Two kelurahan of Mariso over two weeks, one kecamatan-level row, nothing at city level.

    K1: 1..14 Nov except 5 Nov; kasus_baru = day number, 1 death on 3 Nov, 1 admission a day,
        20 specimens a day of which `day` positive.
    K2: 4..10 Nov; 2 cases a day, admissions and specimens not reported.
    Mariso's own row on 8 Nov: 100 cases, admissions not given (falls back to the kelurahan sum).
    """
    set_population(con, K1, 100_000)
    set_population(con, K2, 50_000)
    set_population(con, MARISO, None)   # population = sum of its 9 kelurahan
    rows = []
    for n in range(1, 15):
        if n == 5:
            continue
        rows.append(dict(tanggal=day(n), kode_wilayah=K1, kasus_baru=n, sembuh_baru=0,
                         meninggal_baru=1 if n == 3 else 0, rawat_inap_baru=1,
                         spesimen_diperiksa=20, spesimen_positif=n))
    for n in range(4, 11):
        rows.append(dict(tanggal=day(n), kode_wilayah=K2, kasus_baru=2, sembuh_baru=1, meninggal_baru=0))
    rows.append(dict(tanggal=day(8), kode_wilayah=MARISO, kasus_baru=100, sembuh_baru=0, meninggal_baru=0))
    insert(con, rows)


def week_of(kode: str, last: dict, start: int = 1) -> list[dict]:
    """Seven days from `start`: six days of zeros, then the counts in `last` on the 7th day."""
    rows = [dict(tanggal=day(start + i), kode_wilayah=kode, kasus_baru=0, sembuh_baru=0, meninggal_baru=0,
                 rawat_inap_baru=0) for i in range(6)]
    rows.append(dict(dict(kasus_baru=0, sembuh_baru=0, meninggal_baru=0, rawat_inap_baru=0),
                     tanggal=day(start + 6), kode_wilayah=kode, **last))
    return rows


def fasyankes(con, rows: list[tuple]) -> None:
    """rows: (kode_faskes, kode_wilayah, tanggal, tt_total, tt_terisi, tt_isolasi, tt_isolasi_terisi)."""
    up = upload(con, dataset="fasyankes")
    for kode, wil, tgl, total, terisi, iso, iso_terisi in rows:
        con.execute("insert into fasyankes (kode_faskes, nama, jenis, latitude, longitude, kode_wilayah, tanggal, "
                    "tt_total, tt_terisi, tt_isolasi, tt_isolasi_terisi, sumber_opd, upload_id) "
                    "values (?, ?, 'rs', -5.14, 119.42, ?, ?, ?, ?, ?, ?, 'DINKES', ?)",
                    [kode, f"RS {kode}", wil, tgl, total, terisi, iso, iso_terisi, up])
