"""What the Unggah and Admin pages do with a file, without Streamlit: rights, size and type
guards, templates, preview (dry run) and commit through THE ingest engine, error reports.

The web upload enforces each signed-in user's rights (data standard, "Roles"): every call
re-reads the account from the users table, so a forged session state or a tampered widget
value cannot send another agency's dataset. Content checks are the engine's alone.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from datetime import timedelta
from pathlib import PurePath

import duckdb

from warroom import access, auth, datasets
from warroom.config import THRESHOLDS, city, today
from warroom.i18n import t

# Largest file the web upload takes. Streamlit's own cap (server.maxUploadSize, 200 MB) is
# higher on purpose, so a big file reaches us and gets a clear message in the user's language.
MAX_UPLOAD_MB = THRESHOLDS.upload_max_mb   # the one setting, also for POST /api/ingest
EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx")


class UploadRefused(Exception):
    """Refused before the engine reads a byte: rights, size, file type. Changes nothing."""

    def __init__(self, key: str, **kwargs):
        self.key, self.kwargs = key, kwargs
        super().__init__(key)

    def message(self, lang: str) -> str:
        return t(self.key, lang, **self.kwargs)


@dataclass(frozen=True)
class Sender:
    """Who sends: the account as stored now, and the OPD the rows are recorded for."""
    username: str
    role: str
    kode_opd: str


def sendable(role: str | None, kode_opd: str | None) -> list[str]:
    return [name for name in datasets.ALL if access.may_send(name, role, kode_opd)]


def default_sender_opd(dataset: str) -> str:
    """For the walidata sending on someone's behalf: the producer, else the walidata itself."""
    producer = datasets.get(dataset).producer
    return producer if producer != "*owner" else city().walidata[0]


def authorise(con: duckdb.DuckDBPyConnection, username: str | None, dataset: str,
              on_behalf_of: str | None = None) -> Sender:
    """The sender for this dataset, with the role and OPD read from the database now."""
    user = auth.get_user(con, username) if username else None
    if user is None or user.disabled:
        raise UploadRefused("unggah.refused.signin")
    if dataset not in datasets.ALL:
        raise UploadRefused("unggah.refused.dataset", dataset=dataset)
    if not access.may_send(dataset, user.role, user.kode_opd):
        raise UploadRefused("unggah.refused.rights", dataset=dataset, opd=user.kode_opd or "-")
    if user.role == "admin":
        opd = on_behalf_of or default_sender_opd(dataset)
        if not con.execute("SELECT count(*) FROM opd WHERE kode_opd = ?", [opd]).fetchone()[0]:
            raise UploadRefused("auth.unknown_opd", kode_opd=opd)
        return Sender(user.username, user.role, opd)
    return Sender(user.username, user.role, user.kode_opd)


def check_file(file_name: str, size: int) -> None:
    """Size and type, before anything is read: a 60 MB file or a PDF changes nothing."""
    if size > MAX_UPLOAD_MB * 1024 * 1024:
        raise UploadRefused("unggah.refused.too_big", name=file_name, mb=f"{size / 1024 / 1024:.1f}".replace(".", ","),
                            limit=MAX_UPLOAD_MB)
    if PurePath(file_name).suffix.lower() not in EXTENSIONS:
        raise UploadRefused("unggah.refused.not_table", name=file_name)


def ingest(con: duckdb.DuckDBPyConnection, username: str | None, dataset: str, file_name: str, data: bytes, *,
           dry_run: bool, lang: str = "id", on_behalf_of: str | None = None, progress=None,
           mapping: dict | None = None):
    """Preview (dry_run=True) or store one file through the ingest engine, after the checks above.
    `mapping`: a mapping file's object (docs/mapping.md), e.g. with a date for every row."""
    sender = authorise(con, username, dataset, on_behalf_of)
    check_file(file_name, len(data))
    from warroom.ingest import ingest_file
    # Sending on behalf of others (sumber_opd) is the walidata's signed-in admins' right only.
    return ingest_file(con, dataset, data, kode_opd=sender.kode_opd, username=sender.username,
                       file_name=file_name, dry_run=dry_run, lang=lang, progress=progress,
                       forwarding=sender.role == "admin", mapping=mapping)


def wrong_dataset_hint(result) -> bool:
    """True when the header lacks required columns (or matches none): likely another dataset's file."""
    return any(p.code.startswith("header.missing") or (p.code == "file.not_table" and p.row == 1)
               for p in result.problems)


def guess_dataset(data: bytes, chosen: str) -> str | None:
    """Another dataset whose required columns all appear in this file's header, for the message
    "this looks like X". Only a suggestion: the engine alone decides what is accepted."""
    from warroom.ingest import headers, reading
    from warroom.ingest.report import Refused
    try:
        if reading.is_xlsx(data):
            text, _ = reading.xlsx_to_text(data, chosen, "id")
        else:
            text, _ = reading.decode(reading.Source(data[:1_000_000], None), "id")
            text = text if text is not None else data[:1_000_000].decode("utf-8-sig", errors="replace")
        cells, _ = reading.header_record(text)
    except Refused:
        return None
    present = {headers.normalise(c) for c in cells}
    fits = [ds for ds in datasets.all_datasets() if ds.name != chosen
            and not ds.missing_required(present)]
    return max(fits, key=lambda ds: len(present & set(ds.columns))).name if fits else None


# --- templates -----------------------------------------------------------------------------------


def example_point() -> tuple[str, float, float]:
    """(kecamatan code, lat, lon) of a point inside the city's first kecamatan: a template's
    example row must pass the checks (the bounding box's centre can lie in the sea)."""
    return _example_point(str(city().reference["kecamatan_geojson"]))


@lru_cache(maxsize=4)   # per boundary file: another region (WARROOM_CITY) gets its own
def _example_point(path: str) -> tuple[str, float, float]:
    import json
    from shapely.geometry import shape
    features = json.loads(open(path, encoding="utf-8").read())["features"]
    first = min(features, key=lambda f: f["properties"]["kode_kec"])
    point = shape(first["geometry"]).representative_point()
    return first["properties"]["kode_kec"], point.y, point.x


def example_value(ds: datasets.Dataset, f: datasets.Field, kode_opd: str | None) -> str:
    c = city()
    yesterday = today() - timedelta(days=1)
    kind = f.kind
    if f.name == "kode_wilayah":
        return example_point()[0]
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
    """The dataset's columns, in the standard's order, and one example row (UTF-8 with BOM for Excel)."""
    ds = datasets.get(dataset)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ds.template_columns)
    writer.writerow([example_value(ds, f, kode_opd) for f in ds.fields if f.name in ds.template_columns])
    return out.getvalue().encode("utf-8-sig")


def schema_rows(dataset: str, lang: str) -> list[dict]:
    """One row per column: name, type, required, allowed values (the Katalog and the template help)."""
    out = []
    for f in datasets.get(dataset).fields:
        allowed = ", ".join(f.enum) if f.enum else _bounds(f)
        out.append({t("katalog.col.field", lang): f.name,
                    t("katalog.col.type", lang): f.kind,
                    t("katalog.col.required", lang): t("katalog.yes" if f.required else "katalog.no", lang),
                    t("katalog.col.allowed", lang): allowed})
    return out


def _bounds(f: datasets.Field) -> str:
    if f.minimum is not None and f.maximum is not None:
        return f"{f.minimum:g} – {f.maximum:g}"
    if f.minimum is not None:
        return f"≥ {f.minimum:g}"
    if f.maximum is not None:
        return f"≤ {f.maximum:g}"
    return f.spec.get("constraints", {}).get("pattern", "")


# --- error reports -------------------------------------------------------------------------------

REPORT_COLUMNS = ("row", "column", "value", "reason", "suggestion")


def report_table(result, lang: str) -> list[dict]:
    """The problems as rows with the column names in the user's language."""
    names = [t(f"unggah.report.{c}", lang) for c in REPORT_COLUMNS]
    return [dict(zip(names, ("" if r[c] is None else r[c] for c in REPORT_COLUMNS))) for r in result.report_rows()]


def file_with_errors_csv(data: bytes, dataset: str, result, lang: str) -> bytes | None:
    """The user's own file back, every row as sent, with a last column saying what is wrong
    with that row (row numbers as Excel shows them: header 1, first data row 2).
    None when the file cannot be read as a table at all (then only the report helps)."""
    from warroom.ingest import reading
    from warroom.ingest.report import Refused
    try:
        if reading.is_xlsx(data):
            text, _ = reading.xlsx_to_text(data, dataset, lang)
        else:
            text, _ = reading.decode(reading.Source(data, None), lang)
            if text is None:
                text = data.decode("utf-8-sig")
        _, delim = reading.header_record(text)
    except Refused:
        return None
    by_row: dict[int, list[str]] = {}
    for p in result.problems:
        if p.row is not None and p.row >= 2:
            by_row.setdefault(p.row, []).append(f"{p.column or '-'}: {p.reason}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for number, record in enumerate(csv.reader(io.StringIO(text), delimiter=delim), start=1):
        extra = t("unggah.report.error_column", lang) if number == 1 else "; ".join(by_row.get(number, []))
        writer.writerow([*record, extra])
    return out.getvalue().encode("utf-8-sig")


def report_csv(result, lang: str) -> bytes:
    out = io.StringIO()
    rows = report_table(result, lang)
    names = [t(f"unggah.report.{c}", lang) for c in REPORT_COLUMNS]
    writer = csv.DictWriter(out, fieldnames=names, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")
