"""The wall's map as a plotly figure (SVG): the same areas, colours, points and names as
the interactive pydeck map, drawn without WebGL.

Why: a wall rotates through its panels for days, and every time the pydeck map was shown
again Chromium kept the old deck.gl instance (JS heap 18 -> 32 MB and DOM nodes 546 ->
1878 in two minutes of rotation, bench/soak.py). An SVG figure is replaced like the other
charts. A TV does not need to pan or hover, and weak TV GPUs are spared too.
"""
from __future__ import annotations

import math

import plotly.graph_objects as go

from warroom import peta
from warroom.config import city

LABEL_PX = 30          # kecamatan names, as on the pydeck wall map
OUTLINE = "#282828"
# Marker shapes match the legend's symbols, so status never rests on colour alone.
SHAPES = {"●": "circle", "■": "square", "▲": "triangle-up", "◆": "diamond", "○": "circle-open",
          "⬡": "hexagon", "✚": "cross", "★": "star"}
RING_SHAPES = {"●": "circle-open", "■": "square-open", "▲": "triangle-up-open", "◆": "diamond-open",
               "○": "circle-open"}


def merc_y(lat: float) -> float:
    """Web Mercator northing in degree units, so x (longitude) and y share one scale."""
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _rgba(c: list[int]) -> str:
    r, g, b, *a = c
    return f"rgba({r},{g},{b},{(a[0] if a else 255) / 255:.3f})"


def _area_traces(md: peta.MapData) -> list[go.Scatter]:
    """One filled trace per colour: polygon outlines joined by gaps (None)."""
    by_fill: dict[str, tuple[list, list]] = {}
    for a in md.areas:
        xs, ys = by_fill.setdefault(_rgba(a["fill"]), ([], []))
        for rings in a["polygons"]:
            outer = rings[0]
            xs.extend([p[0] for p in outer] + [None])
            ys.extend([merc_y(p[1]) for p in outer] + [None])
    return [go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=fill, hoverinfo="skip",
                       line=dict(color=OUTLINE, width=2 if md.options.tingkat == "kecamatan" else 1),
                       showlegend=False) for fill, (xs, ys) in by_fill.items()]


def _symbol(row: dict, kind: str) -> str:
    if kind == "cctv":
        status = row.get("status")
        return SHAPES[peta.CCTV_STATUS[status][1] if status in peta.CCTV_STATUS else "○"]
    if kind == "menara":
        status = row.get("status")
        return RING_SHAPES[peta.IZIN_STATUS[status][1] if status in peta.IZIN_STATUS else "○"]
    band = peta.bor_band(row.get("bor"))
    return SHAPES[next((s for n, _, _, s in peta.BOR_BANDS if n == band), "○")]


def _point_trace(rows: list[dict], kind: str, size_px: float, scale: float) -> go.Scatter:
    sizes = [2 * float(r.get("radius") or size_px) * scale for r in rows]
    return go.Scatter(
        x=[r["position"][0] for r in rows], y=[merc_y(r["position"][1]) for r in rows], mode="markers",
        name=kind, hoverinfo="skip", showlegend=False,
        marker=dict(size=sizes, color=[_rgba(r["color"]) for r in rows],
                    symbol=[_symbol(r, kind) if r.get("jenis") != "kelompok" else "circle" for r in rows],
                    line=dict(color="#000000" if kind != "menara" else None, width=1.5 * scale)))


def _fit(width_px: int, height_px: int, padding: float = 0.04) -> tuple[list[float], list[float]]:
    """Axis ranges showing the city's bbox at the frame's aspect ratio (1 degree = 1 degree)."""
    min_lon, min_lat, max_lon, max_lat = city().bbox
    x0, x1, y0, y1 = min_lon, max_lon, merc_y(min_lat), merc_y(max_lat)
    span = max((x1 - x0) / width_px, (y1 - y0) / height_px) / (1 - 2 * padding)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return [cx - span * width_px / 2, cx + span * width_px / 2], [cy - span * height_px / 2, cy + span * height_px / 2]


def placed_labels(labels: list[dict], x_range: list[float], deg_per_px: float, size_px: float) -> list[dict]:
    """Names that do not overlap another (larger areas first; a name may move one line up or
    down to fit, and is moved inside the frame's edges), as deck.gl's collision filter does on
    the interactive map. Each kept label gets its drawn `xy` (longitude, Mercator y)."""
    boxes: list[tuple[float, float, float, float]] = []
    kept: list[dict] = []
    half_w_per_char, half_h = 0.34 * size_px * deg_per_px, 0.6 * size_px * deg_per_px
    for lab in sorted(labels, key=lambda lab: -lab["priority"]):
        half_w = half_w_per_char * len(lab["text"])
        x = min(max(lab["position"][0], x_range[0] + half_w), x_range[1] - half_w)
        y = merc_y(lab["position"][1])
        for dy in (0.0, -2 * half_h, 2 * half_h):
            box = (x - half_w, y + dy - half_h, x + half_w, y + dy + half_h)
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
                boxes.append(box)
                kept.append({**lab, "xy": (x, y + dy)})
                break
    return kept


# ---------------------------------------------------------------- framing: mainland + islands inset

NEAR_DEG = 0.01   # ~1.1 km: kecamatan closer than this to each other belong to one land mass


def split_outlying(areas: list[dict]) -> tuple[list[dict], list[dict]]:
    """(mainland areas, outlying areas): each area keeps the polygon parts on that side. Parts
    within NEAR_DEG of each other form land masses; the mass with the largest area is the main
    frame, the others (islands far out at sea) go to an inset. Found from the shapes alone,
    nothing here knows a name: any city with islands, or none, is handled alike."""
    import shapely
    from shapely.geometry import Polygon
    parts, owners = [], []
    for i, a in enumerate(areas):
        for j, rings in enumerate(a["polygons"]):
            if len(rings[0]) >= 3:
                parts.append(Polygon(rings[0]))
                owners.append((i, j))
    if not parts:
        return list(areas), []
    group = list(range(len(parts)))

    def root(k):
        while group[k] != k:
            group[k] = group[group[k]]
            k = group[k]
        return k
    tree = shapely.STRtree(parts)
    left, right = tree.query(parts, predicate="dwithin", distance=NEAR_DEG)
    for a, b in zip(left.tolist(), right.tolist()):
        ra, rb = root(a), root(b)
        if ra != rb:
            group[max(ra, rb)] = min(ra, rb)
    size: dict[int, float] = {}
    for k, part in enumerate(parts):
        size[root(k)] = size.get(root(k), 0.0) + part.area
    main = max(size, key=lambda r: (size[r], -r))
    keep: dict[int, tuple[list, list]] = {}
    for k, (i, j) in enumerate(owners):
        keep.setdefault(i, ([], []))[0 if root(k) == main else 1].append(areas[i]["polygons"][j])
    mainland = [{**areas[i], "polygons": m} for i, (m, _) in sorted(keep.items()) if m]
    outlying = [{**areas[i], "polygons": o} for i, (_, o) in sorted(keep.items()) if o]
    return mainland, outlying


def _bbox(areas: list[dict]) -> tuple[float, float, float, float] | None:
    xs: list[float] = []
    ys: list[float] = []
    for a in areas:
        for rings in a["polygons"]:
            xs.extend(p[0] for p in rings[0])
            ys.extend(p[1] for p in rings[0])
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def frames(md: peta.MapData) -> dict:
    """The main frame (mainland parts) and the inset (outlying parts): their areas and bboxes."""
    mainland, outlying = split_outlying(md.areas)
    return {"main": _bbox(mainland) or city().bbox, "inset": _bbox(outlying), "main_areas": mainland,
            "island_areas": outlying}


def _inside(point, box, margin: float = 0.0) -> bool:
    return box[0] - margin <= point[0] <= box[2] + margin and box[1] - margin <= point[1] <= box[3] + margin


def _fit_box(box, width_px: float, height_px: float, padding: float = 0.04) -> tuple[list[float], list[float]]:
    min_lon, min_lat, max_lon, max_lat = box
    x0, x1, y0, y1 = min_lon, max_lon, merc_y(min_lat), merc_y(max_lat)
    span = max((x1 - x0) / width_px, (y1 - y0) / height_px) / (1 - 2 * padding)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return [cx - span * width_px / 2, cx + span * width_px / 2], [cy - span * height_px / 2, cy + span * height_px / 2]


INSET_SHARE = 0.27    # the inset's share of the figure's width (left edge: the sea side is free)


def figure(md: peta.MapData, *, width_px: int, height_px: int, scale: float = 1.0,
           inset_title: str | None = None) -> go.Figure:
    """The main frame on the mainland kecamatan; island kecamatan (found from the shapes, see
    split_outlying) drawn in a framed inset at the left, titled with their name."""
    fr = frames(md)
    inset = fr["inset"]
    main_left = INSET_SHARE if inset else 0.0
    main_w = width_px * (1 - main_left)
    xr, yr = _fit_box(fr["main"], main_w, height_px)
    fig = go.Figure()
    island_areas, main_areas = fr["island_areas"], fr["main_areas"]
    for tr in _area_traces(_with_areas(md, main_areas)):
        fig.add_trace(tr)
    shown = set(md.options.lapisan)
    layers = [(kind, rows, size) for kind, rows, size in (("faskes", md.faskes, 6), ("menara", md.menara, 7),
                                                          ("cctv", md.cctv, 5)) if kind in shown and rows]
    in_inset = (lambda r: inset is not None and _inside(r["position"], inset, 0.005)
                and not _inside(r["position"], fr["main"]))
    for kind, rows, size in layers:
        drawn = peta.drawable_points(rows, kind, md.options.lang)
        main_rows = [r for r in drawn if not in_inset(r)]
        if main_rows:
            fig.add_trace(_point_trace(main_rows, kind, size, scale * (1.5 if kind == "cctv" else 1.4)))
    if "label" in shown and md.labels:
        label_px = LABEL_PX * scale
        labels = [lab for lab in md.labels if not (inset and _inside(lab["position"], inset))]
        kept = placed_labels(labels, xr, (xr[1] - xr[0]) / main_w, label_px)
        fig.add_trace(go.Scatter(
            x=[lab["xy"][0] for lab in kept], y=[lab["xy"][1] for lab in kept],
            text=[lab["text"] for lab in kept], mode="text", hoverinfo="skip", showlegend=False, cliponaxis=False,
            textfont=dict(size=label_px, color="#ffffff", family="DejaVu Sans, Arial, sans-serif", weight=700,
                          shadow="2px 2px 3px #000, -2px -2px 3px #000, 2px -2px 3px #000, -2px 2px 3px #000")))
    fig.update_layout(height=height_px, margin=dict(l=0, r=0, t=0, b=0), paper_bgcolor="rgba(0,0,0,0)",
                      plot_bgcolor="rgba(0,0,0,0)", dragmode=False, showlegend=False,
                      # constrain="domain": keep these ranges and shrink the frame if the column is
                      # not the expected shape, so nothing computed above falls off an edge.
                      xaxis=dict(visible=False, range=xr, fixedrange=True, constrain="domain",
                                 domain=[main_left, 1.0]),
                      yaxis=dict(visible=False, range=yr, fixedrange=True, scaleanchor="x", scaleratio=1,
                                 constrain="domain"))
    if inset:
        _add_inset(fig, md, island_areas, layers, in_inset, inset, width_px, height_px, scale,
                   inset_title if inset_title is not None else islands_name(md, fr))
    return fig


def _with_areas(md: peta.MapData, areas: list[dict]) -> peta.MapData:
    from dataclasses import replace
    return replace(md, areas=areas)


ISLAND_MIN_PX = 16   # the smallest island drawn in the inset, across (at scale 1)


def _visible_islands(areas: list[dict], deg_per_px: float, min_px: float) -> list[dict]:
    """Each island part smaller than `min_px` across at this scale enlarged about its centre to
    that size: islands of a few hundred metres spread over tens of kilometres of sea are specks
    at true scale, and a speck shows neither where an island is nor its area's colour. Points
    (facilities, cameras) keep their true positions."""
    def visible(rings: list) -> list:
        xs, ys = [p[0] for p in rings[0]], [p[1] for p in rings[0]]
        across = max(max(xs) - min(xs), max(ys) - min(ys)) / deg_per_px
        if across >= min_px:
            return rings
        grow = min_px / max(across, 1e-9)
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        return [[[cx + (x - cx) * grow, cy + (y - cy) * grow] for x, y, *_ in ring] for ring in rings]
    return [{**a, "polygons": [visible(rings) for rings in a["polygons"] if rings and rings[0]]} for a in areas]


def _add_inset(fig, md, island_areas, layers, in_inset, box, width_px, height_px, scale, title) -> None:
    """Islands in their own axes (x2/y2) at the left, framed, with the kecamatan's name above."""
    top = 0.92
    domain_w = INSET_SHARE - 0.02
    inset_h = height_px * 0.55
    xr, yr = _fit_box(box, width_px * domain_w, inset_h, padding=0.08)
    island_areas = _visible_islands(island_areas, (xr[1] - xr[0]) / (width_px * domain_w), ISLAND_MIN_PX * scale)
    for tr in _area_traces(_with_areas(md, island_areas)):
        tr.update(xaxis="x2", yaxis="y2")
        fig.add_trace(tr)
    for kind, rows, size in layers:
        drawn = [r for r in peta.drawable_points(rows, kind, md.options.lang) if in_inset(r)]
        if drawn:
            tr = _point_trace(drawn, kind, size, scale * (1.5 if kind == "cctv" else 1.4))
            tr.update(xaxis="x2", yaxis="y2")
            fig.add_trace(tr)
    bottom = top - inset_h / height_px
    fig.update_layout(
        xaxis2=dict(visible=False, range=xr, fixedrange=True, domain=[0.0, domain_w], anchor="y2",
                    constrain="domain"),
        yaxis2=dict(visible=False, range=yr, fixedrange=True, domain=[bottom, top], anchor="x2",
                    scaleanchor="x2", scaleratio=1, constrain="domain"))
    fig.add_shape(type="rect", xref="x2 domain", yref="y2 domain", x0=0, x1=1, y0=0, y1=1,
                  line=dict(color="#8a94a8", width=2 * scale), fillcolor="rgba(255,255,255,0.03)")
    if title:
        fig.add_annotation(xref="x2 domain", yref="y2 domain", x=0, y=1, yanchor="bottom", xanchor="left",
                           text=title, showarrow=False,
                           font=dict(size=LABEL_PX * scale * 0.85, color="#ffffff",
                                     family="DejaVu Sans, Arial, sans-serif", weight=700))


def islands_name(md: peta.MapData, fr: dict | None = None) -> str | None:
    """The islands' name(s) for the inset: the kecamatan labels that lie in the islands' box."""
    fr = fr or frames(md)
    if not fr["inset"]:
        return None
    names = [lab["text"] for lab in md.labels if _inside(lab["position"], fr["inset"])]
    return " · ".join(sorted(set(names))) or None
