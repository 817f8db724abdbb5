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
SHAPES = {"●": "circle", "■": "square", "▲": "triangle-up", "◆": "diamond", "○": "circle-open"}
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
        return SHAPES[peta.CCTV_STATUS.get(row.get("status"), (None, "○"))[1]]
    if kind == "menara":
        return RING_SHAPES[peta.IZIN_STATUS.get(row.get("status"), (None, "○"))[1]]
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
    boxes, kept = [], []
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


def figure(md: peta.MapData, *, width_px: int, height_px: int, scale: float = 1.0) -> go.Figure:
    xr, yr = _fit(width_px, height_px)
    fig = go.Figure(_area_traces(md))
    shown = set(md.options.lapisan)
    for kind, rows, size in (("faskes", md.faskes, 6), ("menara", md.menara, 7), ("cctv", md.cctv, 5)):
        if kind in shown and rows:
            fig.add_trace(_point_trace(peta.drawable_points(rows, kind, md.options.lang), kind, size,
                                       scale * (1.5 if kind == "cctv" else 1.4)))
    if "label" in shown and md.labels:
        size = LABEL_PX * scale
        kept = placed_labels(md.labels, xr, (xr[1] - xr[0]) / width_px, size)
        fig.add_trace(go.Scatter(
            x=[lab["xy"][0] for lab in kept], y=[lab["xy"][1] for lab in kept],
            text=[lab["text"] for lab in kept], mode="text", hoverinfo="skip", showlegend=False, cliponaxis=False,
            textfont=dict(size=size, color="#ffffff", family="DejaVu Sans, Arial, sans-serif", weight=700,
                          shadow="2px 2px 3px #000, -2px -2px 3px #000, 2px -2px 3px #000, -2px 2px 3px #000")))
    fig.update_layout(height=height_px, margin=dict(l=0, r=0, t=0, b=0), paper_bgcolor="rgba(0,0,0,0)",
                      plot_bgcolor="rgba(0,0,0,0)", dragmode=False, showlegend=False,
                      # constrain="domain": keep these ranges and shrink the frame if the column is
                      # not the expected shape, so nothing computed above falls off an edge.
                      xaxis=dict(visible=False, range=xr, fixedrange=True, constrain="domain"),
                      yaxis=dict(visible=False, range=yr, fixedrange=True, scaleanchor="x", scaleratio=1,
                                 constrain="domain"))
    return fig
