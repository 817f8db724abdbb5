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


def layers(data: peta.MapData, *, wall: bool = False, labels: list[dict] | None = None) -> list[pdk.Layer]:
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
        out.append(pdk.Layer("TextLayer", id="label", data=data.labels if labels is None else labels,
                             get_position="position",
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


def build(data: peta.MapData, *, wall: bool = False, width_px: int = 1100, height_px: int = 640,
          bbox=None, names: bool = True) -> CompactDeck:
    """The map framed on `bbox`; by default the mainland areas (islands far out at sea are
    shown in an inset, build_inset; see peta_plot.split_outlying)."""
    from warroom.peta import plot as peta_plot
    style = basemap()
    extra = {"map_provider": "carto", "map_style": style} if style else {"map_provider": None}
    view = fit_bbox(bbox or peta_plot.frames(data)["main"], width_px, height_px)
    # Names that would overlap at the opening view are left out (larger areas first), as on
    # the wall's SVG map: deck.gl's collision filter did not keep them apart at 1440x900.
    deg_per_px = 360 / (TILE * 2 ** view.zoom)
    half_w = width_px / 2 * deg_per_px
    # 1.3: deck.gl's bold outlined text is wider than the SVG estimate placed_labels makes.
    kept = peta_plot.placed_labels(data.labels if names else [], [view.longitude - half_w, view.longitude + half_w],
                                   deg_per_px, 1.3 * (30 if wall else 15))
    kept = [{k: v for k, v in lab.items() if k != "xy"}
            | {"position": [lab["xy"][0], math.degrees(2 * math.atan(math.exp(math.radians(lab["xy"][1]))) - math.pi / 2)]}
            for lab in kept]
    return CompactDeck(
        layers=layers(data, wall=wall, labels=kept),
        initial_view_state=view,
        views=[pdk.View(type="MapView", controller=True)],
        tooltip={"html": "{tooltip}",
                 "style": {"fontSize": "20px" if wall else "14px", "backgroundColor": "#1B1F2A",
                           "color": "#FFFFFF", "maxWidth": "360px", "lineHeight": "1.35",
                           "whiteSpace": "pre-line"}},
        **extra)


def build_inset(data: peta.MapData, *, width_px: int = 300, height_px: int = 220) -> CompactDeck | None:
    """The islands alone (same layers), or None when the city has none."""
    from warroom.peta import plot as peta_plot
    box = peta_plot.frames(data)["inset"]
    # No names inside: the inset's title names the islands.
    return None if box is None else build(data, width_px=width_px, height_px=height_px, bbox=box, names=False)


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
                    "items": [{"colour": c, "shape": "dot", "symbol": s, "label": peta.bor_words(n, lang)}
                              for n, _, c, s in peta.BOR_BANDS]
                    + [{"colour": peta.GREY, "shape": "dot", "symbol": "○", "label": t("fmt.na", lang)}]})
    return out
