"""THE template generator (the Unggah and Katalog buttons and `python -m warroom template`
write the same bytes) and the check that a template's example row never becomes data.

A template is the dataset's columns in the standard's order and one example row that would
pass every check (so a clerk sees valid forms), in Excel-Indonesia-friendly CSV: UTF-8 with
BOM, CRLF. Sent back as it was downloaded, the example row is refused (data standard v2,
"What an upload refuses"): a row equal to the example in every column but the dates (the
template may have been downloaded another day) and the sender's code.
"""
from __future__ import annotations

import csv
import io
from datetime import timedelta
from functools import lru_cache

from warroom import datasets
from warroom.config import city, today


def default_sender_opd(dataset: str) -> str:
    """For the walidata sending on someone's behalf: the producer, else the walidata itself."""
    producer = datasets.get(dataset).producer
    return producer if producer != "*owner" else city().walidata[0]


def example_point() -> tuple[str, float, float]:
    """(kecamatan code, lat, lon) of a point inside the city's first kecamatan: a template's
    example row must pass the checks (the bounding box's centre can lie in the sea)."""
    return _example_point(str(city().reference["kecamatan_geojson"]))


def example_area() -> str:
    """The code of the city's first kecamatan, the example row's area (without shapely, whose
    import costs an upload a tenth of a second: the example-row check needs only the code)."""
    return _first_kecamatan(str(city().reference["kecamatan_geojson"]))["properties"]["kode_kec"]


@lru_cache(maxsize=4)   # per boundary file: another region (WARROOM_CITY) gets its own
def _first_kecamatan(path: str) -> dict:
    import json
    features = json.loads(open(path, encoding="utf-8").read())["features"]
    return min(features, key=lambda f: f["properties"]["kode_kec"])


@lru_cache(maxsize=4)
def _example_point(path: str) -> tuple[str, float, float]:
    from shapely.geometry import shape
    first = _first_kecamatan(path)
    point = shape(first["geometry"]).representative_point()
    return first["properties"]["kode_kec"], point.y, point.x


# Columns whose example changes with the day or the sender: not compared when looking for it.
def _varies(f: datasets.Field) -> bool:
    return f.kind in ("date", "timestamp") or f.name in ("kode_opd", "periode")


def example_value(ds: datasets.Dataset, f: datasets.Field, kode_opd: str | None) -> str:
    c = city()
    yesterday = today() - timedelta(days=1)
    kind = f.kind
    if f.name == "kode_wilayah":
        return example_area()
    if f.name == "kode_induk":
        return c.kode
    if f.name == "kode_opd":
        return kode_opd or default_sender_opd(ds.name)
    if f.name == "latitude":
        return f"{example_point()[1]:.5f}"
    if f.name == "longitude":
        return f"{example_point()[2]:.5f}"
    if f.name == "periode":
        first = today().replace(day=1) - timedelta(days=1)
        return f"{first:%Y-%m}"
    if f.enum:
        return f.enum[0]
    if kind == "date":
        return yesterday.isoformat()
    if kind == "timestamp":
        return f"{yesterday.isoformat()} 08:00:00"
    if kind == "int":
        return "1"
    if kind == "number":
        return "1.5"
    if "x-url-schemes" in f.spec:
        return f"{f.spec['x-url-schemes'][0]}://contoh.local/stream"
    if f.name == "url":
        return "https://contoh.go.id"
    if f.name.startswith("kode_"):
        return "CONTOH-001"
    return "contoh"


def template_csv(dataset: str, kode_opd: str | None = None) -> bytes:
    """The columns a sender fills in (`Dataset.template_columns`), in the standard's order, and
    one example row (UTF-8 with BOM, CRLF)."""
    ds = datasets.get(dataset)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ds.template_columns)
    writer.writerow([example_value(ds, f, kode_opd) for f in ds.fields if f.name in ds.template_columns])
    return out.getvalue().encode("utf-8-sig")


def example_values(ds: datasets.Dataset, present: set[str]) -> dict[str, str]:
    """The columns a row must equal, as text, to be the template's example; none when no
    row can be. Only a file carrying every column of the template can hold it as downloaded;
    a real row with an empty optional column never matches (the example fills every column)."""
    if not set(ds.template_columns) <= present:
        return {}
    return {f.name: example_value(ds, f, None) for f in ds.fields if f.name in ds.template_columns and not _varies(f)}


def example_rows(con, ds: datasets.Dataset, present: set[str], raw_table: str, limit: int = 20) -> list[int]:
    """Rows (numbered as Excel numbers them) of the raw upload equal to the template's example."""
    compared = example_values(ds, present)
    if not compared:
        return []
    where = " AND ".join(f'trim("{name}") = ?' for name in compared)
    return [r[0] for r in con.execute(
        f"SELECT rowid + 2 FROM {raw_table} WHERE {where} ORDER BY rowid LIMIT {limit}", list(compared.values())
    ).fetchall()]
