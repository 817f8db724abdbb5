"""Conflicts: where senders disagree with the producer's official figure, and where a
producer's area figure differs from the sum of its child areas. Open until the walidata
resolves them (who, when, why).

A conflict's key names the dataset, the place in the data and the uploads involved, so
a new upload touching the same figures opens a new conflict rather than hiding behind an
old resolution. No pandas: rows are dicts.
"""
from __future__ import annotations

from warroom import datasets, lineage
from warroom.config import now
from warroom.db import load_query, rows_as_dicts, write_transaction

COLUMNS = ["conflict_key", "dataset", "jenis", "kunci", "kolom", "sumber_opd", "nilai", "asal",
           "sumber_resmi", "nilai_resmi", "asal_resmi", "uploads"]


def _covid(con) -> list[dict]:
    ds = datasets.get("covid19_harian")
    rows = con.execute(load_query("conflicts_covid"), {"producer": ds.producer}).fetchall()
    out = []
    for jenis, kode, tanggal, kolom, sender, nilai, asal, resmi, nilai_resmi, asal_resmi, uploads in rows:
        kunci = f"{tanggal.isoformat()} {kode}"
        who = sender if jenis == "antar_pengirim" else f"{sender}>anak"
        key = f"covid19_harian|{tanggal.isoformat()}|{kode}|{kolom}|{who}|u{'-'.join(map(str, uploads))}"
        out.append(dict(conflict_key=key, dataset=ds.name, jenis=jenis, kunci=kunci, kolom=kolom,
                        sumber_opd=sender, nilai=nilai, asal=asal, sumber_resmi=resmi,
                        nilai_resmi=nilai_resmi, asal_resmi=asal_resmi, uploads=list(uploads)))
    return out


def _generic(con, ds: datasets.Dataset) -> list[dict]:
    """Other datasets: a sender's row against the producer's row with the same key."""
    producer = "p.kode_opd" if ds.producer == "*owner" else "$producer"
    on = " AND ".join(f"s.{k} = p.{k}" for k in ds.key)
    others = [c for c in ds.columns if c not in ds.key]
    if not others:
        return []
    cases = " UNION ALL ".join(
        f"SELECT {', '.join('s.' + k for k in ds.key)}, '{c}' AS kolom, s.sumber_opd, CAST(s.{c} AS VARCHAR), "
        f"p.sumber_opd, CAST(p.{c} AS VARCHAR), s.upload_id, p.upload_id "
        f"FROM {ds.name} s JOIN {ds.name} p ON {on} AND p.sumber_opd = {producer} "
        f"WHERE s.sumber_opd <> p.sumber_opd AND s.{c} IS DISTINCT FROM p.{c}" for c in others)
    rows = con.execute(cases, {"producer": ds.producer} if ds.producer != "*owner" else {}).fetchall()
    out = []
    n = len(ds.key)
    for r in rows:
        kunci = " ".join(str(v) for v in r[:n])
        kolom, sender, nilai, resmi, nilai_resmi, u1, u2 = r[n:]
        uploads = sorted({u1, u2})
        key = f"{ds.name}|{kunci}|{kolom}|{sender}|u{'-'.join(map(str, uploads))}"
        out.append(dict(conflict_key=key, dataset=ds.name, jenis="antar_pengirim", kunci=kunci, kolom=kolom,
                        sumber_opd=sender, nilai=nilai, asal="baris", sumber_resmi=resmi,
                        nilai_resmi=nilai_resmi, asal_resmi="baris", uploads=uploads))
    return out


def all_conflicts(con, dataset: str | None = None) -> list[dict]:
    out = []
    for name in datasets.FACTS:
        if dataset and name != dataset:
            continue
        out += _covid(con) if name == "covid19_harian" else _generic(con, datasets.get(name))
    return out


def open_conflicts(con, dataset: str | None = None) -> list[dict]:
    """Every conflict not yet resolved by the walidata."""
    resolved = {r[0] for r in con.execute("SELECT conflict_key FROM conflict_resolutions").fetchall()}
    return [c for c in all_conflicts(con, dataset) if c["conflict_key"] not in resolved]


def resolve(con, key: str, username: str, reason: str) -> int:
    """Mark a conflict resolved; returns the resolution id. The reason is required."""
    if not reason or not reason.strip():
        raise ValueError("a resolution needs a reason")
    known = {c["conflict_key"]: c for c in all_conflicts(con)}
    if key not in known:
        raise KeyError(f"no conflict with key {key!r}")
    with write_transaction(con):
        rid = con.execute("SELECT nextval('resolution_id_seq')").fetchone()[0]
        con.execute("INSERT INTO conflict_resolutions VALUES (?, ?, ?, ?, ?, ?)",
                    [rid, known[key]["dataset"], key, username, now(), reason.strip()])
        lineage.audit(con, "resolve", username, conflict_key=key, reason=reason.strip())
    return rid


def resolutions(con) -> list[dict]:
    return rows_as_dicts(con.execute("SELECT resolution_id, dataset, conflict_key, resolved_by, resolved_at, reason "
                                     "FROM conflict_resolutions ORDER BY resolution_id"))
