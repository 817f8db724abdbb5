"""The per-area daily Covid-19 table (`covid19_wilayah_harian`), computed on a grid.

Each area of the city is a row of the grid and each day a column. The producer's rows are
placed in it; a parent without a figure of its own on a day takes the sum of its children's
(per column, per day: the data standard's roll-up, kelurahan -> kecamatan -> kota); the
cumulative and 7-day sums are running sums along the days. Nothing is sorted: the same
definition as one SQL query (kept where the tests hold this module to it,
tests/reference/covid_daily_by_area.sql) spent most of a 16-year backfill sorting a million wide
rows and summing windows over them; on the grid the computing takes a fraction of the time of
writing the table (bench/README.md). A long span is computed a piece of days at a time
(memory), carrying each area's first day and cumulative sums a week before the piece from the
rows already stored, as after an upload.

No Streamlit, no pandas: the ingest command imports this module.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import numpy as np

from warroom import db, profile

# The daily counts of the upload, in covid19_harian's order.
COUNTS = ("kasus_baru", "sembuh_baru", "meninggal_baru", "rawat_inap_baru", "dirawat", "isolasi_mandiri",
          "spesimen_diperiksa", "spesimen_positif")
# The table as pages read it: the types the SQL definition gave (a sum is HUGEINT), kept so
# that pages read the same values (pandas reads HUGEINT as float64 with NaN, BIGINT with NULLs
# as Int64 with pd.NA).
COLUMNS = (
    ("tanggal", "DATE"), ("kode_wilayah", "VARCHAR"), ("tingkat", "VARCHAR"), ("kode_induk", "VARCHAR"),
    ("penduduk", "HUGEINT"), ("hari_ke", "BIGINT"), ("ada_data", "BOOLEAN"),
    *((c, "HUGEINT") for c in COUNTS),
    ("kasus_kumulatif", "BIGINT"), ("sembuh_kumulatif", "BIGINT"), ("meninggal_kumulatif", "BIGINT"),
    ("aktif", "BIGINT"), ("cfr_persen", "DOUBLE"),
    ("kasus_7hari", "BIGINT"), ("sembuh_7hari", "BIGINT"), ("meninggal_7hari", "BIGINT"),
    ("rawat_inap_7hari", "BIGINT"), ("kasus_rerata_7hari", "DOUBLE"),
    ("kasus_7hari_per_100rb", "DOUBLE"), ("rawat_inap_7hari_per_100rb", "DOUBLE"),
    ("meninggal_7hari_per_100rb", "DOUBLE"), ("positivity_7hari_persen", "DOUBLE"),
)
# What is stored, in `<table>__angka`: writing the rows is most of a long build, so the table
# keeps only what the grid computes, in the narrowest types. The area's texts and population
# (`<table>__wilayah`, one row per area) and the six figures that are one expression of a
# row's own values and its area's population are joined and computed by the view `<table>`,
# which gives COLUMNS in that order and with those types: a rate per 100,000 needs only
# whether its week had a figure (`ada_*_7hari`; rawat_inap_7hari is NULL without one).
# 7 of 29 columns fewer to write, and the narrower types, take half off the write of a
# 16-year backfill (bench/README.md).
# The counts and their sums (COUNTED) are INTEGER while every one of them fits: no figure of
# an area can pass the sum of the absolute values of its column over all the producer's rows
# (an area's day is its own row or a sum of its descendants' rows), so that bound decides
# before anything is computed. A store whose bound reaches 2**31 keeps them as BIGINT; a
# change that makes an INTEGER table's bound reach it rebuilds the table whole (build).
COUNTED = (*COUNTS, "kasus_kumulatif", "sembuh_kumulatif", "meninggal_kumulatif",
           "kasus_7hari", "sembuh_7hari", "meninggal_7hari", "rawat_inap_7hari")
NARROW_LIMIT = 2**31


def stored_columns(wide: bool) -> tuple[tuple[str, str], ...]:
    """The stored columns and their types: counts as BIGINT when `wide`, else INTEGER."""
    count = "BIGINT" if wide else "INTEGER"
    return (("tanggal", "DATE"), ("kode_wilayah", "VARCHAR"), ("hari_ke", "INTEGER"), ("ada_data", "BOOLEAN"),
            *((c, count) for c in COUNTED),
            ("ada_kasus_7hari", "BOOLEAN"), ("ada_meninggal_7hari", "BOOLEAN"),
            ("positivity_7hari_persen", "DOUBLE"))


STORED = stored_columns(wide=False)
# The view's columns that are not stored as they are read.
_VIEWED = {
    "tingkat": "a.tingkat", "kode_induk": "a.kode_induk", "penduduk": "a.penduduk::hugeint",
    "aktif": "d.kasus_kumulatif::bigint - d.sembuh_kumulatif - d.meninggal_kumulatif",   # no INTEGER overflow
    "cfr_persen": "case when d.kasus_kumulatif > 0 then d.meninggal_kumulatif::double * 100 / d.kasus_kumulatif end",
    "kasus_rerata_7hari": "d.kasus_7hari::double / 7",
    # the rates as the grid would compute them in float64: (sum * 100000.0) / population
    "kasus_7hari_per_100rb": "case when d.ada_kasus_7hari and a.penduduk > 0 "
                             "then d.kasus_7hari::double * 100000.0 / a.penduduk::double end",
    "rawat_inap_7hari_per_100rb": "case when a.penduduk > 0 "
                                  "then d.rawat_inap_7hari::double * 100000.0 / a.penduduk::double end",
    "meninggal_7hari_per_100rb": "case when d.ada_meninggal_7hari and a.penduduk > 0 "
                                 "then d.meninggal_7hari::double * 100000.0 / a.penduduk::double end",
}
_AREAS = "covid_grid_areas"
_PIECE = "covid_grid_piece"
_WARM_UP = 6       # days before a piece read again, so its first 7-day sums are whole
# A piece holds about this many area-days (a row each): some 400 bytes each while computed, so
# a 16-year backfill of 169 areas runs in three pieces and its ingest peaks near 800 MB.
PIECE_CELLS = 400_000
_CHILD_LEVEL = {"kecamatan": "kelurahan", "kota": "kecamatan"}   # roll-up order: bottom up


@dataclass(frozen=True)
class Areas:
    """The grid's rows: the city's areas in storage order (each parent's children together)."""
    kode: np.ndarray
    tingkat: np.ndarray
    induk: np.ndarray
    children: tuple[tuple[int, np.ndarray], ...]   # (parent row, its children's rows), bottom up

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection, kota: str) -> Areas:
        """The areas, also kept as the temp table covid_grid_areas (their texts join the rows there)."""
        con.execute(f"create or replace temp table {_AREAS} as select row_number() over "
                    f"(order by kode_induk, kode_wilayah) - 1 as baris, * from ({db.load_query('covid_grid_areas')})",
                    {"kota": kota})
        rows = con.execute(f"select kode_wilayah, tingkat, kode_induk from {_AREAS} order by baris").fetchall()
        kode = np.array([r[0] for r in rows], dtype=object)
        tingkat = np.array([r[1] for r in rows], dtype=object)
        induk = np.array([r[2] for r in rows], dtype=object)
        children = []
        for level in ("kecamatan", "kota"):
            for parent in np.flatnonzero(tingkat == level):
                kids = np.flatnonzero((tingkat == _CHILD_LEVEL[level]) & (induk == kode[parent]))
                children.append((int(parent), kids))
        return cls(kode, tingkat, induk, tuple(children))


def build(con: duckdb.DuckDBPyConnection, table: str, *, kota: str, produsen: str, start: date | None,
          days: int | None = None, temporary: bool = False) -> None:
    """Bring the view `table` (and the tables behind it, see STORED) up to date from `start`
    (None: rebuild it whole), `days` days per piece (None: PIECE_CELLS area-days).
    Runs in the caller's transaction; the table exists unless start is None. A temporary table
    serves a read-only connection (an export from a store whose table is behind)."""
    stored, kind = f"{table}__angka", "temp " if temporary else ""
    try:
        areas = Areas.load(con, kota)
        con.execute(f"create or replace {kind}table {table}__wilayah as "
                    f"select kode_wilayah, tingkat, kode_induk, penduduk from {_AREAS}")
        days = days or max(7, PIECE_CELLS // max(1, len(areas.kode)))
        first, last, bound = db.one_row(con, db.load_query("covid_grid_span"), {"produsen": produsen})
        wide = (bound or 0) >= NARROW_LIMIT
        if start is not None and not wide:
            wide = _is_wide(con, stored)         # a wide table stays wide
        elif start is not None and not _is_wide(con, stored):
            start = None                         # a figure may no longer fit the table: rebuild it wide
        if start is None:
            if not temporary:
                _drop_former_table(con, table)
            schema = ", ".join(f"{n} {t}" for n, t in stored_columns(wide))
            con.execute(f"create or replace {kind}table {stored} ({schema})")
            con.execute(f"create or replace {kind}view {table} as {_view(table, wide)}")
            start = first
        else:
            con.execute(f"delete from {stored} where tanggal >= ?", [start])
        while start is not None and last is not None and start <= last:
            end = min(start + timedelta(days=days - 1), last)
            _piece(con, stored, areas, produsen, start, end, wide)
            start = end + timedelta(days=1)
    finally:
        con.execute(f"drop table if exists {_AREAS}")
        profile.laps_done()


def _view(table: str, wide: bool) -> str:
    """COLUMNS from the stored rows and their area's row."""
    stored = dict(stored_columns(wide))
    select = []
    for name, kind in COLUMNS:
        if name in _VIEWED:
            select.append(f"{_VIEWED[name]} as {name}")
        else:
            select.append(f"d.{name}" + (f"::{kind.lower()} as {name}" if stored[name] != kind else ""))
    return (f"select {', '.join(select)} from {table}__angka as d "
            f"join {table}__wilayah as a on a.kode_wilayah = d.kode_wilayah")


def _is_wide(con: duckdb.DuckDBPyConnection, stored: str) -> bool:
    return db.scalar(con, "select data_type from information_schema.columns where table_name = ? "
                          "and column_name = 'kasus_baru'", [stored]) == "BIGINT"


def _drop_former_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """A store written before the view (covid.DAILY_VERSION < 4) has a table under its name."""
    if db.scalar(con, "select count(*) from information_schema.tables where table_schema = 'main' "
                      "and table_name = ? and table_type = 'BASE TABLE'", [table]):
        con.execute(f"drop table {table}")


def _piece(con: duckdb.DuckDBPyConnection, stored: str, areas: Areas, produsen: str, start: date, end: date,
           wide: bool) -> None:
    """Compute and store the rows from `start` to `end` (the dataset's last day at most); every
    count and sum in int64 when `wide`, else in int32 (see COUNTED)."""
    lo = start - timedelta(days=_WARM_UP)
    counts = np.int64 if wide else np.int32
    grid = _Grid.read(con, areas, produsen, lo, end, counts)
    grid.roll_up(areas.children)
    carried = _carried(con, stored, areas, lo - timedelta(days=1), counts)
    columns = grid.measures(carried)
    profile.lap("derived: compute")
    _store(con, stored, columns, lo, wide)
    profile.lap("derived: write")


@dataclass
class _Grid:
    """One piece: areas x days from `lo` (the first _WARM_UP days only feed the 7-day sums)."""
    seen: np.ndarray                 # a row that day (ada_data)
    value: dict[str, np.ndarray]     # per count: the figure, 0 when there is none
    known: dict[str, np.ndarray]     # per count: the figure is given

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection, areas: Areas, produsen: str, lo: date, end: date,
             counts: type[np.signedinteger]) -> _Grid:
        sql = db.load_query("covid_grid_figures")
        if counts is np.int32:      # every count fits it (see COUNTED): half the bytes to fetch
            sql = f"select baris::integer as baris, hari, {', '.join(f'{c}::integer as {c}' for c in COUNTS)} from ({sql})"
        got = con.execute(sql, {"produsen": produsen, "dari": lo, "sampai": end}).fetchnumpy()
        profile.lap("derived: read")
        shape = (len(areas.kode), (end - lo).days + 1)
        at = got["baris"].astype(np.intp) * shape[1] + got["hari"]         # the cell of each row
        seen = np.zeros(shape, dtype=bool)
        seen.ravel()[at] = True
        value, known = {}, {}
        for name in COUNTS:
            column = got[name]
            value[name] = np.zeros(shape, dtype=counts)
            value[name].ravel()[at] = np.ma.getdata(column)
            if np.ma.is_masked(column):
                value[name].ravel()[at[np.ma.getmaskarray(column)]] = 0
                known[name] = np.zeros(shape, dtype=bool)
                known[name].ravel()[at] = ~np.ma.getmaskarray(column)
            else:                          # every row gives it: known wherever there is a row
                known[name] = seen.copy()
        return cls(seen, value, known)

    def roll_up(self, children: tuple[tuple[int, np.ndarray], ...]) -> None:
        """Per count and day, a parent's own figure, else the sum of its children's (bottom up)."""
        for parent, kids in children:
            if not len(kids):
                continue
            self.seen[parent] |= self.seen[kids].any(axis=0)
            for name in COUNTS:
                own = self.known[name][parent]
                self.value[name][parent] = np.where(own, self.value[name][parent], self.value[name][kids].sum(axis=0))
                self.known[name][parent] = own | self.known[name][kids].any(axis=0)

    def measures(self, carried: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """The stored columns of every area's days from the piece's start, area by area, day by day
        (`baris`, `hari` place them; NULL where the definition says so, as masked values)."""
        n_areas, n_days = self.seen.shape
        day_index = np.arange(n_days)
        # each area's first day: before the piece (a stored row the day before it), else its first row
        first_seen = np.where(self.seen.any(axis=1), self.seen.argmax(axis=1), n_days)
        first = np.where(carried["has"], carried["first"], first_seen)      # a day index, < 0 before lo
        stored = (day_index[None, _WARM_UP:] >= first[:, None]).ravel()   # the rows from the piece's start
        every = bool(stored.all())             # the usual case: every area has every day (a slice is enough)

        def cells(x: np.ndarray) -> np.ndarray:
            return x[:, _WARM_UP:].ravel() if every else x[:, _WARM_UP:].ravel()[stored]

        counts = self.value["kasus_baru"].dtype   # int32 when every sum fits it (see COUNTED)

        def running(x: np.ndarray) -> np.ndarray:                      # sums from lo (0 before a first day)
            return np.cumsum(x, axis=1, dtype=counts)

        def week(total: np.ndarray) -> np.ndarray:                     # the 7 days to each stored day
            sums = total[:, _WARM_UP:].copy()
            sums[:, 1:] -= total[:, :n_days - _WARM_UP - 1]
            return sums.ravel() if every else sums.ravel()[stored]

        area_of = np.repeat(np.arange(n_areas, dtype=np.int32), n_days - _WARM_UP)
        day_of = np.tile(np.arange(_WARM_UP, n_days, dtype=np.int32), n_areas)
        if not every:
            area_of, day_of = area_of[stored], day_of[stored]
        hari_ke = day_of - first[area_of] + 1
        whole_week = hari_ke >= 7

        out: dict[str, np.ndarray] = {"baris": area_of, "hari": day_of,
                                      "hari_ke": hari_ke, "ada_data": cells(self.seen)}
        for name in COUNTS:
            out[name] = _when(cells(self.known[name]), cells(self.value[name]))
        week_sum, week_n = {}, {}
        for kind in ("kasus", "sembuh", "meninggal", "rawat_inap"):
            total = running(self.value[f"{kind}_baru"])
            week_sum[kind] = week(total)
            if kind != "rawat_inap":
                out[f"{kind}_kumulatif"] = carried[kind][area_of] + cells(total)
            if kind != "sembuh":
                week_n[kind] = week(np.cumsum(self.known[f"{kind}_baru"], axis=1, dtype=np.int32))
        paired = self.known["spesimen_positif"]                    # positivity pairs the two columns
        tested = week(running(np.where(paired, self.value["spesimen_diperiksa"], 0)))
        positive = week(running(np.where(paired, self.value["spesimen_positif"], 0)))

        out["kasus_7hari"] = _when(whole_week, week_sum["kasus"])
        out["sembuh_7hari"] = _when(whole_week, week_sum["sembuh"])
        out["meninggal_7hari"] = _when(whole_week, week_sum["meninggal"])
        out["rawat_inap_7hari"] = _when(whole_week & (week_n["rawat_inap"] > 0), week_sum["rawat_inap"])
        out["ada_kasus_7hari"] = week_n["kasus"] > 0       # the view's rates per 100,000 (see STORED)
        out["ada_meninggal_7hari"] = week_n["meninggal"] > 0
        out["positivity_7hari_persen"] = _when(whole_week & (tested > 0), positive * 100.0 / np.maximum(tested, 1))
        return out


def _when(given: np.ndarray, values: np.ndarray) -> np.ma.MaskedArray:
    """`values` where `given`, NULL elsewhere."""
    return np.ma.masked_array(values, mask=~given)


def _store(con: duckdb.DuckDBPyConnection, stored: str, columns: dict[str, np.ndarray], lo: date,
           wide: bool) -> None:
    """Insert a piece's rows, each area's code joined from covid_grid_areas."""
    kinds = stored_columns(wide)
    names = [c for c, _ in kinds]
    select = ", ".join(["$dari::date + p.hari", "a.kode_wilayah"] +
                       [f"p.{c}::{t}" for c, t in kinds if c not in ("tanggal", "kode_wilayah")])
    # an INTEGER column is read fastest from int32 (a wider array is cast value by value)
    columns = {name: values.astype(np.int32) if dict(kinds).get(name) == "INTEGER" and values.dtype != np.int32
               else values for name, values in columns.items()}
    con.register(_PIECE, columns)
    # Written in parallel: the rows keep their order within each thread's share (a row group
    # still holds about 20 neighbouring areas), and the write takes half the time.
    con.execute("set session preserve_insertion_order = false")
    try:
        con.execute(f"insert into {stored} ({', '.join(names)}) select {select} from {_PIECE} as p "
                    f"join {_AREAS} as a using (baris)", {"dari": lo})
    finally:
        con.execute("reset session preserve_insertion_order")
        con.unregister(_PIECE)


def _carried(con: duckdb.DuckDBPyConnection, stored: str, areas: Areas, day: date,
             counts: type[np.signedinteger]) -> dict[str, np.ndarray]:
    """Each area's stored row on `day` (the day before a piece's warm-up): whether it has one, its
    first day as a day index of the piece (`day` is -1) and its cumulative sums."""
    n = len(areas.kode)
    out = {"has": np.zeros(n, dtype=bool), "first": np.zeros(n, dtype=np.int64),
           **{k: np.zeros(n, dtype=counts) for k in ("kasus", "sembuh", "meninggal")}}
    rows = con.execute(f"select a.baris, t.hari_ke, t.kasus_kumulatif, t.sembuh_kumulatif, t.meninggal_kumulatif "
                       f"from {stored} as t join {_AREAS} as a using (kode_wilayah) where t.tanggal = ?",
                       [day]).fetchall()
    for baris, hari_ke, kasus, sembuh, meninggal in rows:
        out["has"][baris] = True
        out["first"][baris] = -hari_ke
        out["kasus"][baris], out["sembuh"][baris], out["meninggal"][baris] = kasus, sembuh, meninggal
    return out
