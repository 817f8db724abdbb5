"""Region and agency references: dotted and undotted codes, BPS codes and names -> codes.

Resolution runs in Python over the DISTINCT values of a column (a few hundred even in a
million-row file) and is handed to DuckDB as a small mapping table joined in bulk.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

KEL_PREFIX = re.compile(r"^(kelurahan|kel\.?)\s+", re.I)
KEC_PREFIX = re.compile(r"^(kecamatan|kec\.?)\s+", re.I)
DOTTED_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


@dataclass
class Resolved:
    code: str | None
    problem: str | None = None      # code.unknown | code.ambiguous | name.unknown | name.ambiguous
    detail: dict | None = None
    via: str | None = None          # dotted | kemendagri | bps | name
    level: str | None = None        # tingkat of the code (wilayah only): the preview shows it


class WilayahIndex:
    def __init__(self, rows: list[tuple[str, str, str, str | None]]):
        self.codes = {r[0] for r in rows}
        self.names = {r[0]: r[1] for r in rows}
        self.levels = {r[0]: r[2] for r in rows}
        self.undotted = {r[0].replace(".", ""): r[0] for r in rows}
        self.bps = {r[3]: r[0] for r in rows if r[3]}
        self.by_level: dict[str, dict[str, list[str]]] = {}
        for code, nama, tingkat, _ in rows:
            self.by_level.setdefault(tingkat, {}).setdefault(nama.strip().lower(), []).append(code)
        self.all_names = sorted({r[1] for r in rows})

    @classmethod
    def from_db(cls, con: duckdb.DuckDBPyConnection, extra_codes: Sequence[str] = ()) -> "WilayahIndex":
        rows = con.execute("SELECT kode_wilayah, nama, tingkat, kode_bps FROM wilayah").fetchall()
        idx = cls(rows)
        idx.codes |= set(extra_codes)
        return idx

    def resolve(self, raw: str) -> Resolved:
        res = self._resolve(raw)
        if res.code:
            res.level = self.levels.get(res.code)
        return res

    def _resolve(self, raw: str) -> Resolved:
        value = raw.strip()
        if value in self.codes:
            return Resolved(value, via="dotted")
        digits = value.replace(" ", "")
        if digits.isdigit():
            kem, bps = self.undotted.get(digits), self.bps.get(digits)
            if kem and bps and kem != bps:
                return Resolved(None, "code.ambiguous", {"kemendagri": kem, "bps": bps})
            if kem:
                return Resolved(kem, via="kemendagri")
            if bps:
                return Resolved(bps, via="bps")
            return Resolved(None, "code.unknown", {})
        if DOTTED_RE.match(value):
            return Resolved(None, "code.unknown", {})
        return self.resolve_name(value)

    def resolve_name(self, value: str) -> Resolved:
        levels: tuple[str, ...] = ("kecamatan", "kelurahan", "kota", "provinsi")
        name, prefix = value, None
        kel, kec = KEL_PREFIX.match(value), KEC_PREFIX.match(value)
        if kel:
            name, levels, prefix = KEL_PREFIX.sub("", value), ("kelurahan",), kel.group(1)
        elif kec:
            name, levels, prefix = KEC_PREFIX.sub("", value), ("kecamatan",), kec.group(1)
        key = " ".join(name.split()).lower()
        for level in levels:
            hits = self.by_level.get(level, {}).get(key)
            if hits and len(hits) == 1:
                return Resolved(hits[0], via="name")
            if hits:
                return Resolved(None, "name.ambiguous", {"codes": ", ".join(sorted(hits))})
        return Resolved(None, "name.unknown", {"near": ", ".join(self.near(name, levels, prefix))})

    def near(self, name: str, levels: tuple[str, ...], prefix: str | None) -> list[str]:
        """The nearest official names AT THE LEVEL THE CLERK WROTE, each written so that it
        reads back at that level, with its code: `Kel. Marisso` -> `Kel. Mariso (73.71.01.1006)`
        (typed as plain `Mariso` it would be the kecamatan)."""
        candidates: dict[str, list[tuple[str, str]]] = {}
        for level in levels:
            for lower, codes in self.by_level.get(level, {}).items():
                for code in codes:
                    candidates.setdefault(self.names[code], []).append((level, code))
        near = difflib.get_close_matches(" ".join(name.split()).title(), sorted(candidates), n=3, cutoff=0.6)
        out = []
        for official in near:
            for level, code in sorted(candidates[official], key=lambda lc: levels.index(lc[0])):
                out.append(f"{self.written_as(official, level, prefix)} ({code})")
        return out[:4]

    def written_as(self, official: str, level: str, prefix: str | None) -> str:
        """How to write a name so that the importer reads it at `level`."""
        if prefix:   # keep the clerk's own prefix (Kel., Kelurahan, Kec., Kecamatan)
            return f"{prefix} {official}"
        shadowed = level == "kelurahan" and official.strip().lower() in self.by_level.get("kecamatan", {})
        return f"Kel. {official}" if shadowed else official


class OpdIndex:
    def __init__(self, codes: list[str]):
        self.codes = set(codes)

    @classmethod
    def from_db(cls, con) -> "OpdIndex":
        return cls([r[0] for r in con.execute("SELECT kode_opd FROM opd").fetchall()])

    def resolve(self, raw: str) -> Resolved:
        value = raw.strip().upper().replace(" ", "_")
        if value in self.codes:
            return Resolved(value, via="dotted")
        near = difflib.get_close_matches(value, sorted(self.codes), n=3, cutoff=0.5)
        return Resolved(None, "opd.unknown", {"near": ", ".join(near)})
