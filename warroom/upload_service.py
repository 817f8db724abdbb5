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
from pathlib import PurePath

import duckdb

from warroom import access, auth, datasets, db, templates
from warroom.config import THRESHOLDS
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
        if not db.scalar(con, "SELECT count(*) FROM opd WHERE kode_opd = ?", [opd]):
            raise UploadRefused("auth.unknown_opd", kode_opd=opd)
        return Sender(user.username, user.role, opd)
    if not user.kode_opd:   # may_send lets only staff with an OPD through: kept explicit for the type
        raise UploadRefused("unggah.refused.rights", dataset=dataset, opd="-")
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
            decoded, _ = reading.decode(reading.Source(data[:1_000_000], None), "id")
            text = decoded if decoded is not None else data[:1_000_000].decode("utf-8-sig", errors="replace")
        cells, _ = reading.header_record(text)
    except Refused:
        return None
    present = {headers.normalise(c) for c in cells}
    fits = [ds for ds in datasets.all_datasets() if ds.name != chosen
            and not ds.missing_required(present)]
    return max(fits, key=lambda ds: len(present & set(ds.columns))).name if fits else None


# --- templates -----------------------------------------------------------------------------------


# One generator for the page and the command line (warroom.templates).
template_csv = templates.template_csv
default_sender_opd = templates.default_sender_opd


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


def _as_sent(data: bytes, dataset: str, lang: str):
    """(text of the file as a table, its delimiter, the clerk's form), or None when it is not a
    table at all. A workbook's text is comma-separated; the clerk gets Excel-Indonesia CSV."""
    from warroom import export_csv
    from warroom.ingest import reading
    from warroom.ingest.report import Refused
    try:
        if reading.is_xlsx(data):
            sheet_text, _ = reading.xlsx_to_text(data, dataset, lang)
            return sheet_text, ",", export_csv.ClerkForm.of_upload(";", None, is_xlsx=True)
        decoded, encoding = reading.decode(reading.Source(data, None), lang)
        text = decoded if decoded is not None else data.decode("utf-8-sig")
        _, delim = reading.header_record(text)
    except Refused:
        return None
    return text, delim, export_csv.ClerkForm.of_upload(delim, encoding)


def clerk_form(data: bytes | None, dataset: str, lang: str):
    """The delimiter and encoding files sent back to this clerk use (those of the upload)."""
    from warroom import export_csv
    read = _as_sent(data, dataset, lang) if data is not None else None
    return read[2] if read else export_csv.ClerkForm(";", "utf-8-sig")


def file_with_errors_csv(data: bytes, dataset: str, result, lang: str) -> bytes | None:
    """The user's own file back, every row as sent, with a last column saying what is wrong
    with that row (row numbers as Excel shows them: header 1, first data row 2), in the
    file's own delimiter and encoding. None when the file cannot be read as a table at all
    (then only the report helps)."""
    read = _as_sent(data, dataset, lang)
    if read is None:
        return None
    text, sep, form = read
    by_row: dict[int, list[str]] = {}
    for p in result.problems:
        if p.row is not None and p.row >= 2:
            by_row.setdefault(p.row, []).append(f"{p.column or '-'}: {p.reason}")
    header_row = 1 + getattr(result, "title_rows", 0)

    def rows():
        for number, record in enumerate(csv.reader(io.StringIO(text), delimiter=sep), start=1):
            extra = t("unggah.report.error_column", lang) if number == header_row else "; ".join(by_row.get(number, []))
            yield [*record, extra]
    return form.to_bytes(rows())


def report_csv(result, lang: str, data: bytes | None = None, dataset: str | None = None) -> bytes:
    """The problems as a table, in the form of the clerk's upload (`data`), else Excel-Indonesia."""
    names = [t(f"unggah.report.{c}", lang) for c in REPORT_COLUMNS]
    form = clerk_form(data, dataset or result.dataset, lang)
    body = [[row[n] for n in names] for row in report_table(result, lang)]
    return form.to_bytes([names, *body])
