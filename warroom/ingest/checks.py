"""The checks of the data standard as SQL over whole columns.

`build_typed` turns the text table into ingest_typed (_row, the text columns, and t_<col>
typed); `run_checks` counts every check in one scan and fetches example rows only for the
checks that failed.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from warroom import db
from warroom.datasets import Dataset, Field
from warroom.ingest import codes as codes_mod
from warroom.ingest.reading import PRETYPED, RAW_TABLE
from warroom.ingest.report import MAX_PROBLEMS_PER_CHECK, Problem, problem
from warroom.ingest.values import ColumnFormat, lit, q, typed_expr

TYPED_TABLE = "ingest_typed"
SENDER = "sumber_opd"


@dataclass
class Check:
    """A check over ingest_typed (columns t_<name>). `raw` checks also look at the text as
    sent (r.<name>, joined by row) but only on rows where `where` holds, which is none in
    a clean file: the text is never scanned twice."""
    code: str
    column: str | None
    where: str
    value: str
    params: dict = field(default_factory=dict)
    raw: str | None = None


@dataclass
class CodeMap:
    column: str
    resolved: dict[str, codes_mod.Resolved]

    @property
    def table(self) -> str:
        return f"ingest_map_{self.column}"


def reference_target(ds: Dataset, f: Field) -> str | None:
    """'wilayah' or 'opd' for a code column referencing them; None for a code being defined."""
    for fk in ds.spec.get("foreignKeys", []):
        if f.name in fk["fields"]:
            return fk["reference"]["resource"]
    return None


def resolve_codes(con: duckdb.DuckDBPyConnection, ds: Dataset, present: set[str]) -> list[CodeMap]:
    maps = []
    wil_index: codes_mod.WilayahIndex | None = None
    opd_index: codes_mod.OpdIndex | None = None
    index: codes_mod.WilayahIndex | codes_mod.OpdIndex
    for f in ds.fields:
        if f.kind != "code" or f.name not in present:
            continue
        target = reference_target(ds, f)
        if target is None:
            continue
        values = [r[0] for r in con.execute(
            f"SELECT DISTINCT {q(f.name)} FROM {RAW_TABLE} WHERE {q(f.name)} IS NOT NULL").fetchall()]
        if target == "wilayah":
            if wil_index is None:
                extra = []
                if ds.name == "wilayah" and "kode_wilayah" in present:
                    extra = [r[0] for r in con.execute(
                        f"SELECT DISTINCT kode_wilayah FROM {RAW_TABLE} WHERE kode_wilayah IS NOT NULL").fetchall()]
                wil_index = codes_mod.WilayahIndex.from_db(con, extra)
            index = wil_index
        else:
            opd_index = opd_index or codes_mod.OpdIndex.from_db(con)
            index = opd_index
        resolved = {v: index.resolve(v) for v in values}
        cm = CodeMap(f.name, resolved)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {cm.table} (raw VARCHAR, code VARCHAR)")
        ok = [(v, r.code) for v, r in resolved.items() if r.code]
        if ok:
            con.executemany(f"INSERT INTO {cm.table} VALUES (?, ?)", ok)
        maps.append(cm)
    return maps


def build_typed(con: duckdb.DuckDBPyConnection, ds: Dataset, present: set[str],
                formats: dict[str, ColumnFormat], maps: list[CodeMap], sender_sql: str,
                where: str = "", pretyped: frozenset[str] = frozenset()) -> None:
    """`where`: which text rows to type (rows a mapping skips stay out; their row numbers stay).
    `pretyped`: columns typed as they were read (reading.read_pretyped), taken as they are."""
    by_col = {m.column: m for m in maps}
    parts = ["r.rowid + 2 AS _row"]
    joins = []
    for f in ds.fields:
        if f.name not in present:
            parts.append(f"CAST(NULL AS {f.sql_type}) AS t_{f.name}")
            continue
        if f.name in by_col:
            alias = f"m_{f.name}"
            joins.append(f"LEFT JOIN {by_col[f.name].table} {alias} ON {alias}.raw = r.{q(f.name)}")
            parts.append(f"{alias}.code AS t_{f.name}")
            continue
        if f.name in pretyped:
            parts.append(f"r.{PRETYPED}{f.name} AS t_{f.name}")
            continue
        expr = typed_expr(f, formats.get(f.name, ColumnFormat()))
        parts.append(f"{expr or 'r.' + q(f.name)} AS t_{f.name}")
    parts.append(f"{sender_sql} AS t_{SENDER}")
    if SENDER in present:
        parts.append(f"upper(r.{SENDER}) AS s_{SENDER}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {TYPED_TABLE} AS SELECT {', '.join(parts)} "
                f"FROM {RAW_TABLE} r {' '.join(joins)} {('WHERE ' + where) if where else ''}")


def field_checks(ds: Dataset, present: set[str], maps: list[CodeMap], today_iso: str,
                 walidata: bool, kode_opd: str, walidata_codes: frozenset[str] = frozenset()) -> list[Check]:
    out: list[Check] = []
    coded = {m.column for m in maps}
    for f in ds.fields:
        c, t = f"r.{q(f.name)}", f"t_{f.name}"
        if f.name not in present:
            continue
        numeric = f.kind in ("int", "number")
        # Numbers are read untrimmed (see reading); a blank of spaces is still missing.
        blank = f"({c} IS NULL OR trim({c}) = '')" if numeric else f"{c} IS NULL"
        given = f"({c} IS NOT NULL AND trim({c}) <> '')" if numeric else f"{c} IS NOT NULL"
        if f.required:
            out.append(Check("value.missing", f.name, f"{t} IS NULL", "NULL", raw=blank))
        if f.name in coded:
            out.append(Check("code.unresolved", f.name, f"{t} IS NULL", c, raw=f"{c} IS NOT NULL"))
        elif f.kind in ("int", "number", "date", "timestamp", "enum"):
            code = {"int": "type.int", "number": "type.number", "date": "type.date",
                    "timestamp": "type.timestamp", "enum": "enum.invalid"}[f.kind]
            params = {"allowed": ", ".join(f.enum or ())}
            out.append(Check(code, f.name, f"{t} IS NULL", c, params, raw=given))
        elif f.kind == "code":   # a code being defined (wilayah.kode_wilayah): dotted form only
            out.append(Check("code.format", f.name,
                             f"{t} IS NOT NULL AND NOT regexp_matches({t}, {lit(codes_mod.DOTTED_RE.pattern)})", c))
        # Points are judged whole (swapped, outside the city) by warroom.ingest.points.
        point = f.name in ("latitude", "longitude") and any(g.spec.get("x-fill-from-point") for g in ds.fields)
        if numeric and not point:
            if f.minimum is not None:
                # Counts (whole numbers) have their own wording; other measures name the bound.
                code = "value.negative" if f.minimum == 0 and f.kind == "int" else "value.below_min"
                if f.spec.get("x-percent"):
                    code = "value.percent_range"
                out.append(Check(code, f.name, f"{t} < {f.minimum}", c, {"min": f.minimum, "max": f.maximum}))
            if f.maximum is not None:
                code = "value.percent_range" if f.spec.get("x-percent") else "value.above_max"
                out.append(Check(code, f.name, f"{t} > {f.maximum}", c, {"min": f.minimum, "max": f.maximum}))
            other = f.spec.get("x-max-column")
            if other:
                out.append(Check("value.exceeds", f.name, f"{t} > t_{other}",
                                 f"CAST({t} AS VARCHAR) || ' > ' || CAST(t_{other} AS VARCHAR)", {"other": other}))
        if f.spec.get("x-observation"):
            out.append(Check("date.future", f.name, f"CAST({t} AS DATE) > DATE {lit(today_iso)}", c,
                             {"today": today_iso}))
        pattern = f.spec.get("constraints", {}).get("pattern")
        if pattern:
            code = "url.scheme" if f.spec.get("x-url-schemes") else "value.pattern"
            out.append(Check(code, f.name, f"{t} IS NOT NULL AND NOT regexp_matches({t}, {lit(pattern)})", c,
                             {"pattern": pattern, "schemes": ", ".join(f.spec.get("x-url-schemes", []))}))
        if f.kind == "text" and not pattern:
            # A leading '=' makes spreadsheets run the cell as a formula (CSV injection).
            out.append(Check("text.formula", f.name, f"starts_with({t}, '=')", c))
    if ds.producer == "*owner" and "kode_opd" in present:
        # Data standard v2: a row names its owner (kinerja_opd) and only the owner, or a
        # walidata of the dataset, may send it. The row's sender is t_sumber_opd (a walidata's
        # file may carry each row's sender), so a walidata cannot forward one OPD's row as another's.
        exempt = ", ".join(lit(c) for c in sorted(walidata_codes))
        out.append(Check("owner.not_sender", "kode_opd",
                         f"t_kode_opd IS NOT NULL AND t_{SENDER} IS NOT NULL AND t_kode_opd <> t_{SENDER}"
                         f" AND t_{SENDER} NOT IN ({exempt})", "r.kode_opd",
                         {"opd": kode_opd}))
    if SENDER in present:
        if walidata:
            out.append(Check("sender.unknown", SENDER, f"t_{SENDER} IS NULL", f"r.{SENDER}",
                             raw=f"r.{SENDER} IS NOT NULL"))
        else:
            out.append(Check("sender.not_allowed", SENDER, f"s_{SENDER} <> {lit(kode_opd)}", f"r.{SENDER}",
                             {"opd": kode_opd}))
    return out


JOINED = f"{TYPED_TABLE} x JOIN {RAW_TABLE} r ON r.rowid + 2 = x._row"


def run_checks(con: duckdb.DuckDBPyConnection, checks: list[Check], maps: list[CodeMap],
               lang: str) -> tuple[list[Problem], dict[str, int]]:
    if not checks:
        return [], {}
    # One scan of the typed rows counts every check (raw checks: their candidates).
    counts_row = db.one_row(con, "SELECT " + ", ".join(f"count(*) FILTER (WHERE {c.where})" for c in checks)
                            + f" FROM {TYPED_TABLE}")
    by_col = {m.column: m for m in maps}
    problems: list[Problem] = []
    counts: dict[str, int] = {}
    for check, n in zip(checks, counts_row):
        if not n:
            continue
        where = f"({check.where}) AND ({check.raw})" if check.raw else check.where
        if check.raw:
            n = db.scalar(con, f"SELECT count(*) FROM {JOINED} WHERE {where}")
            if not n:
                continue
        rows = con.execute(f"SELECT x._row, CAST({check.value} AS VARCHAR) FROM {JOINED} WHERE {where} "
                           f"ORDER BY x._row LIMIT {MAX_PROBLEMS_PER_CHECK}").fetchall()
        for row, value in rows:
            if check.code == "code.unresolved":
                # set on every code check; an unresolved value always has its problem
                assert check.column is not None
                res = by_col[check.column].resolved[value]
                assert res.problem is not None
                code, params = res.problem, dict(res.detail or {})
            else:
                code, params = check.code, check.params
            p = problem(code, lang, row=row, column=check.column, value=value, **params)
            problems.append(p)
            counts[f"{p.code}:{p.column or ''}"] = counts.get(f"{p.code}:{p.column or ''}", 0) + 1
        if n > len(rows):
            # Rows beyond the examples: counted under the check's (first) code.
            key = f"{problems[-1].code}:{check.column or ''}"
            counts[key] += n - len(rows)
    return problems, counts


def duplicate_keys(con: duckdb.DuckDBPyConnection, ds: Dataset, lang: str) -> tuple[list[Problem], int]:
    keys = [f"t_{k}" for k in ds.key] + [f"t_{SENDER}"]
    part = ", ".join(keys)
    notnull = " AND ".join(f"{k} IS NOT NULL" for k in keys)
    # A cheap test first: distinct keys have distinct 64-bit hashes but for a collision, which
    # only sends the check on to the exact look-up below (a third cheaper than grouping the keys).
    extra = db.scalar(con, f"SELECT count(*) - count(DISTINCT hash({part})) FROM {TYPED_TABLE} WHERE {notnull}")
    if not extra:
        return [], 0
    shown = " || ' / ' || ".join(f"CAST({k} AS VARCHAR)" for k in keys[:-1])
    sql = (f"SELECT _row, first, {shown} FROM ("
           f"SELECT _row, {part}, count(*) OVER w AS n, min(_row) OVER w AS first FROM {TYPED_TABLE} "
           f"WHERE {notnull} WINDOW w AS (PARTITION BY {part})) WHERE n > 1 AND _row > first ORDER BY _row")
    n = db.scalar(con, f"SELECT count(*) FROM ({sql})")
    rows = con.execute(sql + f" LIMIT {MAX_PROBLEMS_PER_CHECK}").fetchall()
    column = ", ".join(ds.key)
    return [problem("key.duplicate", lang, row=r, column=column, value=v, first=first) for r, first, v in rows], n


def point_problems(con: duckdb.DuckDBPyConnection, lang: str) -> tuple[list[Problem], dict[str, int]]:
    from warroom.ingest.points import POINT_TABLE
    sql = (f"SELECT t._row, p.status, CAST(t.t_latitude AS VARCHAR) || ', ' || CAST(t.t_longitude AS VARCHAR) "
           f"FROM {TYPED_TABLE} t JOIN {POINT_TABLE} p ON p.lat = t.t_latitude AND p.lon = t.t_longitude "
           f"WHERE p.status <> 'ok' ORDER BY t._row")
    rows = con.execute(sql).fetchall()
    problems: list[Problem] = []
    counts: dict[str, int] = {}
    for row, status, value in rows:
        code = "point.swapped" if status == "swapped" else "point.outside"
        if counts.get(code, 0) < MAX_PROBLEMS_PER_CHECK:
            problems.append(problem(code, lang, row=row, column="latitude, longitude", value=value))
        counts[code] = counts.get(code, 0) + 1
    return problems, {f"{k}:latitude, longitude": v for k, v in counts.items()}
