"""The wall's SVG map (warroom.peta.plot): the same areas, points and names as the pydeck map."""
from __future__ import annotations

import pytest

from tests.test_peta import fill, load  # the known fixture data of the map tests
from warroom import peta
from warroom.peta import plot as peta_plot


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
    assert list(faskes.marker.symbol) == [{"rendah": "hexagon", "ideal": "cross", "tinggi": "star",
                                           None: "circle-open"}[b] for b in bands]
    # No facility status is drawn like a camera status (issue 19: ■ meant offline and BOR > 85 %).
    camera_looks = {(s, tuple(peta.hex_rgb(c))) for c, s in (
        (colour, peta_plot.SHAPES[sym]) for colour, sym in peta.CCTV_STATUS.values())}
    facility_looks = {(peta_plot.SHAPES[sym], tuple(peta.hex_rgb(colour))) for _, _, colour, sym in peta.BOR_BANDS}
    assert camera_looks.isdisjoint(facility_looks)
    assert {sym for *_, sym in peta.BOR_BANDS}.isdisjoint({sym for _, sym in peta.CCTV_STATUS.values()})


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


def test_islands_go_to_an_inset_found_from_the_shapes_not_the_name():
    """Two land masses: the larger is the main frame, the far-off one (any name) the inset; a
    small part of a mainland area close to its coast stays in the main frame."""
    from warroom.peta.plot import split_outlying

    def square(x, y, d):
        return [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]
    areas = [{"kode": "A", "nama": "Daratan Satu", "polygons": [square(0, 0, 0.1), square(0.105, 0, 0.01)]},
             {"kode": "B", "nama": "Daratan Dua", "polygons": [square(0.1, 0.1, 0.1)]},
             {"kode": "C", "nama": "Pulau Apa Saja", "polygons": [square(-0.5, 0.3, 0.02), square(-0.45, 0.2, 0.01)]}]
    mainland, outlying = split_outlying(areas)
    assert [(a["kode"], len(a["polygons"])) for a in mainland] == [("A", 2), ("B", 1)]
    assert [(a["kode"], len(a["polygons"])) for a in outlying] == [("C", 2)]
    assert split_outlying(areas[:2])[1] == []                                  # no islands: no inset


def test_an_island_smaller_than_a_few_pixels_is_drawn_at_that_size_about_its_centre():
    """At the inset's scale an islet is a speck: it is enlarged to ISLAND_MIN_PX across, about the
    centre of its box, shape kept; an island already that large is left as it is."""
    from warroom.peta.plot import _visible_islands

    def square(x, y, d):
        return [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]
    areas = [{"kode": "C", "polygons": [square(1.0, 1.0, 0.002), square(2.0, 2.0, 0.05)]}]
    (shown,) = _visible_islands(areas, deg_per_px=0.001, min_px=16)     # 2 px and 50 px across
    small, large = shown["polygons"]
    xs, ys = [p[0] for p in small[0]], [p[1] for p in small[0]]
    assert max(xs) - min(xs) == pytest.approx(0.016) and max(ys) - min(ys) == pytest.approx(0.016)
    assert (min(xs) + max(xs)) / 2 == pytest.approx(1.001) and (min(ys) + max(ys)) / 2 == pytest.approx(1.001)
    assert large == square(2.0, 2.0, 0.05)
    assert areas[0]["polygons"][0] == square(1.0, 1.0, 0.002)               # the map's own data unchanged


def test_the_wall_inset_draws_every_island_at_least_the_smallest_size(md):
    """On the fixture's city, every island part in the inset spans ISLAND_MIN_PX or more."""
    fig = peta_plot.figure(md, width_px=1450, height_px=828)
    if not fig.layout.xaxis2.range:
        pytest.fail("the fixture city has islands: an inset is expected")
    inset_w = 1450 * (fig.layout.xaxis2.domain[1] - fig.layout.xaxis2.domain[0])
    deg_per_px = (fig.layout.xaxis2.range[1] - fig.layout.xaxis2.range[0]) / inset_w
    spans = []
    for trace in fig.data:
        if trace.xaxis == "x2" and trace.fill == "toself":
            part: list[tuple[float, float]] = []
            for x, y in zip(list(trace.x) + [None], list(trace.y) + [None]):
                if x is None:
                    if part:
                        across = max(max(p[0] for p in part) - min(p[0] for p in part),
                                     max(p[1] for p in part) - min(p[1] for p in part))
                        spans.append(across / deg_per_px)
                    part = []
                else:
                    part.append((x, y))
    assert spans and min(spans) >= peta_plot.ISLAND_MIN_PX * 0.99
