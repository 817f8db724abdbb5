"""Text -> typed values as SQL expressions over whole columns (numbers, dates, timestamps).

Each column's format is decided once from all its values (one aggregate query), then a
single CAST expression per column turns the text into the stored type.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb

from warroom import db
from warroom.datasets import Field

THOUSANDS_RE = r"^[+-]?\d{1,3}(\.\d{3})+%?$"
ISO_DATE_RE = r"^\d{4}-\d{1,2}-\d{1,2}$"
NUM_DATE_RE = r"^\d{1,2}[/-]\d{1,2}[/-]\d{4}$"
NAMED_DATE_RE = r"^(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})$"
DMY_TIME_RE = r"^\d{1,2}[/-]\d{1,2}[/-]\d{4}[ T]\d{1,2}:\d{2}(:\d{2})?$"

MONTHS = {
    1: ("januari", "january", "jan"), 2: ("februari", "february", "feb", "peb", "pebruari"),
    3: ("maret", "march", "mar"), 4: ("april", "apr"), 5: ("mei", "may"), 6: ("juni", "june", "jun"),
    7: ("juli", "july", "jul"), 8: ("agustus", "august", "agu", "agt", "agus", "aug"),
    9: ("september", "sep", "sept"), 10: ("oktober", "october", "okt", "oct"),
    11: ("november", "nopember", "nov", "nop"), 12: ("desember", "december", "des", "dec"),
}


NUMERIC = ("int", "number")


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass
class ColumnFormat:
    number: str = "dot"          # dot | comma | dot_thousands
    month_first: bool = False


def suspect_columns(con: duckdb.DuckDBPyConnection, raw: str, typed: str, fields: list[Field],
                    delim: str) -> list[Field]:
    """Columns whose format may not be the default (dot decimal, day-first dates): those
    where the default reading left values empty that were not empty in the text, and
    numbers with dots in ;/tab files. Usually none, so most files never pay for format
    detection. Counting non-empty values reads only validity masks: cheap."""
    cand = [f for f in fields if f.kind in ("int", "number", "date", "timestamp")]
    if not cand:
        return []
    sent = db.one_row(con, f"SELECT {', '.join(f'count({q(f.name)})' for f in cand)} FROM {raw}")
    read = db.one_row(con, f"SELECT {', '.join(f'count(t_{f.name})' for f in cand)} FROM {typed}")
    out = [f for f, a, b in zip(cand, sent, read) if a != b]
    dotted = [f for f in cand if f.kind == "number" and f not in out and delim in (";", "\t")]
    if dotted:
        row = db.one_row(con, f"SELECT {', '.join(f'bool_or(contains({q(f.name)}, {lit(chr(46))}))' for f in dotted)} "
                         f"FROM {raw}")
        out += [f for f, flag in zip(dotted, row) if flag]
    return out


def decide_formats(con: duckdb.DuckDBPyConnection, table: str, fields: list[Field], delim: str
                   ) -> dict[str, ColumnFormat]:
    """Decide the decimal mark of every numeric column and the day/month order of every
    date column. A cheap first scan (LIKE, contains) settles the usual cases; regular
    expressions run only on columns that need them."""
    out = {f.name: ColumnFormat() for f in fields}
    cheap, plan = [], []
    for f in fields:
        c = q(f.name)
        if f.kind in ("int", "number"):
            cheap += [f"bool_or(contains({c}, ','))", f"bool_or(contains({c}, '.'))"]
            plan.append((f, "number"))
        elif f.kind in ("date", "timestamp"):
            cheap += [f"bool_or({c} NOT LIKE '____-__-__%')", "NULL"]
            plan.append((f, "date"))
    if not cheap:
        return out
    row = db.one_row(con, f"SELECT {', '.join(cheap)} FROM {table}")
    slow, slow_plan = [], []
    for i, (f, kind) in enumerate(plan):
        a, b = row[2 * i], row[2 * i + 1]
        c = q(f.name)
        fmt = out[f.name]
        if kind == "number":
            if a:
                fmt.number = "comma"
            elif b and delim in (";", "\t"):
                slow.append(f"bool_and({c} IS NULL OR NOT contains({c}, '.') OR regexp_matches(trim({c}), '{THOUSANDS_RE}'))")
                slow_plan.append((f, "thousands"))
        elif a:
            day = f"regexp_extract({c}, '^\\d{{1,2}}[/-]\\d{{1,2}}[/-]\\d{{4}}')"
            d = f"replace({day}, '-', '/')"
            slow += [f"count(*) FILTER (WHERE {day} <> '' AND try_strptime({d}, '%d/%m/%Y') IS NULL)",
                     f"count(*) FILTER (WHERE {day} <> '' AND try_strptime({d}, '%m/%d/%Y') IS NULL)",
                     f"count(*) FILTER (WHERE {day} <> '')"]
            slow_plan.append((f, "date"))
    if slow:
        srow = db.one_row(con, f"SELECT {', '.join(slow)} FROM {table}")
        i = 0
        for f, kind in slow_plan:
            if kind == "thousands":
                if srow[i]:
                    out[f.name].number = "dot_thousands"
                i += 1
            else:
                a, b, c = srow[i:i + 3]
                out[f.name].month_first = bool(a) and not b and bool(c)
                i += 3
    return out


def number_text(col: str, fmt: ColumnFormat, percent: bool) -> str:
    e = q(col)   # untrimmed: TRY_CAST ignores surrounding spaces
    if percent:
        e = f"regexp_replace({e}, '\\s*%\\s*$', '')"
    if fmt.number == "comma":
        e = f"replace(replace({e}, '.', ''), ',', '.')"
    elif fmt.number == "dot_thousands":
        e = f"replace({e}, '.', '')"
    return e


def month_case(expr: str) -> str:
    whens = " ".join(f"WHEN {lit(name)} THEN {n}" for n, names in MONTHS.items() for name in names)
    return f"(CASE lower({expr}) {whens} END)"


def date_expr(col: str, fmt: ColumnFormat) -> str:
    c = q(col)
    order = "%m/%d/%Y" if fmt.month_first else "%d/%m/%Y"
    named = (f"try_strptime(regexp_extract({c}, '{NAMED_DATE_RE}', 1) || '/' || "
             f"{month_case(f'regexp_extract({c}, {lit(NAMED_DATE_RE)}, 2)')} || '/' || "
             f"regexp_extract({c}, '{NAMED_DATE_RE}', 3), '%d/%m/%Y')")
    # The usual ISO form first, by a cheap LIKE; the regular expressions only for the rest.
    return (f"CAST(CASE WHEN {c} LIKE '____-__-__' THEN TRY_CAST({c} AS DATE) "
            f"WHEN regexp_matches({c}, '{ISO_DATE_RE}') THEN try_strptime({c}, '%Y-%m-%d') "
            f"WHEN regexp_matches({c}, '{NUM_DATE_RE}') THEN try_strptime(replace({c}, '-', '/'), '{order}') "
            f"WHEN regexp_matches({c}, '{NAMED_DATE_RE}') THEN {named} END AS DATE)")


def timestamp_expr(col: str, fmt: ColumnFormat) -> str:
    c = q(col)
    order = "%m/%d/%Y" if fmt.month_first else "%d/%m/%Y"
    dmy = f"replace(replace({c}, '-', '/'), 'T', ' ')"
    return (f"CASE WHEN regexp_matches({c}, '^\\d{{4}}-') THEN TRY_CAST({c} AS TIMESTAMP) "
            f"WHEN regexp_matches({c}, '{DMY_TIME_RE}') THEN coalesce("
            f"try_strptime({dmy}, '{order} %H:%M:%S'), try_strptime({dmy}, '{order} %H:%M')) "
            f"ELSE CAST({date_expr(col, fmt)} AS TIMESTAMP) END")


def typed_expr(f: Field, fmt: ColumnFormat) -> str | None:
    """SQL turning the text column into the stored type; None for text kept as is."""
    if f.kind == "int":
        n = number_text(f.name, fmt, False)
        # A memchr-cheap guard rather than a regular expression (a million-row file pays
        # for every one): TRY_CAST alone would round '1.5' to 2. It also reads '1e3',
        # '0x10' and '1_000' (as 1000, 16, 1000), forms nobody types by accident.
        return f"TRY_CAST(CASE WHEN NOT contains({n}, '.') THEN {n} END AS BIGINT)"
    if f.kind == "number":
        n = number_text(f.name, fmt, bool(f.spec.get("x-percent")))
        # No 'n' (nan, inf, infinity), no hex, no '_': what TRY_CAST would read but a person did not mean.
        return (f"TRY_CAST(CASE WHEN NOT contains(lower({n}), 'n') AND NOT contains({n}, 'x') "
                f"AND NOT contains({n}, '_') THEN {n} END AS DOUBLE)")
    if f.kind == "date":
        return date_expr(f.name, fmt)
    if f.kind == "timestamp":
        return timestamp_expr(f.name, fmt)
    if f.kind == "enum":
        allowed = ", ".join(lit(v) for v in f.enum or ())
        return f"CASE WHEN lower({q(f.name)}) IN ({allowed}) THEN lower({q(f.name)}) END"
    if f.kind == "text":
        return unneutralised(q(f.name))
    return None


# What export_csv.neutralise puts a `'` before: a text a spreadsheet would run as a formula.
_FORMULA_START = "('=', '+', '-', '@', chr(9), chr(13))"
_QUOTE = "''''"   # one ' as a SQL literal


def unneutralised(column: str) -> str:
    """The text without the one `'` an export put before a formula-like cell (`'+SUM(1)` ->
    `+SUM(1)`, `''+x` -> `'+x`), so an exported file sent back stores what was exported."""
    return (f"CASE WHEN starts_with({column}, {_QUOTE}) AND (substr({column}, 2, 1) IN {_FORMULA_START} "
            f"OR (substr({column}, 2, 1) = {_QUOTE} AND substr({column}, 3, 1) IN {_FORMULA_START})) "
            f"THEN substr({column}, 2) ELSE {column} END")
