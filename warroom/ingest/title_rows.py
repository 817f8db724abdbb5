"""Title rows above the header ("Laporan Harian Covid-19 Kota Makassar", a date, a blank line):
the header is the first of the first 20 rows that holds every required column of the dataset
(under the header normalisation and a saved mapping). Rows above it are dropped before the
table is read, and every row number the report names is shifted back to the row Excel shows.
"""
from __future__ import annotations

import csv
import io

from warroom.datasets import Dataset
from warroom.ingest import headers, reading

MAX_TITLE_ROWS = 20


def _records(text: str, limit: int) -> list[tuple[int, str]]:
    """(start offset, text) of the first `limit` records, line breaks inside quotes respected."""
    out: list[tuple[int, str]] = []
    start, inside, i = 0, False, 0
    end = min(len(text), 2_000_000)
    while i < end and len(out) < limit:
        ch = text[i]
        if ch == '"':
            inside = not inside
        elif ch in "\r\n" and not inside:
            out.append((start, text[start:i]))
            if ch == "\r" and text[i + 1:i + 2] == "\n":
                i += 1
            start = i + 1
        i += 1
    if len(out) < limit and start < len(text):
        out.append((start, text[start:end]))
    return out


def header_offset(text: str, ds: Dataset, mapping=None) -> int:
    """How many records lie above the header; 0 when the first record is the header or when
    none of the first 20 holds the required columns (then the usual header checks answer).
    `mapping`: a parsed mapping (warroom.ingest.mapping.Mapping) or None."""
    columns = getattr(mapping, "columns", None) or {}
    saved = {headers.normalise(k): headers.normalise(str(v)) for k, v in columns.items() if v}
    constants = set(getattr(mapping, "constants", None) or {})
    records = _records(text, MAX_TITLE_ROWS)
    for number, (_, line) in enumerate(records):
        try:
            best = max((next(csv.reader(io.StringIO(line), delimiter=d), []) for d in reading.DELIMITERS), key=len)
        except csv.Error:   # a cell over the csv module's limit: the header checks say so
            return 0
        names = {saved.get(headers.normalise(c), headers.normalise(c)) for c in best} | constants
        if not ds.missing_required(names):
            return number
    return 0


def drop(text: str, n: int) -> str:
    """The text from the n-th record on."""
    records = _records(text, n + 1)
    return text[records[n][0]:] if len(records) > n else ""


def renumber(problems, odd_rows, n: int) -> None:
    """Row numbers as Excel shows them in the file with its title rows."""
    for p in problems:
        if p.row is not None:
            p.row += n
    for r in odd_rows:
        r["row"] += n
