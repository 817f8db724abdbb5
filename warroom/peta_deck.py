"""The pydeck Deck and the legend of the war-room map, built from warroom.peta's MapData.

Drawn without internet: `map_provider=None` and no map style, unless the city's config
names a basemap (`[peta] basemap` in data/city.toml) for a room that is online.
The deck's JSON is written compactly (pydeck indents it), which matters at 100,000 points.
"""
from __future__ import annotations

import math

import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from warroom import peta
from warroom.config import city
from warroom.i18n import t

TILE = 512  # deck.gl's world size in pixels at zoom 0


class CompactDeck(pdk.Deck):
    def to_json(self):
        import json
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def fit_bbox(bbox, width_px: int, height_px: int, padding: float = 0.04) -> pdk.ViewState:
    """The view that shows the whole bbox [min_lon, min_lat, max_lon, max_lat] in the frame."""
    min_lon, min_lat, max_lon, max_lat = bbox

    def merc_y(lat):
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    dx = (max_lon - min_lon) / 360
    dy = (merc_y(max_lat) - merc_y(min_lat)) / (2 * math.pi)
    usable = 1 - 2 * padding
    zoom = min(math.log2(width_px * usable / (TILE * dx)), math.log2(height_px * usable / (TILE * dy)))
    centre_lat = math.degrees(2 * math.atan(math.exp((merc_y(max_lat) + merc_y(min_lat)) / 2)) - math.pi / 2)
    return pdk.ViewState(longitude=round((min_lon + max_lon) / 2, 5), latitude=round(centre_lat, 5),
                         zoom=round(zoom, 2), pitch=0, bearing=0)


def basemap() -> str | None:
    """The basemap style URL when the config switches one on (default: none, offline)."""
    return (getattr(city(), "peta", None) or {}).get("basemap") or None


def layers(data: peta.MapData, *, wall: bool = False) -> list[pdk.Layer]:
    opts, lang = data.options, data.options.lang
    shown = set(opts.lapisan)
    out = []
    if "wilayah" in shown:
        polys = [{"kode": a["kode"], "nama": a["nama"], "jenis": "wilayah", "polygon": rings,
                  "fill": a["fill"], "nilai": a["nilai"], "tooltip": a["tooltip"]}
                 for a in data.areas for rings in a["polygons"]]
        out.append(pdk.Layer("PolygonLayer", id="wilayah", data=polys, get_polygon="polygon",
                             get_fill_color="fill", get_line_color=[40, 40, 40, 220],
                             line_width_min_pixels=2 if opts.tingkat == "kecamatan" else 1,
                             stroked=True, filled=True, pickable=True, auto_highlight=True,
                             highlight_color=[255, 255, 255, 90]))
    if "faskes" in shown and data.faskes:
        rows = peta.drawable_points(data.faskes, "faskes", lang)
        out.append(pdk.Layer("ScatterplotLayer", id="faskes", data=rows, get_position="position",
                             get_fill_color="color", get_radius="radius", radius_units="'pixels'",
                             radius_scale=1.4 if wall else 1.0, opacity=0.85, stroked=True,
                             get_line_color=[0, 0, 0, 255], line_width_min_pixels=1.5, pickable=True))
    if "menara" in shown and data.menara:
        rows = peta.drawable_points(data.menara, "menara", lang)
        # Towers are rings, cameras are dots: the shape tells them apart, not colour alone.
        out.append(pdk.Layer("ScatterplotLayer", id="menara", data=rows, get_position="position",
                             get_line_color="color", get_radius="radius" if rows is not data.menara else 7,
                             radius_units="'pixels'", radius_scale=1.4 if wall else 1.0, filled=False,
                             stroked=True, line_width_min_pixels=3, line_width_units="'pixels'", pickable=True))
    if "cctv" in shown and data.cctv:
        rows = peta.drawable_points(data.cctv, "cctv", lang)
        out.append(pdk.Layer("ScatterplotLayer", id="cctv", data=rows, get_position="position",
                             get_fill_color="color", get_radius="radius" if rows is not data.cctv else 5,
                             radius_units="'pixels'", radius_scale=1.5 if wall else 1.0, stroked=True,
                             get_line_color=[255, 255, 255, 255], line_width_min_pixels=1, pickable=True))
    if "label" in shown:
        out.append(pdk.Layer("TextLayer", id="label", data=data.labels, get_position="position",
                             get_text="text", get_size=30 if wall else 15, size_units="'pixels'",
                             get_color=[255, 255, 255, 255], font_weight=700,
                             font_family="'DejaVu Sans, Arial, sans-serif'",
                             font_settings={"sdf": True}, outline_width=4, outline_color=[0, 0, 0, 255],
                             get_text_anchor="'middle'", get_alignment_baseline="'center'", pickable=False,
                             # Overlapping names in the dense centre are hidden until zoomed in,
                             # the larger kecamatan first.
                             extensions=[{"@@type": "CollisionFilterExtension"}], collision_enabled=True,
                             get_collision_priority="priority"))
    return out


def build(data: peta.MapData, *, wall: bool = False, width_px: int = 1100, height_px: int = 640) -> CompactDeck:
    style = basemap()
    extra = {"map_provider": "carto", "map_style": style} if style else {"map_provider": None}
    return CompactDeck(
        layers=layers(data, wall=wall),
        initial_view_state=fit_bbox(city().bbox, width_px, height_px),
        views=[pdk.View(type="MapView", controller=True)],
        tooltip={"html": "{tooltip}",
                 "style": {"fontSize": "20px" if wall else "14px", "backgroundColor": "#1B1F2A",
                           "color": "#FFFFFF", "maxWidth": "360px", "lineHeight": "1.35",
                           "whiteSpace": "pre-line"}},
        **extra)


def legend(data: peta.MapData) -> list[dict]:
    """Sections of the legend for the shown layers: each item a colour, a symbol/shape and a word."""
    opts, lang = data.options, data.options.lang
    shown = set(opts.lapisan)
    out = []
    if "wilayah" in shown:
        out.append({"title": f"{t('peta.tingkat.' + opts.tingkat, lang)}: {t('peta.measure.' + opts.ukuran, lang)}",
                    "items": [{"colour": c["colour"], "shape": "square", "symbol": c["symbol"], "label": c["label"]}
                              for c in data.classes]})
    if "cctv" in shown:
        out.append({"title": t("peta.layer.cctv", lang),
                    "items": [{"colour": c, "shape": "dot", "symbol": s, "label": t(f"peta.cctv.{k}", lang)}
                              for k, (c, s) in peta.CCTV_STATUS.items()]})
    if "menara" in shown:
        out.append({"title": t("peta.layer.menara", lang),
                    "items": [{"colour": c, "shape": "ring", "symbol": s, "label": t(f"peta.izin.{k}", lang)}
                              for k, (c, s) in peta.IZIN_STATUS.items()]})
    if "faskes" in shown:
        out.append({"title": t("peta.layer.faskes", lang) + " · " + t("peta.faskes.size_note", lang),
                    "items": [{"colour": c, "shape": "dot", "symbol": s, "label": t(f"peta.bor.{n}", lang)}
                              for n, _, c, s in peta.BOR_BANDS]
                    + [{"colour": peta.GREY, "shape": "dot", "symbol": "○", "label": t("fmt.na", lang)}]})
    return out
