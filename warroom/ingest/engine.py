"""ingest_file: read -> map headers -> type -> check -> (refuse | load), all or nothing."""
from __future__ import annotations

import csv
from typing import Callable, NamedTuple

import duckdb

from warroom import datasets, db, derived, lineage, profile
from warroom.config import city, today
from warroom.db import write_transaction
from warroom.fmt import number as fmt_number
from warroom.i18n import normalise_lang, t
from warroom.ingest import checks, cumulative, headers, points, reading, title_rows, values
from warroom.ingest import mapping as mapping_mod
from warroom.ingest.load import NEW_TABLE, key_diff, upsert
from warroom.ingest.report import IngestResult, Refused, problem

STAGES = 6
TEMP_TABLES = (reading.RAW_TABLE, checks.TYPED_TABLE, NEW_TABLE, points.POINT_TABLE,
               cumulative.DERIVED_TABLE, cumulative.FOLLOWERS_TABLE)
PRETYPED_KINDS = ("int", "number", "date", "timestamp")   # what reading.read_pretyped types
SKIP = "_skip"           # text-table column: why a mapping skipped the row (NULL: kept)


def walidata_of(ds: datasets.Dataset) -> set[str]:
    return set(city().walidata) | set(ds.spec.get("x-walidata", []))


def ingest_file(con: duckdb.DuckDBPyConnection, dataset: str, source, *, kode_opd: str, username: str,
                file_name: str | None = None, mapping: dict | None = None, dry_run: bool = False,
                lang: str = "id", progress: Callable[[int, int], None] | None = None,
                is_demo: bool = False, forwarding: bool | None = None) -> IngestResult:
    """Validate a file against the standard and, when every row passes, load it in one
    transaction. A refused file changes no data; unless dry_run it gets an upload-log entry.
    `forwarding=False`: the sender may not name other senders in sumber_opd even when its OPD
    is a walidata (an ordinary API token, a walidata OPD's staff on the web; data standard v2).
    None: the walidata OPDs may (the command line, trusted with the OPD it is given)."""
    ds = datasets.get(dataset)
    lang = normalise_lang(lang)
    kode_opd = (kode_opd or "").strip().upper()
    src = reading.open_source(source, file_name)
    digest = lineage.Digest(src.data)
    result = IngestResult(dataset, kode_opd, lang, dry_run=dry_run, file_name=src.file_name)
    step = _stepper(progress)
    work = con.cursor()   # temp tables live on this cursor only
    work.execute("SET enable_progress_bar = false")
    try:
        _validate_and_load(work, ds, src, result, mapping, step, username, is_demo, forwarding, digest)
    except Refused as refusal:
        result.sha256 = digest.value()
        title_rows.renumber(refusal.problems, [], result.title_rows)
        result.problems = refusal.problems
        counts: dict[str, int] = {}
        for p in refusal.problems:
            counts[f"{p.code}:{p.column or ''}"] = counts.get(f"{p.code}:{p.column or ''}", 0) + 1
        result.problem_counts = refusal.counts or counts
        result.accepted = False
        if not dry_run:
            with write_transaction(work):
                result.upload_id = lineage.new_upload(
                    work, dataset=ds.name, kode_opd=kode_opd, username=username, file_name=result.file_name,
                    sha256=result.sha256, status="refused", rows_total=result.rows_total,
                    report=result.log_report(), is_demo=is_demo)
                lineage.audit(work, "refusal", username, upload_id=result.upload_id, dataset=ds.name,
                              kode_opd=kode_opd, problems=result.problems_total)
    finally:
        work.execute(f"DROP VIEW IF EXISTS {NEW_TABLE}")
        for table in TEMP_TABLES:
            if table != NEW_TABLE:
                work.execute(f"DROP TABLE IF EXISTS {table}")
        work.close()
    result.sha256 = digest.value()
    step(STAGES)
    return result


def _header(sample: str, lang: str) -> tuple[list[str], str]:
    """The header row and delimiter; a header the csv module refuses (a cell over its field
    limit, 131,072 characters) is the file's problem, said as such, not a crash."""
    try:
        return reading.header_record(sample)
    except csv.Error:
        raise Refused([problem("file.header_too_long", lang, row=1,
                               limit=fmt_number(csv.field_size_limit(), lang))])


def _stepper(progress):
    def step(done: int):
        if progress:
            progress(done, STAGES)
    return step


class _Read(NamedTuple):
    """What reading the file into DuckDB leaves for the later stages."""
    n: int                 # data rows in the file
    present: set[str]      # dataset columns the file (or the mapping's constants) gives
    delim: str
    skipped: int           # rows the mapping skipped so far (TOTAL rows, pseudo-areas)
    pretyped: frozenset[str] = frozenset()   # columns typed as they were read (reading.read_pretyped)


class _TextNeeded(Exception):
    """A file read typed (reading.read_pretyped) has a problem: it is checked again from its
    text, so each problem shows the value as it was sent."""


def _validate_and_load(con, ds, src, result: IngestResult, mapping, step, username, is_demo,
                       forwarding: bool | None, digest: lineage.Digest) -> None:
    """The stages in order; each refuses (raises Refused) or hands its results to the next."""
    mp, walidata, forwards = _sender_and_mapping(con, ds, result, mapping, forwarding)
    notes = list(result.notes)
    for typed_read in (True, False):          # the typed read first; the text read when it cannot tell
        try:
            read = _read(con, ds, src, result, mp, step, typed_read=typed_read)
            maps, both = _type(con, ds, result, mp, read, walidata, forwards, step)
            _check(con, ds, result, read, maps, both, forwards, step)
            break
        except _TextNeeded:
            result.notes[:] = notes
    result.sha256 = digest.value()      # the upload log names the file by it
    _load(con, ds, result, read, maps, step, username, is_demo)


def _sender_and_mapping(con, ds, result: IngestResult, mapping, forwarding: bool | None):
    """0. May this sender send this dataset, and is the mapping (if any) well formed."""
    lang, kode_opd = result.lang, result.kode_opd
    notes = result.notes
    walidata = kode_opd in walidata_of(ds)
    forwards = walidata and forwarding is not False   # may name other senders in sumber_opd
    if ds.is_reference and not walidata:
        raise Refused([problem("dataset.walidata_only", lang, value=kode_opd,
                               walidata=", ".join(sorted(walidata_of(ds))))])
    # The walidata may always send (also to an opd table being rebuilt from scratch).
    if not kode_opd or (not walidata and not con.execute(
            "SELECT count(*) FROM opd WHERE kode_opd = ?", [kode_opd]).fetchone()[0]):
        raise Refused([problem("sender.unknown_opd", lang, value=kode_opd)])

    try:
        mp = mapping_mod.parse(mapping)
    except mapping_mod.MappingError as exc:
        raise Refused([problem("mapping.invalid", lang, detail=str(exc))])
    if mp.unknown_keys:
        notes.append(t("ingest.note.mapping_key_unknown", lang, detail=", ".join(mp.unknown_keys)))
    return mp, walidata, forwards


def _read(con, ds, src, result: IngestResult, mp, step, typed_read: bool) -> _Read:
    """1. bytes -> text table: the file's rows into DuckDB as text, headers mapped, skips marked.
    `typed_read`: a file without mapped skips or constants is first read with its numbers and
    dates typed as they are read (reading.read_pretyped), which a clean file never leaves."""
    lang, notes = result.lang, result.notes
    # 1. bytes -> text table (None: the file is UTF-8 already and is read in place)
    text: str | None
    if reading.is_xlsx(src.data):
        text, sheet = reading.xlsx_to_text(src.data, mp.sheet or ds.name, lang)
        if mp.sheet and sheet.lower() != mp.sheet.lower():
            raise Refused([problem("mapping.sheet", lang, value=mp.sheet, sheets=_sheet_names(src.data))])
        notes.append(t("ingest.note.xlsx", lang, sheet=sheet))
        if not text.strip():
            raise Refused([problem("file.empty", lang)])
    else:
        text, encoding = reading.decode(src, lang)
        if encoding != "UTF-8":
            notes.append(t("ingest.note.encoding", lang, encoding=encoding))
    sample = text if text is not None else src.data[:1_100_000].decode("utf-8", errors="replace")
    skip = title_rows.header_offset(sample, ds, mp)   # title rows above the header (issue 16)
    if skip:
        text = sample = title_rows.drop(text if text is not None else src.data.decode("utf-8-sig"), skip)
        result.title_rows = skip
        notes.append(t("ingest.note.title_rows", lang, n=skip, row=skip + 1))
    cells, delim = _header(sample, lang)
    if delim != ",":
        notes.append(t("ingest.note.delimiter", lang, delimiter=t(f"ingest.delim.{reading.DELIMITER_NAMES[delim]}", lang)))
    wanted, header_notes, problems = headers.map_headers(ds, cells, mp, lang)
    skip_at, absent, skip_problems = headers.skip_positions(mp, cells, lang)
    problems += skip_problems
    settable = set(ds.columns) - {f.name for f in ds.fields if f.spec.get("x-derived")}
    for name in mp.constants:
        if name not in settable:
            problems.append(problem("mapping.constant_unknown", lang, row=1, column=name, value=name))
    if problems:
        raise Refused(problems)
    for kind, detail in header_notes:
        notes.append(t(f"ingest.note.{kind}", lang, detail=detail))
    for key in absent:
        notes.append(t("ingest.note.mapping_absent", lang, detail=key))
    for name in mp.constants:          # a constant overrides a column of the file
        wanted.pop(name, None)
    step(1)
    reads = dict(wanted)
    reads.update({f"_skip_{j}_{k}": pos for j, where in enumerate(skip_at.values()) for k, pos in enumerate(where)})
    profile.mark("headers")
    numeric = {f.name for f in ds.fields if f.kind in values.NUMERIC}
    pretyped: dict[str, str] = {}
    if typed_read and not mp.constants and reads == wanted and not (
            delim in (";", "\t") and any(f.kind == "number" for f in ds.fields if f.name in wanted)):
        # (a number in a ;/tab file may be written 1.234,5: values.suspect_columns looks at the text)
        pretyped = {f.name: expr for f in ds.fields if f.name in wanted and f.kind in PRETYPED_KINDS
                    if (expr := values.typed_expr(f, values.ColumnFormat()))}
    with reading.Staged(src, text) as staged:
        got = None
        if pretyped:
            got = reading.read_pretyped(con, staged.path, delim, len(cells), reads, numeric, pretyped)
        if got is None:
            pretyped = {}
            got = reading.read_into_duckdb(con, staged.path, delim, len(cells), reads, lang, numeric)
        n = got
    result.rows_total = n
    if n == 0:
        raise Refused([problem("file.header_only", lang, row=1)])
    for name, value in mp.constants.items():
        con.execute(f"ALTER TABLE {reading.RAW_TABLE} ADD COLUMN {values.q(name)} VARCHAR DEFAULT "
                    f"{values.lit(value)}")
        notes.append(t("ingest.note.constant", lang, column=name, value=value))
    present = set(wanted) | set(mp.constants)
    skipped = _skip_rows(con, mp, skip_at, present, lang, notes)
    step(2)
    profile.mark("read")
    return _Read(n, present, delim, skipped, frozenset(pretyped))


def _type(con, ds, result: IngestResult, mp, read: _Read, walidata: bool, forwards: bool, step):
    """2. text -> typed: codes resolved, numbers and dates parsed in the file's own format."""
    lang, kode_opd, notes = result.lang, result.kode_opd, result.notes
    n, present, delim, skipped, pretyped = read
    # 2. text -> typed
    fields = [f for f in ds.fields if f.name in present]
    maps = checks.resolve_codes(con, ds, present)
    skipped += _skip_outside(con, mp, maps, present, lang, notes)
    if skipped:
        if skipped >= n:
            raise Refused([problem("file.all_skipped", lang)])
        notes.append(t("ingest.note.rows_kept", lang, n=n - skipped, total=n))
    keep = f"r.{SKIP} IS NULL" if skipped else ""
    both = [(d, c) for d, c in cumulative.pairs(ds) if d in present and c in present]
    if both and not walidata:
        raise Refused([problem("header.both_forms", lang, row=1, column=c, value=d, other=c) for d, c in both])
    for m in maps:
        via: dict[str, int] = {}
        for res in m.resolved.values():
            if res.code and res.via in ("kemendagri", "bps", "name"):
                via[res.via] = via.get(res.via, 0) + 1
        for kind, count in sorted(via.items()):
            notes.append(t(f"ingest.note.code_{kind}", lang, column=m.column, n=count))
    if headers.SENDER_COLUMN in present and forwards:
        from warroom.ingest.codes import OpdIndex
        known = OpdIndex.from_db(con).codes | walidata_of(ds)
        sender_sql = (f"CASE WHEN r.{headers.SENDER_COLUMN} IS NULL THEN {values.lit(kode_opd)} "
                      f"WHEN upper(r.{headers.SENDER_COLUMN}) IN ({', '.join(values.lit(c) for c in sorted(known))}) "
                      f"THEN upper(r.{headers.SENDER_COLUMN}) END")
    else:
        sender_sql = values.lit(kode_opd)
    formats = {f.name: values.ColumnFormat() for f in fields}
    checks.build_typed(con, ds, present, formats, maps, sender_sql, keep, pretyped)
    # read typed: no column has text the default formats could not read
    suspects = [] if pretyped else values.suspect_columns(con, reading.RAW_TABLE, checks.TYPED_TABLE, fields, delim)
    if suspects:
        decided = values.decide_formats(con, reading.RAW_TABLE, suspects, delim)
        if any(fmt.number != "dot" or fmt.month_first for fmt in decided.values()):
            formats.update(decided)
            checks.build_typed(con, ds, present, formats, maps, sender_sql, keep)
    for name, fmt in formats.items():
        if fmt.number == "comma":
            notes.append(t("ingest.note.decimal_comma", lang, column=name))
        elif fmt.number == "dot_thousands":
            notes.append(t("ingest.note.thousands_dot", lang, column=name))
        if fmt.month_first:
            notes.append(t("ingest.note.month_first", lang, column=name))
    step(3)
    profile.mark("type")
    return maps, both


def _check(con, ds, result: IngestResult, read: _Read, maps, both, forwards: bool, step) -> None:
    """3. checks over whole columns: every problem found at once, or none."""
    lang, kode_opd = result.lang, result.kode_opd
    present = read.present
    # 3. checks over whole columns
    today_iso = today().isoformat()
    field_checks = checks.field_checks(ds, present, maps, today_iso, forwards, kode_opd, frozenset(walidata_of(ds)))
    for d, c in cumulative.cumulative_form(ds, present):
        # a total stands for the required daily count
        field_checks.append(checks.Check("value.missing", c, f"t_{c} IS NULL", "NULL", raw=f"trim(coalesce(r.{c}, '')) = ''"))
    for check in field_checks:
        if check.column is not None and (check.column, check.code) in {(d, "value.negative") for d, _ in both}:
            # an export sent back: its daily counts next to totals are recomputed from the totals
            check.where = f"({check.where}) AND t_{dict(both)[check.column]} IS NULL"
    problems, counts = checks.run_checks(con, field_checks, maps, lang)
    if any(f.spec.get("x-fill-from-point") for f in ds.fields) and {"latitude", "longitude"} <= present:
        filled = points.classify_points(con, checks.TYPED_TABLE)
        if filled.get("swapped") or filled.get("outside"):
            more, more_counts = checks.point_problems(con, lang)
            problems += more
            counts.update(more_counts)
    from warroom import templates  # a template's example row is never data (standard v2)
    if read.pretyped and _may_hold_the_example(con, ds, read):
        raise _TextNeeded()
    for row in ([] if read.pretyped else templates.example_rows(con, ds, present, reading.RAW_TABLE)):
        problems.append(problem("template.example", lang, row=row, excel_row=row))
        counts["template.example:"] = counts.get("template.example:", 0) + 1
    dup, n_dup = checks.duplicate_keys(con, ds, lang)
    if dup:
        problems += dup
        counts[f"key.duplicate:{', '.join(ds.key)}"] = n_dup
    if problems and read.pretyped:
        raise _TextNeeded()
    if problems:
        problems.sort(key=lambda p: (p.row if p.row is not None else 0))
        raise Refused(problems, counts)
    step(4)
    profile.mark("check")


def _may_hold_the_example(con, ds, read: _Read) -> bool:
    """Whether a file read typed has a row whose values equal the template's example: its
    numbers' text is gone, so the text read decides (templates.example_rows)."""
    from warroom import templates
    compared = templates.example_values(ds, read.present)
    if not compared:
        return False
    where, params = [], []
    for f in ds.fields:
        if f.name not in compared:
            continue
        if f.name in read.pretyped:   # the example's text typed as the column's text is
            typed = values.typed_expr(f, values.ColumnFormat())
            where.append(f"r.{reading.PRETYPED}{f.name} = (SELECT {typed} FROM (SELECT ? AS {values.q(f.name)}))")
        else:
            where.append(f"trim(r.{values.q(f.name)}) = ?")
        params.append(compared[f.name])
    return bool(db.scalar(con, f"SELECT count(*) FROM {reading.RAW_TABLE} r WHERE {' AND '.join(where)}", params))


def _load(con, ds, result: IngestResult, read: _Read, maps, step, username, is_demo) -> None:
    """4. load, one transaction: the new rows, the upload log, the derived tables."""
    lang, kode_opd, notes = result.lang, result.kode_opd, result.notes
    n, present = read.n, read.present
    # 4. load, one transaction
    fill = ""
    if con.execute(f"SELECT count(*) FROM information_schema.tables WHERE table_name = '{points.POINT_TABLE}'"
                   ).fetchone()[0] and "kode_wilayah" in ds.columns:
        n_fill = con.execute(f"SELECT count(*) FROM {checks.TYPED_TABLE} WHERE t_kode_wilayah IS NULL").fetchone()[0]
        if n_fill:
            fill = (f" LEFT JOIN {points.POINT_TABLE} p ON p.lat = x.t_latitude AND p.lon = x.t_longitude")
            notes.append(t("ingest.note.filled_from_point", lang, n=n_fill))
    derived_cols, followers = {}, ""
    if cumulative.needed(con, ds, present):
        stats, n_followers = cumulative.derive(con, ds)
        for column, (n_derived, n_corrections) in stats.items():
            if column in present:
                notes.append(t("ingest.note.cumulative", lang, column=column, n=n_derived, k=n_corrections))
        if n_followers:
            notes.append(t("ingest.note.recomputed", lang, n=n_followers))
        derived_cols = {d: f"d.{values.q(d)}" for d, _ in cumulative.pairs(ds)}
        derived_cols[cumulative.FLAG] = f"d.{cumulative.FLAG}"
        fill += f" JOIN {cumulative.DERIVED_TABLE} d ON d._row = x._row"
        followers = (f" UNION ALL BY NAME SELECT {', '.join(values.q(c) for c in ds.columns)}, sumber_opd "
                     f"FROM {cumulative.FOLLOWERS_TABLE}")
    cols = []
    for c in ds.columns:
        if fill and c == "kode_wilayah" and " p ON " in fill:
            cols.append("coalesce(x.t_kode_wilayah, p.kode) AS kode_wilayah")
        elif c in derived_cols:
            cols.append(f"{derived_cols[c]} AS {values.q(c)}")
        else:
            cols.append(f"x.t_{c} AS {values.q(c)}")
    # A view, not a copy: the typed rows are read once more by the load itself.
    con.execute(f"CREATE OR REPLACE TEMP VIEW {NEW_TABLE} AS SELECT {', '.join(cols)}, "
                f"x.t_{checks.SENDER} AS sumber_opd FROM {checks.TYPED_TABLE} x{fill}{followers}")
    step(5)
    profile.mark("view")
    from warroom.ingest import preview  # names -> code and level, odd-level rows, old -> new
    preview.describe(con, ds, maps, result, checks.TYPED_TABLE, reading.RAW_TABLE, NEW_TABLE)
    if result.dry_run:
        result.accepted = True
        _count_only(con, ds, result)
        return
    diff = key_diff(con, ds)
    if diff[0] == diff[1] == 0 and diff[2] > 0 and derived.is_fresh(con, ds.name):
        _log_unchanged(con, ds, result, kode_opd, username, notes, is_demo, diff[2], lang)
        return
    with write_transaction(con):
        upload_id = lineage.new_upload(
            con, dataset=ds.name, kode_opd=kode_opd, username=username, file_name=result.file_name,
            sha256=result.sha256, status="accepted", rows_total=n, report={"notes": notes}, is_demo=is_demo)
        since = derived.first_date(con, NEW_TABLE) if "tanggal" in ds.columns else None
        fresh = derived.is_fresh(con, ds.name)
        inserted, updated, unchanged = upsert(con, ds, upload_id, diff)
        profile.mark("insert new rows")
        derived.after_change(con, ds.name, since, values_unchanged=fresh and not (inserted or updated))
        profile.mark("derived refresh")
        con.execute("UPDATE uploads SET rows_inserted = ?, rows_updated = ?, rows_unchanged = ? "
                    "WHERE upload_id = ?", [inserted, updated, unchanged, upload_id])
        lineage.audit(con, "upload", username, upload_id=upload_id, dataset=ds.name, kode_opd=kode_opd,
                      rows=n, inserted=inserted, updated=updated, unchanged=unchanged)
    profile.mark("commit")
    result.accepted = True
    result.upload_id = upload_id
    result.rows_inserted, result.rows_updated, result.rows_unchanged = inserted, updated, unchanged


def _log_unchanged(con, ds, result: IngestResult, kode_opd: str, username: str, notes: list[str],
                   is_demo: bool, rows: int, lang: str) -> None:
    """Every row of the file is already stored with the same values: the upload is logged as
    `unchanged` and writes no row (the stored rows keep naming the uploads they came from, as
    a pulled source's unchanged run does), so re-sending a file costs a read, not a rewrite."""
    notes.append(t("ingest.note.nothing_changed", lang, n=rows))
    with write_transaction(con, bump=False):
        upload_id = lineage.new_upload(
            con, dataset=ds.name, kode_opd=kode_opd, username=username, file_name=result.file_name,
            sha256=result.sha256, status="unchanged", rows_total=result.rows_total, rows_unchanged=rows,
            report={"notes": notes}, is_demo=is_demo)
        lineage.audit(con, "upload", username, upload_id=upload_id, dataset=ds.name, kode_opd=kode_opd,
                      rows=result.rows_total, inserted=0, updated=0, unchanged=rows)
    profile.mark("commit")
    result.accepted = True
    result.upload_id = upload_id
    result.rows_inserted, result.rows_updated, result.rows_unchanged = 0, 0, rows


def _count_only(con, ds, result: IngestResult) -> None:
    """A dry run answers the same counts without writing."""
    result.rows_inserted, result.rows_updated, result.rows_unchanged = key_diff(con, ds)


def _sheet_names(data: bytes) -> str:
    import io

    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        return ", ".join(wb.sheetnames)
    finally:
        wb.close()


def _normalised_cell(expr: str) -> str:
    return f"lower(regexp_replace(trim({expr}), '\\s+', ' ', 'g'))"


def _mark_skipped(con, reason: str, where: str, present: set[str]) -> int:
    """Mark rows a mapping skips (their cells emptied so no check or format guess sees them)."""
    have = {r[0] for r in con.execute(f"DESCRIBE {reading.RAW_TABLE}").fetchall()}
    if SKIP not in have:
        con.execute(f"ALTER TABLE {reading.RAW_TABLE} ADD COLUMN {SKIP} VARCHAR")
    blank = "".join(f", {values.q(c)} = NULL" for c in sorted(present & have))
    return con.execute(f"UPDATE {reading.RAW_TABLE} SET {SKIP} = {values.lit(reason)}{blank} "
                       f"WHERE {SKIP} IS NULL AND ({where})").fetchone()[0]


def _skip_rows(con, mp, skip_at: dict[str, list[int]], present: set[str], lang: str, notes: list[str]) -> int:
    """skip_rows_where, each condition counted in the order the mapping gives them."""
    total = 0
    for j, key in enumerate(skip_at):
        wanted = mp.skip_rows_where[key]
        texts = sorted({" ".join(v.split()).lower() for v in wanted if v.strip()})
        parts = []
        for k in range(len(skip_at[key])):
            col = f"_skip_{j}_{k}"
            if texts:
                parts.append(f"{_normalised_cell(col)} IN ({', '.join(values.lit(v) for v in texts)})")
            if any(not v.strip() for v in wanted):
                parts.append(f"{col} IS NULL")
        if not parts:
            continue
        n = _mark_skipped(con, f"where:{key}", " OR ".join(parts), present)
        if n:
            shown = ", ".join(f'"{v}"' for v in wanted)
            notes.append(t("ingest.note.skipped_where", lang, n=n, column=key, values=shown))
        total += n
    return total


def outside_city(raw: str) -> str | None:
    """The dotted Kemendagri code of a well-formed code outside the city, else None."""
    from warroom.ingest.codes import DOTTED_RE
    value = raw.strip()
    digits = value.replace(" ", "")
    if digits.isdigit() and len(digits) in (2, 4, 6, 10):
        value = ".".join(p for p in (digits[:2], digits[2:4], digits[4:6], digits[6:]) if p)
    if not DOTTED_RE.match(value):
        return None
    kota = city().kode
    return None if value == kota or value.startswith(kota + ".") else value


def _skip_outside(con, mp, maps, present: set[str], lang: str, notes: list[str]) -> int:
    """Rows whose region code is well formed but outside the city: skipped (counted) or refused
    as code.outside_region (one reason, not code.unknown)."""
    from warroom.ingest.codes import Resolved
    total = 0
    for m in maps:
        if m.column != "kode_wilayah":
            continue
        outside = {raw: code for raw, res in m.resolved.items() if res.code is None and (code := outside_city(raw))}
        if not outside:
            continue
        if mp.outside_region == "refuse":
            for raw in outside:
                m.resolved[raw] = Resolved(None, "code.outside_region", {"kota": city().nama})
            continue
        where = f"{values.q(m.column)} IN ({', '.join(values.lit(v) for v in sorted(outside))})"
        n = _mark_skipped(con, "outside_region", where, present)
        prefixes = sorted({code[:5] for code in outside.values()})
        notes.append(t("ingest.note.skipped_outside", lang, n=n, kota=city().nama,
                       codes=", ".join(prefixes[:10]) + (" …" if len(prefixes) > 10 else "")))
        total += n
    return total
