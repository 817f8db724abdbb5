"""Reference data from the real files: region codes, boundaries, population, agencies.

Population, per the brief (README "Data choices"): the city from its configured
official total; kecamatan from the BNPB snapshot (year not stated by the source); a
kecamatan missing there gets the city total minus the others, marked as an estimate;
kelurahan are estimated from their kecamatan by area share, also marked "perkiraan".
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb

from warroom import db, lineage
from warroom.config import city

SYSTEM_USER = "system"
SUMBER_BNPB = "BNPB bersatulawancovid.id, snapshot 2020 (tahun data tidak disebutkan sumber)"


def read_codes(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def read_geojson(path: Path) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))["features"]


def largest_remainder(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split an integer total by weights so the parts are integers summing to the total."""
    wsum = sum(weights.values())
    raw = {k: total * w / wsum for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    short = total - sum(out.values())
    for k in sorted(raw, key=lambda k: (-(raw[k] - out[k]), k))[:short]:
        out[k] += 1
    return out


def _year(tahun_data: str) -> int | None:
    head = (tahun_data or "").strip()[:4]
    return int(head) if head.isdigit() else None


def population_block(rows: list[dict], kecamatan_codes: list[str], wanted: str | None = None) -> str | None:
    """Which `tahun_data` of the population file to read: the one city.toml names
    (`[reference] penduduk_tahun_data`), else the BNPB snapshot ("unknown ...", the default
    city's file), else the year covering the most kecamatan (the latest on a tie)."""
    blocks: dict[str, set[str]] = {}
    for row in rows:
        if row.get("kode_kec") in kecamatan_codes and (row.get("penduduk") or "").strip():
            blocks.setdefault(row["tahun_data"], set()).add(row["kode_kec"])
    if wanted is not None:
        return next((b for b in blocks if b == str(wanted) or b.startswith(str(wanted))), None)
    unknown = [b for b in blocks if b.startswith("unknown")]
    if unknown:
        return unknown[0]
    dated = [b for b in blocks if _year(b) is not None]
    return max(dated, key=lambda b: (len(blocks[b]), _year(b)), default=None)


def kecamatan_population(ref: dict, kecamatan_codes: list[str]) -> dict[str, tuple[int, int | None, str]]:
    """kode -> (penduduk, tahun or None, sumber)."""
    rows = read_codes(ref["penduduk"])
    block = population_block(rows, kecamatan_codes, ref.get("penduduk_tahun_data"))
    snapshot, sources = {}, {}
    for row in rows:
        if row["tahun_data"] == block and row["kode_kec"] in kecamatan_codes and (row.get("penduduk") or "").strip():
            snapshot[row["kode_kec"]] = int(float(row["penduduk"]))
            sources[row["kode_kec"]] = (row.get("sumber") or "").strip()
    year = _year(block) if block else None
    out: dict[str, tuple[int, int | None, str]]
    if year is None:
        out = {k: (v, None, SUMBER_BNPB) for k, v in snapshot.items()}
    else:
        out = {k: (v, year, sources[k] or f"{Path(ref['penduduk']).name} ({year})") for k, v in snapshot.items()}
    missing = [k for k in kecamatan_codes if k not in snapshot]
    if len(missing) == 1 and ref.get("penduduk_kota"):
        rest = int(ref["penduduk_kota"]) - sum(snapshot.values())
        out[missing[0]] = (rest, None, f"perkiraan: total kota ({ref['sumber_penduduk_kota']}) "
                                       f"dikurangi {len(snapshot)} kecamatan lain "
                                       + ("(BNPB)" if year is None else f"({year})"))
    return out


def population_warnings() -> list[str]:
    """Figures that do not add up, said at `init`: the city's own total against the sum of
    its kecamatan (each is shown as its source gives it)."""
    c = city()
    ref = c.reference
    if not ref.get("penduduk") or not ref.get("penduduk_kota"):
        return []
    codes = [r["kode_kemendagri"] for r in read_codes(ref["kode_wilayah"]) if r["tingkat"] == "kecamatan"]
    pop = kecamatan_population(ref, codes)
    out = []
    if pop and len(pop) < len(codes):
        out.append(f"warning: population known for {len(pop)} of {len(codes)} kecamatan of {c.nama}; "
                   f"per-100,000 figures of {c.nama} use its own total")
    total = sum(v[0] for v in pop.values())
    if len(pop) == len(codes) and total != int(ref["penduduk_kota"]):
        out.append(f"warning: population of {c.nama} {int(ref['penduduk_kota']):,} ({ref.get('sumber_penduduk_kota', '')}) "
                   f"differs from the sum of its {len(codes)} kecamatan {total:,} "
                   f"({Path(ref['penduduk']).name}); both are kept as their sources give them")
    return out


def wilayah_rows() -> list[dict]:
    """All rows of the `wilayah` reference table for the configured city."""
    c = city()
    ref = c.reference
    codes = read_codes(ref["kode_wilayah"])
    area = {}
    for f in read_geojson(ref["kecamatan_geojson"]):
        area[f["properties"]["kode_kec"]] = f["properties"]["luas_km2_geodesic"]
    for f in read_geojson(ref["kelurahan_geojson"]):
        area[f["properties"]["kode_kel"]] = f["properties"]["luas_km2_geodesic"]

    # The province: the parent whose series (if loaded) the Covid page shows as context, per 100,000
    # of its own population when city.toml gives it ([reference] penduduk_provinsi).
    prov_pop = ref.get("penduduk_provinsi")
    rows = [dict(kode_wilayah=c.kode_provinsi, nama=c.nama_provinsi, tingkat="provinsi", kode_induk=None,
                 penduduk=int(prov_pop) if prov_pop else None,
                 tahun_penduduk=int(ref["tahun_penduduk_provinsi"]) if prov_pop and ref.get("tahun_penduduk_provinsi") else None,
                 sumber_penduduk=ref.get("sumber_penduduk_provinsi") if prov_pop else None,
                 luas_km2=None, kode_bps=c.kode_provinsi)]
    kec_codes = [r["kode_kemendagri"] for r in codes if r["tingkat"] == "kecamatan"]
    kec_pop = kecamatan_population(ref, kec_codes)
    for r in codes:
        kode, tingkat = r["kode_kemendagri"], r["tingkat"]
        row = dict(kode_wilayah=kode, nama=r["nama"], tingkat=tingkat, kode_induk=r["kode_induk"] or None,
                   penduduk=None, tahun_penduduk=None, sumber_penduduk=None, luas_km2=area.get(kode),
                   kode_bps=r["kode_bps_mfd2018"] or None)
        if tingkat == "kota":
            row.update(penduduk=int(ref["penduduk_kota"]), tahun_penduduk=int(ref["tahun_penduduk_kota"]),
                       sumber_penduduk=ref["sumber_penduduk_kota"])
        elif tingkat == "kecamatan" and kode in kec_pop:
            row["penduduk"], row["tahun_penduduk"], row["sumber_penduduk"] = kec_pop[kode]
        rows.append(row)

    by_parent: dict[str, list[dict]] = {}
    for row in rows:
        if row["tingkat"] == "kelurahan":
            by_parent.setdefault(row["kode_induk"], []).append(row)
    for kec, kels in by_parent.items():
        if kec not in kec_pop or any(k["luas_km2"] is None for k in kels):
            continue
        split = largest_remainder(kec_pop[kec][0], {k["kode_wilayah"]: k["luas_km2"] for k in kels})
        for k in kels:
            k["penduduk"] = split[k["kode_wilayah"]]
            k["sumber_penduduk"] = "perkiraan: penduduk kecamatan dibagi menurut luas kelurahan"
    return rows


def opd_rows() -> list[dict]:
    return read_codes(city().reference["opd"])


def boundary_rows() -> list[tuple[str, str, str, str]]:
    ref = city().reference
    out = []
    for key, tingkat, prop in (("kecamatan_geojson", "kecamatan", "kode_kec"), ("kelurahan_geojson", "kelurahan", "kode_kel")):
        for f in read_geojson(ref[key]):
            out.append((f["properties"][prop], tingkat, json.dumps(f["geometry"], separators=(",", ":")),
                        Path(ref[key]).name))
    return out


def _replace_reference(con: duckdb.DuckDBPyConnection, dataset: str, rows: list[dict], source: Path) -> bool:
    """Load a reference table as one upload by the walidata; skip when this file is already loaded."""
    sha = lineage.sha256_bytes(json.dumps(rows, sort_keys=True, default=str).encode())
    current = db.scalar(con, "SELECT count(*) FROM uploads WHERE dataset = ? AND sha256 = ? AND status = 'accepted'",
                        [dataset, sha])
    if current:
        return False
    walidata = city().walidata[0]
    upload_id = lineage.new_upload(con, dataset=dataset, kode_opd=walidata, username=SYSTEM_USER,
                                   file_name=source.name, sha256=sha, status="accepted", rows_total=len(rows),
                                   rows_inserted=len(rows))
    cols = list(rows[0].keys())
    con.execute(f"INSERT INTO {dataset}__replaced SELECT *, ? FROM {dataset}", [upload_id])
    con.execute(f"DELETE FROM {dataset}")
    con.executemany(
        f"INSERT INTO {dataset} ({', '.join(cols)}, sumber_opd, upload_id) VALUES ({', '.join('?' * (len(cols) + 2))})",
        [[r[c] for c in cols] + [walidata, upload_id] for r in rows])
    return True


def load_reference(con: duckdb.DuckDBPyConnection) -> dict[str, bool]:
    """Load region codes, agencies and boundaries; harmless to run again."""
    from warroom.db import write_transaction
    ref = city().reference
    with write_transaction(con):
        loaded = {
            "wilayah": _replace_reference(con, "wilayah", wilayah_rows(), Path(ref["kode_wilayah"])),
            "opd": _replace_reference(con, "opd", opd_rows(), Path(ref["opd"])),
        }
        con.execute("DELETE FROM batas_wilayah")
        con.executemany("INSERT INTO batas_wilayah VALUES (?, ?, ?, ?)", boundary_rows())
    return loaded
