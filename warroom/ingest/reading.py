"""From a file (path or bytes) to a DuckDB temp table of text: encoding, delimiter, xlsx
(read_pretyped: a clean file with its numbers and dates typed in the same pass).

Python only looks at bytes (BOM, NULs, whether the whole file is valid UTF-8) and at the
header line; DuckDB's CSV reader does the parsing. Files that are already UTF-8 are read
by DuckDB in place; other encodings are transcoded once to a temp UTF-8 file.
"""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from warroom import db
from warroom.ingest.report import Refused, problem

RAW_TABLE = "ingest_raw"
DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}  # label keys ingest.delim.*
_NOT_BLANK = re.compile(rb"[^ \t\r\n\x00\xef\xbb\xbf\xff\xfe]")  # a byte other than space, NUL or a BOM's


@dataclass
class Source:
    """The bytes of an upload with what was learned about them."""
    data: bytes
    file_name: str | None
    path: Path | None = None          # read in place when it is UTF-8 already
    notes: list[str] = field(default_factory=list)


def open_source(source, file_name: str | None) -> Source:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return Source(bytes(source), file_name)
    path = Path(source)
    return Source(path.read_bytes(), file_name or path.name, path)


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def decode(src: Source, lang: str) -> tuple[str | None, str]:
    """(text, encoding name). Text is None when the file is UTF-8 already and can be read in place."""
    data = src.data
    if not _NOT_BLANK.search(data):     # found at the first byte of any real file: no copy of it
        raise Refused([problem("file.empty", lang)])
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise Refused([problem("file.binary", lang)])
    head = data[:65536]
    if b"\x00" in head:
        raise Refused([problem("file.binary", lang)])
    if data.isascii():                  # the usual file: UTF-8 without decoding it whole (0.03 s at 49 MB)
        return None, "UTF-8"
    bom = data[:3] == b"\xef\xbb\xbf"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        return (None if not bom else text), ("UTF-8 BOM" if bom else "UTF-8")
    try:
        text = data.decode("cp1252")
        enc = "Windows-1252"
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        enc = "Latin-1"
    if _looks_binary(text):
        raise Refused([problem("file.binary", lang)])
    return text, enc


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    return control > len(sample) * 0.01


def header_record(text: str) -> tuple[list[str], str]:
    """The header's cells and the delimiter: the candidate that splits the header most
    (quotes respected); a comma when none does."""
    first = _first_record(text)
    best, best_cells = ",", None
    for delim in DELIMITERS:
        cells = next(csv.reader(io.StringIO(first), delimiter=delim), [])
        if best_cells is None or len(cells) > len(best_cells):
            best, best_cells = delim, cells
    return [c.strip() for c in (best_cells or [])], best


def _first_record(text: str) -> str:
    """Text up to the first line break outside quotes."""
    inside = False
    for i, ch in enumerate(text[:1_000_000]):
        if ch == '"':
            inside = not inside
        elif ch in "\r\n" and not inside:
            return text[:i]
    return text[:1_000_000]


# Bounds of an .xlsx read (issue 15): a workbook is a zip of XML, so a small file can claim a
# huge sheet (a cell at XFD1048576 and `<dimension ref="A1:XFD1048576"/>`: openpyxl pads every
# row to the full width) or unpack to gigabytes. Checked before openpyxl builds any row.
XLSX_MAX_UNPACKED_MB = 300           # all parts of the workbook together, unpacked
XLSX_MAX_RATIO = 100                 # unpacked / packed, beyond XLSX_RATIO_FROM_MB unpacked
XLSX_RATIO_FROM_MB = 16
XLSX_MAX_COLUMNS = 1024              # a dataset has some twenty columns; Excel allows 16,384
XLSX_MAX_ROWS = 1_048_576            # Excel's own limit, empty rows between data rows included
XLSX_MAX_CELLS = 40_000_000          # cells read, empty ones inside rows included (a million rows of 40)
XLSX_MAX_SECONDS = 300.0             # a read that is still running after this is refused


def check_xlsx_package(data: bytes, lang: str) -> None:
    """Refuse a workbook that unpacks too large (declared sizes: zipfile never reads past them)."""
    import zipfile
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(max(0, info.file_size) for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise Refused([problem("file.not_table", lang)])
    mb = unpacked / 1024 / 1024
    if mb > XLSX_MAX_UNPACKED_MB:
        raise Refused([problem("file.xlsx_unpacked", lang, mb=f"{mb:,.0f}".replace(",", "."),
                               limit=XLSX_MAX_UNPACKED_MB)])
    if mb > XLSX_RATIO_FROM_MB and unpacked > XLSX_MAX_RATIO * max(1, len(data)):
        raise Refused([problem("file.xlsx_ratio", lang, ratio=unpacked // max(1, len(data)), limit=XLSX_MAX_RATIO)])


def _column_letters(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xlsx_to_text(data: bytes, sheet_name: str, lang: str) -> tuple[str, str]:
    """The sheet named after the dataset (else the first) as CSV text; cells written canonically.
    Bounded: unpacked size, columns, rows and time (see the XLSX_* limits above)."""
    import datetime as _dt
    import time

    import openpyxl
    check_xlsx_package(data, lang)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise Refused([problem("file.not_table", lang)])
    try:
        names = {n.lower(): n for n in wb.sheetnames}
        chosen = names.get(sheet_name.lower(), wb.sheetnames[0] if wb.sheetnames else None)
        if chosen is None:
            raise Refused([problem("file.empty", lang)])
        sheet = wb[chosen]
        # The sheet's own <dimension> is a claim, not a fact: without it every row is only as
        # wide as its last cell, and rows are padded below to the widest row actually read.
        sheet.reset_dimensions()
        deadline = time.monotonic() + XLSX_MAX_SECONDS
        records: list[list[str]] = []
        width = cells_read = 0
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > XLSX_MAX_ROWS:
                raise Refused([problem("file.xlsx_rows", lang, limit=f"{XLSX_MAX_ROWS:,}".replace(",", "."))])
            if len(row) > XLSX_MAX_COLUMNS:
                last = max(i for i, v in enumerate(row, start=1) if v is not None)
                raise Refused([problem("file.xlsx_columns", lang, row=number, column=_column_letters(last),
                                       limit=XLSX_MAX_COLUMNS)])
            cells_read += len(row)
            if cells_read > XLSX_MAX_CELLS:
                raise Refused([problem("file.xlsx_cells", lang, row=number,
                                       limit=f"{XLSX_MAX_CELLS:,}".replace(",", "."))])
            if number % 256 == 0 and time.monotonic() > deadline:
                raise Refused([problem("file.xlsx_time", lang, row=number, limit=int(XLSX_MAX_SECONDS))])
            if not row:
                continue
            cells = []
            for v in row:
                if v is None:
                    cells.append("")
                elif isinstance(v, bool):
                    cells.append("TRUE" if v else "FALSE")
                elif isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
                    cells.append(str(int(v)))
                elif isinstance(v, _dt.datetime):
                    cells.append(v.date().isoformat() if v.time() == _dt.time(0) else v.isoformat(sep=" "))
                elif isinstance(v, _dt.date):
                    cells.append(v.isoformat())
                else:
                    cells.append(str(v))
            while cells and cells[-1] == "":
                cells.pop()
            if cells:
                records.append(cells)
                width = max(width, len(cells))
    finally:
        wb.close()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for cells in records:
        writer.writerow(cells + [""] * (width - len(cells)))
    return out.getvalue(), chosen


def _text_columns(wanted: dict[str, int], untrimmed: set[str] | frozenset[str]) -> str:
    """The select list of the wanted columns (standard name -> position) as text; columns in
    `untrimmed` (numbers: TRY_CAST ignores spaces) skip the trim, which costs as much as the
    CSV parsing itself on a million rows."""
    return ", ".join((f"c{i} AS {name}" if name in untrimmed else f"NULLIF(trim(c{i}), '') AS {name}")
                     for name, i in wanted.items()) or "1 AS _dummy"


def _csv_options(delim: str, ncols: int) -> dict:
    """read_csv's options for every column as text, as the header said."""
    return dict(header=True, delim=delim, quote='"', escape='"', auto_detect=False,
                columns={f"c{i}": "VARCHAR" for i in range(ncols)})


def _read_csv(opts: dict) -> str:
    return "read_csv($path, " + ", ".join(f"{k} := ${k}" for k in opts) + ")"


def read_into_duckdb(con: duckdb.DuckDBPyConnection, path: str, delim: str, ncols: int,
                     wanted: dict[str, int], lang: str, untrimmed: set[str] | frozenset[str] = frozenset()) -> int:
    """Load the wanted columns (standard name -> position) as text into RAW_TABLE; rows read."""
    select = _text_columns(wanted, untrimmed)
    base = _csv_options(delim, ncols)
    attempts = [base, dict(base, null_padding=True, parallel=False)]
    last = None
    for opts in attempts:
        try:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {RAW_TABLE} AS SELECT {select} "
                        f"FROM {_read_csv(opts)}", dict(opts, path=path))
            return db.scalar(con, f"SELECT count(*) FROM {RAW_TABLE}")
        except duckdb.Error as exc:
            last = exc
    line = _line_of(str(last))
    raise Refused([problem("file.malformed", lang, row=line, detail=str(last).splitlines()[0][:200])])


PRETYPED = "__t_"   # prefix of a column read_pretyped types while it reads


def read_pretyped(con: duckdb.DuckDBPyConnection, path: str, delim: str, ncols: int, wanted: dict[str, int],
                  untrimmed: set[str] | frozenset[str], typed: dict[str, str]) -> int | None:
    """The read of a clean file in one pass: like read_into_duckdb, but each column of `typed`
    (name -> its SQL in the default format, over the text column) is typed as it is read, into
    `__t_<name>`, and its text is kept only where that gave NULL (a blank, or a value the
    default format cannot read). None (and no table) when any such text is not blank, or the
    file cannot be read so: then read_into_duckdb reads it, and the formats are decided on the
    whole text (values.decide_formats) and every problem is found as before. On a million
    rows this saves writing the numbers as text and typing them in a second pass
    (read + type 0.58 -> 0.50 s, bench/README.md)."""
    opts = _csv_options(delim, ncols)
    typing = "".join(f", {expr} AS {PRETYPED}{name}" for name, expr in typed.items())
    kept = ", ".join(f"CASE WHEN {PRETYPED}{name} IS NULL THEN {name} END AS {name}" for name in typed)
    sql = (f"CREATE OR REPLACE TEMP TABLE {RAW_TABLE} AS SELECT * {f'REPLACE ({kept})' if kept else ''} FROM ("
           f"SELECT *{typing} FROM (SELECT {_text_columns(wanted, untrimmed)} FROM {_read_csv(opts)}))")
    try:
        con.execute(sql, dict(opts, path=path))
    except duckdb.InterruptException:
        raise                      # stopped on purpose: not a reason to read it again as text
    except duckdb.Error:
        return None
    if typed:
        unread = db.one_row(con, "SELECT " + ", ".join(f"count(*) FILTER (WHERE trim({name}) <> '')" for name in typed)
                            + f" FROM {RAW_TABLE}")
        if any(unread):
            con.execute(f"DROP TABLE {RAW_TABLE}")
            return None
    return db.scalar(con, f"SELECT count(*) FROM {RAW_TABLE}")


def _line_of(message: str) -> int | None:
    m = re.search(r"Line: (\d+)", message)
    return int(m.group(1)) if m else None


class Staged:
    """A temp UTF-8 copy of a file when DuckDB cannot read the original in place."""

    def __init__(self, src: Source, text: str | None):
        self._tmp = None
        if text is None and src.path is not None:
            self.path = str(src.path)
        else:
            fd, name = tempfile.mkstemp(suffix=".csv", prefix="warroom-ingest-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(src.data if text is None else text.encode("utf-8"))
            self.path = self._tmp = name

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._tmp:
            try:
                os.unlink(self._tmp)
            except OSError:
                pass
