"""The wall's SVG map (warroom.peta_plot): the same areas, points and names as the pydeck map."""
from __future__ import annotations

import pytest

from warroom import peta, peta_plot
from tests.test_peta import fill, load  # the known fixture data of the map tests


@pytest.fixture
def md(store):
    fill(store)
    return load(store)


def test_every_kecamatan_is_one_filled_outline_coloured_as_on_the_deck_map(md):
    fig = peta_plot.figure(md, width_px=1450, height_px=828)
    areas = [t for t in fig.data if t.fill == "toself"]
    parts = sum(len(a["polygons"]) for a in md.areas)
    assert len(md.areas) == 15
    assert sum(list(t.x).count(None) for t in areas) == parts        # one outline per polygon part
    assert {t.fillcolor for t in areas} == {peta_plot._rgba(a["fill"]) for a in md.areas}


def test_camera_status_is_a_shape_as_well_as_a_colour(md):
    fig = peta_plot.figure(md, width_px=1450, height_px=828)
    cameras = next(t for t in fig.data if t.name == "cctv")
    assert len(cameras.x) == len(md.cctv) == 3
    by_code = dict(zip([c["kode"] for c in md.cctv], cameras.marker.symbol))
    # CCTV-3 sits in another kelurahan than its code says: listed as a problem, not drawn
    assert by_code == {"CCTV-1": "circle", "CCTV-2": "square", "CCTV-4": "diamond"}
    faskes = next(t for t in fig.data if t.name == "faskes")
    bands = [peta.bor_band(f["bor"]) for f in md.faskes]
    assert set(bands) == {"rendah", "tinggi", None}
    assert list(faskes.marker.symbol) == [{"rendah": "circle-open", "ideal": "circle", "tinggi": "square",
                                           None: "circle-open"}[b] for b in bands]


def test_names_do_not_overlap_larger_areas_first_and_stay_inside_the_frame():
    labels = [{"text": "Besar", "position": [119.40, -5.10], "priority": 9},
              {"text": "Kecil", "position": [119.401, -5.10], "priority": 1},   # on top of Besar
              {"text": "Tepi Barat", "position": [119.00, -5.20], "priority": 5}]
    kept = peta_plot.placed_labels(labels, [119.0, 119.6], deg_per_px=0.0004, size_px=30)
    assert [k["text"] for k in kept] == ["Besar", "Tepi Barat", "Kecil"]
    besar, edge, kecil = (k["xy"] for k in kept)
    assert kecil[0] == pytest.approx(119.401) and kecil[1] == pytest.approx(besar[1] - 2 * 0.6 * 30 * 0.0004)
    half_width = 0.34 * 30 * 0.0004 * len("Tepi Barat")
    assert edge[0] == pytest.approx(119.0 + half_width)          # moved right until it fits


def test_a_4k_wall_draws_names_and_dots_twice_as_large(md):
    hd = peta_plot.figure(md, width_px=1450, height_px=828)
    uhd = peta_plot.figure(md, width_px=2900, height_px=1656, scale=2)
    names = [t for t in (hd, uhd) for t in t.data if t.mode == "text"]
    assert [n.textfont.size for n in names] == [30, 60]
    assert list(hd.layout.xaxis.range) == pytest.approx(list(uhd.layout.xaxis.range))   # same view
