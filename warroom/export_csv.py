"""THE writer of every file a person or system takes out (data standard v2, "Downloads and
exports"): each page's download buttons, `python -m warroom export NAME`, the API.

Two forms with the same values, from the same typed columns:
- standard CSV: UTF-8, `,`, `.` decimal mark, LF, ISO dates;
- Excel-Indonesia CSV: UTF-8 with BOM, `;`, decimal comma on every number, CRLF.
In both: counts are whole numbers (`2`, never `2.0`), measures are rounded half away from
zero to 2 decimals, coordinates to 6, no thousands separator, "not available" is an empty
cell, and a text cell a spreadsheet would run as a formula gets a leading `'` (the ingest
gate strips it again, so an export round-trips).

A column's kind comes from the data standard's schema (by column name), from the kinds
declared here for derived columns, or from the caller; only an undeclared column falls
back to its pandas dtype. Never from the values themselves: a count column holding `2.0`
is still written `2`.

No pandas import at module level: the command line stays fast.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

COUNT, MEASURE, COORD, DATE, TIMESTAMP, TEXT = "count", "measure", "coord", "date", "timestamp", "text"
AUTO = "auto"   # an undeclared column of mixed values: each number as a measure, the rest as text
STANDARD, EXCEL_ID = "csv", "excel-id"
FORMS = (STANDARD, EXCEL_ID)
MEASURE_PLACES, COORD_PLACES = 2, 6

# Characters that make a spreadsheet run a cell as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Derived columns (computed, not in any schema): their declared kind.
DERIVED_KINDS: dict[str, str] = {
    # Covid measures (warroom.covid, queries/covid_*)
    "kasus_7hari_per_100rb": MEASURE, "rawat_inap_7hari_per_100rb": MEASURE,
    "meninggal_7hari_per_100rb": MEASURE, "positivity_7hari_persen": MEASURE, "positivity_persen": MEASURE,
    "kasus_rerata_7hari": MEASURE, "cfr_persen": MEASURE, "bor_persen": MEASURE, "bor_isolasi_persen": MEASURE,
    "level_ppkm": COUNT, "indikator_tersedia": TEXT,
    "aktif": COUNT, "kasus_kumulatif": COUNT, "sembuh_kumulatif": COUNT, "meninggal_kumulatif": COUNT,
    "kasus_7hari": COUNT, "rawat_inap_7hari": COUNT, "meninggal_7hari": COUNT,
    # Kinerja (warroom.kinerja)
    "capaian_persen": MEASURE, "skor": MEASURE, "kategori": TEXT, "bulan": TEXT,
    "n_indikator": COUNT, "n_dilaporkan": COUNT,
    # Lineage
    "sumber_opd": TEXT, "upload_id": COUNT,
}

_SCHEMA_KINDS = {"int": COUNT, "number": MEASURE, "date": DATE, "timestamp": TIMESTAMP}


@lru_cache(maxsize=1)
def schema_kinds() -> dict[str, str]:
    """Column name -> kind, from every dataset's schema (coordinates by name)."""
    from warroom import datasets
    out: dict[str, str] = {}
    for ds in datasets.all_datasets():
        for f in ds.fields:
            kind = COORD if f.name in ("latitude", "longitude") else _SCHEMA_KINDS.get(f.kind, TEXT)
            out.setdefault(f.name, kind)
    return out


def kind_of(column: str, declared: Mapping[str, str] | None = None) -> str | None:
    """The declared kind of a column, or None when nothing declares it."""
    if declared and column in declared:
        return declared[column]
    return DERIVED_KINDS.get(column) or schema_kinds().get(column)


# --- one value ---------------------------------------------------------------------------------


def _missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value) or math.isinf(value)
    try:   # pandas NA / NaT without importing pandas
        return type(value).__name__ in ("NAType", "NaTType")
    except Exception:   # pragma: no cover
        return False


def _is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, Decimal)):
        return True
    return type(value).__module__ == "numpy" and hasattr(value, "dtype") and value.dtype.kind in "iuf"


def round_half_away(value, places: int) -> Decimal:
    """Rounded half away from zero (not banker's rounding), from the shortest repr of the value."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _plain(d: Decimal) -> str:
    """A decimal without exponent, thousands separator or trailing zeros; never `-0`."""
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def number_text(value, kind: str) -> str:
    """A number in standard form (dot decimal) for its kind."""
    try:
        if kind == COUNT:
            d = round_half_away(value, 0) if not isinstance(value, int) else Decimal(value)
            return _plain(d)
        places = COORD_PLACES if kind == COORD else MEASURE_PLACES
        return _plain(round_half_away(value, places))
    except (InvalidOperation, ValueError, OverflowError):
        return ""


def neutralise(text: str) -> str:
    """A text cell a spreadsheet would run as a formula gets one leading `'` (also a text that
    already starts with `'` + such a character, so stripping one `'` on re-import gives it back)."""
    if text.startswith(FORMULA_START) or (text[:1] == "'" and text[1:2] in FORMULA_START and text[1:2] != ""):
        return "'" + text
    return text


def strip_neutraliser(text: str) -> str:
    """What the ingest gate does with a cell of an exported file: the inverse of neutralise."""
    if text[:1] == "'" and neutralise(text[1:]) == text:
        return text[1:]
    return text


def cell(value, kind: str | None, form: str = STANDARD) -> str:
    """One value as written in `form`."""
    if _missing(value):
        return ""
    if isinstance(value, _dt.datetime) or type(value).__name__ == "Timestamp":
        midnight = value.hour == value.minute == value.second == 0 and not getattr(value, "microsecond", 0)
        if kind == DATE or (kind in (None, AUTO) and midnight):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if _is_number(value) and kind not in (TEXT, DATE, TIMESTAMP):
        text = number_text(value, kind if kind in (COUNT, COORD) else MEASURE)
        return text.replace(".", ",") if form == EXCEL_ID else text
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(str(value))


# --- one table -----------------------------------------------------------------------------------


class Writer:
    """Rows in, bytes (or text to a stream) out, in one form."""

    def __init__(self, form: str = STANDARD):
        if form not in FORMS:
            raise ValueError(f"unknown form {form!r}; known: {', '.join(FORMS)}")
        self.form = form
        self.sep = ";" if form == EXCEL_ID else ","
        self.eol = "\r\n" if form == EXCEL_ID else "\n"
        self.bom = "\ufeff" if form == EXCEL_ID else ""

    def write(self, out, header: Sequence[str], kinds: Sequence[str | None], rows: Iterable[Iterable]) -> int:
        """Header and rows to a text stream; the number of data rows."""
        out.write(self.bom)
        writer = csv.writer(out, delimiter=self.sep, lineterminator=self.eol)
        writer.writerow([neutralise(str(h)) for h in header])
        n = 0
        form = self.form
        for row in rows:
            writer.writerow([cell(v, k, form) for v, k in zip(row, kinds)])
            n += 1
        return n

    def to_bytes(self, header: Sequence[str], kinds: Sequence[str | None], rows: Iterable[Iterable]) -> bytes:
        buf = io.StringIO()
        self.write(buf, header, kinds, rows)
        return buf.getvalue().encode("utf-8")


def frame_kinds(df, declared: Mapping[str, str] | None = None) -> list[str]:
    """Each column's kind: declared (by the caller, the derived list or the schema), else from
    the column's dtype (integer -> count, float -> measure, datetime -> date, other -> auto)."""
    out = []
    for name in df.columns:
        kind = kind_of(str(name), declared)
        if kind is None:
            dtype = df[name].dtype
            kind = {"i": COUNT, "u": COUNT, "f": MEASURE, "M": AUTO, "b": TEXT}.get(dtype.kind, AUTO)
        out.append(kind)
    return out


def frame_bytes(df, form: str = STANDARD, kinds: Mapping[str, str] | None = None) -> bytes:
    """A pandas frame (a page's table) through the writer."""
    return Writer(form).to_bytes([str(c) for c in df.columns], frame_kinds(df, kinds),
                                 df.itertuples(index=False, name=None))


def standard(df, kinds: Mapping[str, str] | None = None) -> bytes:
    return frame_bytes(df, STANDARD, kinds)


def excel_indonesia(df, kinds: Mapping[str, str] | None = None) -> bytes:
    return frame_bytes(df, EXCEL_ID, kinds)


# --- the clerk's own form (error report, "your file + errors") -----------------------------------

_NUMBER_AS_SENT = re.compile(r"^\s*[+-]?(\d[\d.,\s]*|[.,]\d+)\s*%?\s*$")


class ClerkForm:
    """The form a clerk's file came in: delimiter, encoding (with or without BOM); files
    written back to that clerk (error report, annotated file) use it, CRLF, so they open in
    the clerk's spreadsheet as the upload did. Cells are text as sent: a number stays exactly
    as written (its decimal mark included); a text that would run as a formula gets a `'`."""

    def __init__(self, sep: str = ",", encoding: str = "utf-8-sig"):
        self.sep, self.encoding = sep, encoding

    @classmethod
    def of_upload(cls, sep: str, encoding_name: str | None, is_xlsx: bool = False) -> "ClerkForm":
        if is_xlsx:   # a workbook: Excel in Indonesian opens `;` CSV with a BOM as a table
            return cls(";", "utf-8-sig")
        codec = {"UTF-8": "utf-8", "UTF-8 BOM": "utf-8-sig", "UTF-16": "utf-16",
                 "Windows-1252": "cp1252", "Latin-1": "latin-1"}.get(encoding_name or "", "utf-8-sig")
        return cls(sep, codec)

    def cell(self, value) -> str:
        text = "" if value is None else str(value)
        return text if _NUMBER_AS_SENT.match(text) else neutralise(text)

    def to_bytes(self, rows: Iterable[Iterable]) -> bytes:
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=self.sep, lineterminator="\r\n")
        for row in rows:
            writer.writerow([self.cell(v) for v in row])
        return buf.getvalue().encode(self.encoding, errors="replace")
