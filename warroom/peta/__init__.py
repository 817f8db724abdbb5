"""The war-room map's data: areas with their figures, points, colours, legends, data problems.

No streamlit here (warroom.peta.deck turns this into a pydeck Deck; the panel draws it).
Colour choices: status colours are Okabe-Ito (colour-blind safe) and every colour is paired
with a word in the legend and in the tooltip; continuous measures use a 5-class sequential
blue scale (ColorBrewer Blues, safe for colour-blind viewers) with a grey "not available".
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import shapely

from warroom import cctv, covid, datasets, db, fmt, geo
from warroom.config import THRESHOLDS
from warroom.covid import LEVEL_STYLE, level_of_rates
from warroom.i18n import t
from warroom.missing import or_none

LEVELS = ("kecamatan", "kelurahan")
MEASURES = ("kasus_100k", "level", "aktif", "cctv", "menara", "bor")
LAYERS = ("wilayah", "label", "cctv", "menara", "faskes")
# Shown when the URL names none: towers (250+ rings) would hide the areas at city scale.
DEFAULT_LAYERS = ("wilayah", "label", "cctv", "faskes")
# Above this many points a layer is drawn as one circle per grid cell (counts in the tooltip):
# 100,000 single dots are unreadable on a city map and heavy for the browser.
MAX_POINTS = 3000
CELL_M = 400.0

GREY = "#999999"
BLUES = ("#EFF3FF", "#BDD7E7", "#6BAED6", "#3182BD", "#08519C")
SUPPRESSED_COLOUR = "#CC79A7"  # Okabe-Ito purple: apart from the blues and the grey
# Okabe-Ito colour and symbol of each status; the word comes from the i18n catalogue.
CCTV_STATUS = {"online": ("#009E73", "●"), "offline": ("#D55E00", "■"), "rusak": ("#E69F00", "▲"),
               "pemeliharaan": ("#0072B2", "◆")}
IZIN_STATUS = {"berlaku": ("#009E73", "●"), "proses": ("#56B4E9", "◆"), "kedaluwarsa": ("#E69F00", "▲"),
               "tanpa_izin": ("#D55E00", "■")}
# Bed occupancy (BOR) bands: below 60 % low, 60 % to THRESHOLDS.bor_high_percent the usual
# ideal, above it high. Shapes and colours of their own (hexagon, cross, star; sky, green,
# reddish purple), so no facility status looks like a camera's (● ■ ▲ ◆) on the map.
BOR_BANDS = (("rendah", 60.0, "#56B4E9", "⬡"), ("ideal", THRESHOLDS.bor_high_percent, "#009E73", "✚"),
             ("tinggi", math.inf, "#CC79A7", "★"))


def bor_words(band: str, lang: str) -> str:
    """'BOR 60–85 %' with the configured threshold."""
    return t(f"peta.bor.{band}", lang, high=fmt.number(THRESHOLDS.bor_high_percent, lang))


@dataclass(frozen=True)
class Options:
    tanggal: date
    tingkat: str = "kecamatan"
    ukuran: str = "kasus_100k"
    lapisan: tuple[str, ...] = LAYERS
    operator: str | None = None
    penyedia: str | None = None
    lang: str = "id"
    anonymous: bool = False

    def __post_init__(self):
        if self.tingkat not in LEVELS:
            raise ValueError(f"unknown level {self.tingkat!r}")
        if self.ukuran not in MEASURES:
            raise ValueError(f"unknown measure {self.ukuran!r}")


@dataclass
class MapData:
    options: Options
    areas: list[dict]
    cctv: list[dict]
    menara: list[dict]
    faskes: list[dict]
    problems: list[dict]
    operators: list[str] = field(default_factory=list)
    providers: list[str] = field(default_factory=list)
    classes: list[dict] = field(default_factory=list)   # legend of the choropleth
    labels: list[dict] = field(default_factory=list)    # kecamatan names at a point inside each


def hex_rgb(colour: str, alpha: int = 255) -> list[int]:
    c = colour.lstrip("#")
    return [int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16), alpha]


def tip(*lines: Any) -> str:
    """A tooltip: plain text lines. Streamlit escapes the text it puts into the tooltip's HTML
    (so text from uploads cannot inject markup); the tooltip style keeps the line breaks."""
    return "\n".join(str(x) for x in lines if x not in (None, ""))


# ---------------------------------------------------------------- measures

def transmission_level(cases: float | None, admissions: float | None, deaths: float | None,
                       population: float | None) -> int | None:
    """Community-transmission level (1-4) from weekly counts: their unrounded rates per 100,000
    under the one rule (covid.transmission). None when no indicator is available."""
    def rate(count):
        return count * 100_000 / population if count is not None and population else None   # as the SQL does
    return level_of_rates(rate(cases), rate(admissions), rate(deaths))


def nice_breaks(values: list[float], classes: int = 5) -> list[float]:
    """Upper bounds of up to `classes` classes from quantiles, rounded to 2 significant digits."""
    vals = sorted(v for v in values if v is not None)
    if not vals:
        return []
    out: list[float] = []
    for q in range(1, classes):
        v = vals[min(len(vals) - 1, int(q * len(vals) / classes))]
        if v > 0:
            mag = 10 ** (math.floor(math.log10(v)) - 1)
            v = math.ceil(v / mag) * mag
        if not out or v > out[-1]:
            out.append(float(v))
    if vals[-1] > (out[-1] if out else -math.inf):
        out.append(float(vals[-1]))
    return out


def bor(terisi, total) -> float | None:
    if or_none(total) is None or or_none(terisi) is None or not total:
        return None
    return terisi / total * 100


def bor_band(value: float | None) -> str | None:
    if value is None:
        return None
    for name, upper, _, _ in BOR_BANDS:
        if value < upper:
            return name
    return BOR_BANDS[-1][0]


# ---------------------------------------------------------------- loading

def _rows(con, name: str, **params) -> list[dict]:
    return db.rows_as_dicts(con.execute(db.load_query(name), params))


def _polygons(geom, decimals: int = 5) -> list[list[list[list[float]]]]:
    """Each polygon part as a list of rings of [lon, lat], rounded (1e-5 deg ~ 1 m)."""
    parts = geom.geoms if hasattr(geom, "geoms") else [geom]
    out = []
    for p in parts:
        rings = [p.exterior, *p.interiors]
        out.append([np.round(np.asarray(r.coords)[:, :2], decimals).tolist() for r in rings])
    return out


def _label_position(geom) -> list[float]:
    parts = geom.geoms if hasattr(geom, "geoms") else [geom]
    largest = max(parts, key=lambda p: p.area)
    pt = shapely.point_on_surface(largest)
    return [round(pt.x, 5), round(pt.y, 5)]


def load(con, opts: Options, areas_index: geo.Areas | None = None) -> MapData:
    """Everything the map draws for these options, from the store."""
    lang = opts.lang
    kel_index = areas_index or geo.Areas.from_db(con, "kelurahan")
    cctv = _rows(con, "peta_cctv", produsen=datasets.get("cctv").producer)
    menara = _rows(con, "peta_menara", produsen=datasets.get("menara_bts").producer)
    faskes = _rows(con, "peta_fasyankes", produsen=datasets.get("fasyankes").producer, tanggal=opts.tanggal)
    names = dict(con.execute("SELECT kode_wilayah, nama FROM wilayah").fetchall())

    problems: list[dict] = []
    kept = {}
    for ds, rows, key in (("cctv", cctv, "kode_cctv"), ("menara_bts", menara, "kode_menara"),
                          ("fasyankes", faskes, "kode_faskes")):
        kept[ds] = _place_points(ds, rows, key, kel_index, names, problems)
    cctv, menara, faskes = kept["cctv"], kept["menara_bts"], kept["fasyankes"]

    operators = sorted({o.strip() for r in menara for o in (r["operator"] or "").split(";") if o.strip()})
    providers = sorted({r["penyedia_menara"] for r in menara if r["penyedia_menara"]})
    menara = [r for r in menara if _tower_matches(r, opts.operator, opts.penyedia)]

    areas = _areas(con, opts, cctv, menara, faskes)
    # Above MAX_POINTS a layer is drawn grouped: single-point tooltips would never be seen.
    data = MapData(opts, areas, [_cctv_row(r, lang, len(cctv) <= MAX_POINTS) for r in cctv],
                   [_menara_row(r, lang, len(menara) <= MAX_POINTS) for r in menara],
                   [_faskes_row(r, lang, len(faskes) <= MAX_POINTS) for r in faskes], problems, operators, providers)
    colour_areas(data)
    kecamatan = [{"nama": b["nama"], "geom": shapely.from_geojson(b["geojson"])}
                 for b in _rows(con, "peta_batas", tingkat="kecamatan")]
    for rank, a in enumerate(sorted(kecamatan, key=lambda a: shapely.area(a["geom"]))):
        a["luas_rank"], a["label_position"] = rank, _label_position(a["geom"])
    data.labels = [{"text": a["nama"], "position": a["label_position"], "priority": a.get("luas_rank", 0)}
                   for a in kecamatan]
    return data


def _place_points(ds: str, rows: list[dict], key: str, index: geo.Areas, names: dict, problems: list) -> list[dict]:
    """Fill missing kode_wilayah from the point; points whose given code disagrees with the area
    they fall in go to `problems` and are not drawn."""
    if not rows:
        return []
    lons = [r["longitude"] for r in rows]
    lats = [r["latitude"] for r in rows]
    found = index.assign(lons, lats)
    bad = {m.key: m for m in index.mismatches([r[key] for r in rows], [r["kode_wilayah"] for r in rows], lons, lats,
                                              found=found)}
    kept = []
    for r, hit in zip(rows, found):
        m = bad.get(r[key])
        if m is not None:
            problems.append({"dataset": ds, "kode": r[key], "nama": r.get("nama_lokasi") or r.get("nama") or "",
                             "kode_wilayah": m.given, "nama_wilayah": names.get(m.given, ""),
                             "wilayah_titik": m.found, "nama_wilayah_titik": names.get(m.found, "") if m.found else "",
                             "jarak_m": m.distance_m, "longitude": m.longitude, "latitude": m.latitude})
            continue
        if hit is None and not r["kode_wilayah"]:
            problems.append({"dataset": ds, "kode": r[key], "nama": r.get("nama_lokasi") or r.get("nama") or "",
                             "kode_wilayah": None, "nama_wilayah": "", "wilayah_titik": None,
                             "nama_wilayah_titik": "", "jarak_m": None,
                             "longitude": r["longitude"], "latitude": r["latitude"]})
            continue
        r = dict(r)
        # The kelurahan the point is in (the stored code may be a kecamatan code).
        r["kelurahan"] = hit if hit is not None else (r["kode_wilayah"] if len(r["kode_wilayah"].split(".")) == 4 else None)
        r["kecamatan"] = geo.kecamatan_of(r["kelurahan"] or r["kode_wilayah"])
        kept.append(r)
    return kept


def _tower_matches(row: dict, operator: str | None, penyedia: str | None) -> bool:
    if operator and operator not in [o.strip() for o in (row["operator"] or "").split(";")]:
        return False
    return not penyedia or row["penyedia_menara"] == penyedia


def _areas(con, opts: Options, cctv, menara, faskes) -> list[dict]:
    covid.ensure_daily(con)   # the Covid page's per-area table: one roll-up, one population
    figures = {r["kode_wilayah"]: r for r in _rows(con, "peta_covid_by_area", tingkat=opts.tingkat,
                                                   tanggal=opts.tanggal)}
    by_area: dict[str, dict[str, Any]] = {}
    key = "kecamatan" if opts.tingkat == "kecamatan" else "kelurahan"
    for name, rows in (("cctv", cctv), ("menara", menara)):
        for r in rows:
            counts = by_area.setdefault(r[key], {})
            counts[name] = counts.get(name, 0) + 1
    for r in faskes:
        counts = by_area.setdefault(r[key], {})
        if or_none(r["tt_total"]) is not None and or_none(r["tt_terisi"]) is not None:
            counts["tt_total"] = counts.get("tt_total", 0) + r["tt_total"]
            counts["tt_terisi"] = counts.get("tt_terisi", 0) + r["tt_terisi"]
        counts["faskes"] = counts.get("faskes", 0) + 1

    out = []
    for b in _rows(con, "peta_batas", tingkat=opts.tingkat):
        geom = shapely.from_geojson(b["geojson"])
        c = figures.get(b["kode_wilayah"], {})
        # The population the rates are per: the Covid table's (the area's own, else its
        # children's sum), so the map's level is the Covid page's; the boundary's without figures.
        pop = or_none(c["penduduk"]) if c else or_none(b["penduduk"])
        cases = or_none(c.get("kasus_7h"))
        counts = by_area.get(b["kode_wilayah"], {})
        out.append({
            "kode": b["kode_wilayah"], "nama": b["nama"], "penduduk": pop, "jenis": "wilayah",
            "polygons": _polygons(geom), "label_position": _label_position(geom),
            "kasus_7h": cases,
            "kasus_100k": cases * 100_000 / pop if cases is not None and pop else None,
            "level": transmission_level(cases, or_none(c.get("rawat_inap_7h")), or_none(c.get("meninggal_7h")), pop),
            "aktif": or_none(c.get("kasus_aktif")),
            "data_sampai": or_none(c.get("hari_terakhir")),
            "cctv": counts.get("cctv", 0), "menara": counts.get("menara", 0), "faskes": counts.get("faskes", 0),
            "bor": bor(counts.get("tt_terisi"), counts.get("tt_total")),
        })
    return out


# ---------------------------------------------------------------- colours and tooltips

def _hidden(count, opts: Options) -> bool:
    """Anonymous viewers do not see kelurahan counts 1..4, nor rates derived from them."""
    return (opts.anonymous and opts.tingkat == "kelurahan" and count is not None
            and 0 < count < THRESHOLDS.suppress_below)


def _suppressed(area: dict, opts: Options) -> bool:
    if opts.ukuran == "aktif":
        return _hidden(area["aktif"], opts)
    return opts.ukuran == "kasus_100k" and _hidden(area["kasus_7h"], opts)


def colour_areas(data: MapData) -> None:
    """Fill each area's colour, class word and tooltip for the chosen measure; set the legend."""
    opts, lang = data.options, data.options.lang
    measure = opts.ukuran
    na = t("fmt.na", lang)
    classes: list[dict] = []
    if measure == "level":
        for lv, (colour, sym) in LEVEL_STYLE.items():
            classes.append({"colour": colour, "symbol": sym, "label": t("peta.level.n", lang, n=lv), "key": lv})
    elif measure == "bor":
        for name, _, colour, sym in BOR_BANDS:
            classes.append({"colour": colour, "symbol": sym, "label": bor_words(name, lang), "key": name})
    else:
        values = [a[measure] for a in data.areas if not _suppressed(a, opts) and a[measure] is not None]
        breaks = nice_breaks(values)
        lower = 0.0
        decimals = 1 if measure == "kasus_100k" else 0
        for i, upper in enumerate(breaks):
            colour = BLUES[i + len(BLUES) - len(breaks)]
            label = f"{fmt.number(lower, lang, decimals)} – {fmt.number(upper, lang, decimals)}"
            classes.append({"colour": colour, "symbol": "", "label": label, "key": upper})
            lower = upper
    suppressed_used = False
    for a in data.areas:
        value = a[measure]
        if _suppressed(a, opts):
            colour, word = SUPPRESSED_COLOUR, t("fmt.suppressed", lang, n=THRESHOLDS.suppress_below)
            suppressed_used = True
        elif value is None:
            colour, word = GREY, na
        elif measure == "level":
            colour, word = LEVEL_STYLE[value][0], t("peta.level.n", lang, n=value)
        elif measure == "bor":
            band = bor_band(value)
            colour = next(c for n, _, c, _ in BOR_BANDS if n == band)
            assert band is not None   # the value is a number here, and `next` found its band
            word = f"{fmt.percent(value, lang)} ({bor_words(band, lang)})"
        else:
            cls = next((c for c in classes if value <= c["key"]), classes[-1])
            colour = cls["colour"]
            word = fmt.number(value, lang, 1 if measure == "kasus_100k" else 0)
        a["fill"] = hex_rgb(colour, 200)
        a["nilai"] = word
        a["tooltip"] = area_tooltip(a, opts)
    if suppressed_used:
        classes.append({"colour": SUPPRESSED_COLOUR, "symbol": "", "key": "suppressed",
                        "label": t("fmt.suppressed", lang, n=THRESHOLDS.suppress_below)})
    classes.append({"colour": GREY, "symbol": "", "label": na, "key": None})
    data.classes = classes


def area_figures(a: dict, opts: Options) -> list[tuple[str, str]]:
    """(label, value) pairs of an area, formatted for the viewer (tooltip and detail panel)."""
    lang = opts.lang

    def count(v):
        return fmt.count_for_viewer(v, tingkat=opts.tingkat, anonymous=opts.anonymous, lang=lang)

    hidden = _hidden(a["kasus_7h"], opts)
    rate = t("fmt.suppressed", lang, n=THRESHOLDS.suppress_below) if hidden else fmt.measure(a["kasus_100k"], lang)
    level = t("peta.level.n", lang, n=a["level"]) if a["level"] else t("fmt.na", lang)
    return [
        (t("peta.measure.kasus_7h", lang), count(a["kasus_7h"])),
        (t("peta.measure.kasus_100k", lang), rate),
        (t("peta.measure.level", lang), level),
        (t("peta.measure.aktif", lang), count(a["aktif"])),
        (t("peta.measure.cctv", lang), fmt.number(a["cctv"], lang)),
        (t("peta.measure.menara", lang), fmt.number(a["menara"], lang)),
        (t("peta.measure.bor", lang), fmt.percent(a["bor"], lang)),
        (t("peta.penduduk", lang), fmt.number(a["penduduk"], lang)),
    ]


def area_tooltip(a: dict, opts: Options) -> str:
    shown = t("peta.measure." + opts.ukuran, opts.lang)
    rows = [f"{k}: {v}" for k, v in area_figures(a, opts)[:4] if k != shown]
    return tip(f"{t('peta.tingkat.' + opts.tingkat, opts.lang)} {a['nama']}", f"{shown}: {a['nilai']}", *rows)


def _bare_row(kind: str, r: dict, key: str, status: str, name: str) -> dict:
    return {"jenis": kind, "kode": r[key], "nama": r.get(name) or "", "status": r[status],
            "position": [r["longitude"], r["latitude"]], "kode_wilayah": r["kelurahan"] or r["kode_wilayah"],
            "tooltip": ""}


def _cctv_row(r: dict, lang: str, full: bool = True) -> dict:
    if not full:
        return _bare_row("cctv", r, "kode_cctv", "status", "nama_lokasi")
    colour, sym = CCTV_STATUS.get(r["status"], (GREY, "○"))
    word = t(f"peta.cctv.{r['status']}", lang)
    seen = fmt.datetime_local(r["terakhir_aktif"], lang) if or_none(r["terakhir_aktif"]) else t("fmt.na", lang)
    return {"jenis": "cctv", "kode": r["kode_cctv"], "nama": r["nama_lokasi"], "status": r["status"],
            "position": [round(r["longitude"], 6), round(r["latitude"], 6)], "color": hex_rgb(colour),
            "kode_wilayah": r["kelurahan"] or r["kode_wilayah"], "terakhir_aktif": seen,
            # never the stored URL (it may hold a password, a token or a private address)
            "stream": cctv.viewer_link(r["kode_cctv"], r["url_stream"]) or "",
            "tooltip": tip(f"{t('peta.layer.cctv', lang)} {r['kode_cctv']}", r["nama_lokasi"], f"{sym} {word}",
                           f"{t('peta.cctv.last_seen', lang)}: {seen}")}


def _menara_row(r: dict, lang: str, full: bool = True) -> dict:
    if not full:
        return {**_bare_row("menara", r, "kode_menara", "status_izin", "operator"), "operator": r["operator"]}
    colour, sym = IZIN_STATUS.get(r["status_izin"], (GREY, "○"))
    word = t(f"peta.izin.{r['status_izin']}", lang)
    expiry = fmt.long_date(r["izin_berakhir"], lang) if or_none(r["izin_berakhir"]) else t("fmt.na", lang)
    operators = ", ".join(o.strip() for o in (r["operator"] or "").split(";") if o.strip())
    provider = r["penyedia_menara"] or t("fmt.na", lang)
    return {"jenis": "menara", "kode": r["kode_menara"], "status": r["status_izin"], "operator": operators,
            "penyedia": provider, "izin_berakhir": expiry, "tinggi_m": or_none(r["tinggi_m"]),
            "position": [round(r["longitude"], 6), round(r["latitude"], 6)], "color": hex_rgb(colour),
            "kode_wilayah": r["kelurahan"] or r["kode_wilayah"],
            "tooltip": tip(f"{t('peta.layer.menara', lang)} {r['kode_menara']}",
                           f"{t('peta.menara.operator', lang)}: {operators}",
                           f"{t('peta.menara.penyedia', lang)}: {provider}",
                           f"{sym} {word} · {t('peta.menara.berakhir', lang)} {expiry}")}


def _faskes_row(r: dict, lang: str, full: bool = True) -> dict:
    value = bor(r["tt_terisi"], r["tt_total"])
    if not full:
        return {**_bare_row("faskes", r, "kode_faskes", "jenis", "nama"), "bor": value}
    band = bor_band(value)
    colour, sym = next(((c, s) for n, _, c, s in BOR_BANDS if n == band), (GREY, "○"))
    beds = or_none(r["tt_total"]) or 0
    word = bor_words(band, lang) if band else t("fmt.na", lang)
    return {"jenis": "faskes", "kode": r["kode_faskes"], "nama": r["nama"], "jenis_faskes": r["jenis"],
            "tt_total": or_none(r["tt_total"]), "tt_terisi": or_none(r["tt_terisi"]), "bor": value,
            "tanggal": str(r["tanggal"]), "position": [round(r["longitude"], 6), round(r["latitude"], 6)],
            "color": hex_rgb(colour), "radius": round(3 + 0.7 * math.sqrt(beds), 1),
            "kode_wilayah": r["kelurahan"] or r["kode_wilayah"],
            "tooltip": tip(f"{r['nama']} ({t('peta.faskes.' + r['jenis'], lang)})",
                           f"{t('peta.faskes.beds', lang)}: {fmt.number(or_none(r['tt_total']), lang)}",
                           f"BOR: {sym} {fmt.percent(value, lang)} ({word})")}


# ---------------------------------------------------------------- thinning

def drawable_points(rows: list[dict], kind: str, lang: str) -> list[dict]:
    """The rows a map draws for a layer: each point, or above MAX_POINTS one per grid cell."""
    if len(rows) > MAX_POINTS:
        return aggregate_points(rows, kind, lang)
    return rows


def aggregate_points(rows: list[dict], kind: str, lang: str, cell_m: float = CELL_M) -> list[dict]:
    """One circle per grid cell (`cell_m` metres) holding the count of each status and the
    colour of the most common one (ties: the first in the status order, worst last)."""
    if not rows:
        return []
    palette = CCTV_STATUS if kind == "cctv" else IZIN_STATUS if kind == "menara" else None
    statuses = list(palette) if palette else ["faskes"]
    xy = np.array([r["position"] for r in rows], dtype=float)
    per_lon, per_lat = geo.metres_per_degree(float(xy[:, 1].mean()))
    cells = np.floor(np.column_stack([xy[:, 0] * per_lon, xy[:, 1] * per_lat]) / cell_m).astype(np.int64)
    status_idx = np.array([statuses.index(r["status"]) if palette and r["status"] in statuses else 0 for r in rows])
    uniq, inverse = np.unique(cells, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    counts = np.zeros((len(uniq), len(statuses)), dtype=np.int64)
    np.add.at(counts, (inverse, status_idx), 1)
    sums = np.zeros((len(uniq), 2))
    np.add.at(sums, inverse, xy)
    totals = counts.sum(axis=1)
    centres = np.round(sums / totals[:, None], 5)
    out = []
    layer_word = t(f"peta.layer.{kind}", lang)
    words = [t(f"peta.{_status_ns(kind)}.{s}", lang) if palette else "" for s in statuses]
    colours = [hex_rgb(palette[s][0]) if palette else hex_rgb("#0072B2") for s in statuses]
    for i, (row_counts, total) in enumerate(zip(counts.tolist(), totals.tolist())):
        top = max(range(len(statuses)), key=row_counts.__getitem__)
        parts = ", ".join(f"{_int(n, lang)} {w}" for w, n in zip(words, row_counts) if n and palette)
        out.append({"jenis": "kelompok", "kode": f"{kind}-{i}", "position": centres[i].tolist(),
                    "count": total, "color": colours[top], "radius": round(4 + 3 * math.sqrt(total), 1),
                    "tooltip": tip(f"{_int(total, lang)} × {layer_word}", parts)})
    return out


def _int(n: int, lang: str) -> str:
    """A whole number with the language's thousands separator (babel is too slow per cell)."""
    return f"{n:,}".replace(",", "." if lang == "id" else ",")


def _status_ns(kind: str) -> str:
    return {"cctv": "cctv", "menara": "izin"}.get(kind, kind)


def problem_rows(data: MapData) -> list[dict]:
    """The data-problem table, with readable column names in the viewer's language."""
    lang = data.options.lang
    out = []
    for p in data.problems:
        out.append({
            t("peta.problem.dataset", lang): p["dataset"],
            t("peta.problem.kode", lang): p["kode"],
            t("peta.problem.nama", lang): p["nama"],
            t("peta.problem.given", lang): f"{p['kode_wilayah']} {p['nama_wilayah']}".strip() if p["kode_wilayah"]
            else t("fmt.na", lang),
            t("peta.problem.found", lang): f"{p['wilayah_titik']} {p['nama_wilayah_titik']}".strip()
            if p["wilayah_titik"] else t("peta.problem.outside", lang),
            t("peta.problem.distance", lang): p["jarak_m"],
            "longitude": p["longitude"], "latitude": p["latitude"],
        })
    return out
