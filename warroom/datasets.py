"""The datasets of the data standard, read from their Table Schema JSON files.

The JSON files in `warroom/schemas/` are the single description from which the DDL,
the validator, the CSV templates and the docs are generated.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from warroom import PACKAGE

SCHEMA_DIR = PACKAGE / "schemas"

# Table Schema type (or our x-type refinement) -> DuckDB column type.
SQL_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "boolean": "BOOLEAN",
}

# Columns every stored row carries besides the standard's own (lineage).
LINEAGE_COLUMNS = (("sumber_opd", "VARCHAR NOT NULL"), ("upload_id", "BIGINT NOT NULL"))

REFERENCE = ("wilayah", "opd")
FACTS = ("covid19_harian", "kinerja_opd", "cctv", "menara_bts", "fasyankes", "aplikasi")
ALL = REFERENCE + FACTS


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    enum: tuple[str, ...] | None
    minimum: float | None
    maximum: float | None
    spec: dict

    @property
    def kind(self) -> str:
        """The standard's type: date, timestamp, int, number, text, enum or code."""
        if "x-type" in self.spec:
            return self.spec["x-type"]
        return {"integer": "int", "datetime": "timestamp", "string": "text"}.get(self.type, self.type)

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]


@dataclass(frozen=True)
class Dataset:
    name: str
    spec: dict

    @property
    def fields(self) -> list[Field]:
        out = []
        for f in self.spec["fields"]:
            c = f.get("constraints", {})
            out.append(Field(f["name"], f["type"], bool(c.get("required")),
                             tuple(c["enum"]) if "enum" in c else None,
                             c.get("minimum"), c.get("maximum"), f))
        return out

    @property
    def columns(self) -> list[str]:
        return [f["name"] for f in self.spec["fields"]]

    @property
    def template_columns(self) -> list[str]:
        """The columns a sender fills in: without alternative forms (`x-alternative-to`, e.g. the
        cumulative totals of covid19_harian) and derived flags (`x-derived`)."""
        return [f["name"] for f in self.spec["fields"]
                if not f.get("x-alternative-to") and not f.get("x-derived")]

    def missing_required(self, present) -> list[str]:
        """Required columns not among `present`; a daily count is also given by its cumulative
        form (`x-cumulative`, data standard v2 "Cumulative form")."""
        return [f.name for f in self.fields if f.required and f.name not in present
                and f.spec.get("x-cumulative") not in present]

    @property
    def key(self) -> list[str]:
        return list(self.spec["primaryKey"])

    @property
    def is_reference(self) -> bool:
        return bool(self.spec.get("x-reference"))

    @property
    def producer(self) -> str:
        """Producing OPD; '*owner' means the row's own `kode_opd` (kinerja_opd)."""
        return self.spec["x-producer"]

    @property
    def cosenders(self) -> list[str]:
        return list(self.spec.get("x-cosenders", []))

    @property
    def frequency(self) -> str:
        return self.spec["x-frequency"]

    @property
    def title(self) -> str:
        return self.spec.get("title", self.name)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


@lru_cache(maxsize=None)
def get(name: str) -> Dataset:
    path = SCHEMA_DIR / f"{name}.json"
    if name not in ALL or not path.exists():
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(ALL)}")
    return Dataset(name, json.loads(path.read_text(encoding="utf-8")))


def all_datasets() -> list[Dataset]:
    return [get(n) for n in ALL]
