"""Point-in-polygon over the real Makassar boundaries (warroom.geo)."""
from __future__ import annotations

import csv
import math

import numpy as np
import pytest
import shapely

from warroom import geo
from warroom.config import DATA_DIR

EARTH_RADIUS_M = 6371008.8  # mean radius: an independent check of geo's ellipsoid metres


def hospitals() -> dict[str, tuple[float, float]]:
    path = DATA_DIR / "reference" / "hospitals_covid_referral_sulsel_hndryno.csv"
    with open(path, encoding="utf-8") as fh:
        return {r["name"]: (float(r["long"]), float(r["lat"])) for r in csv.DictReader(fh)}


def west_of(lon: float, lat: float, metres: float) -> tuple[float, float]:
    return lon - math.degrees(metres / (EARTH_RADIUS_M * math.cos(math.radians(lat)))), lat


@pytest.fixture
def kecamatan(store):
    return geo.Areas.from_db(store, "kecamatan")


@pytest.fixture
def kelurahan(store):
    return geo.Areas.from_db(store, "kelurahan")


def test_real_referral_hospitals_fall_in_their_kecamatan(kecamatan, kelurahan):
    h = hospitals()
    names = ["RSUP DR. WAHIDIN SUDIROHUSODO", "RS DR. TADJUDDIN CHALID, MPH", "RS UMUM DAERAH LABUANG BAJI",
             "RS TK.II PELAMONIA", "RS UMUM DAERAH KABUPATEN SINJAI"]
    lons, lats = zip(*(h[n] for n in names))
    assert kecamatan.assign(lons, lats) == ["73.71.14", "73.71.11", "73.71.02", "73.71.04", None]
    kel = kelurahan.assign(lons, lats)
    assert [geo.kecamatan_of(k) for k in kel] == ["73.71.14", "73.71.11", "73.71.02", "73.71.04", None]
    assert kel[:4] == ["73.71.14.1003", "73.71.11.1002", "73.71.02.1007", "73.71.04.1005"]


def test_levels_loaded_from_the_store(kecamatan, kelurahan):
    assert (len(kecamatan), len(kelurahan)) == (15, 153)
    assert kecamatan.codes[0] == "73.71.01" and kecamatan.codes[-1] == "73.71.15"
    with pytest.raises(LookupError, match="desa"):
        geo.Areas.from_db(_EmptyCon(), "desa")


class _EmptyCon:
    def execute(self, *_a, **_k):
        return self

    def fetchall(self):
        return []


def test_point_on_a_shared_border_goes_to_the_lowest_code_whatever_the_order():
    west, east = shapely.box(119.40, -5.20, 119.41, -5.19), shapely.box(119.41, -5.20, 119.42, -5.19)
    on_edge, corner = (119.41, -5.195), (119.41, -5.19)
    lons, lats = zip(on_edge, corner)
    for codes, geoms in ((["73.71.01", "73.71.02"], [west, east]), (["73.71.02", "73.71.01"], [east, west])):
        areas = geo.Areas(codes, geoms, "kecamatan")
        assert areas.assign(lons, lats) == ["73.71.01", "73.71.01"]
    assert geo.Areas(["73.71.02", "73.71.03"], [west, east], "kecamatan").assign(lons, lats) == ["73.71.02"] * 2


def test_real_boundaries_overlapping_slightly_give_one_answer(kecamatan):
    # The source polygons of Mariso and Mamajang overlap by a sliver along their border;
    # a point in the sliver belongs to both and is given to the lower code.
    mariso, mamajang = kecamatan.geometry("73.71.01"), kecamatan.geometry("73.71.02")
    sliver = shapely.intersection(mariso, mamajang)
    assert 0 < shapely.area(sliver) < 1e-6
    lon, lat = shapely.get_coordinates(shapely.point_on_surface(sliver))[0]
    assert shapely.contains_xy(mariso, lon, lat) and shapely.contains_xy(mamajang, lon, lat)
    assert kecamatan.assign([lon], [lat]) == ["73.71.01"]
    assert geo.Areas(["73.71.02", "73.71.01"], [mamajang, mariso], "kecamatan").assign([lon], [lat]) == ["73.71.01"]


def test_points_off_the_coast_within_500_m_go_to_the_nearest_area(kecamatan, kelurahan):
    # The westernmost vertex of the city (an island of Kepulauan Sangkarrang): anything
    # due west of it is at sea, exactly that far from the city.
    coords = np.vstack([shapely.get_coordinates(g) for g in kecamatan.geometries])
    lon0, lat0 = coords[coords[:, 0].argmin()]
    points = [west_of(lon0, lat0, m) for m in (300, 480, 520, 2000)]
    lons, lats = zip(*points)
    assert kecamatan.assign(lons, lats) == ["73.71.15", "73.71.15", None, None]
    assert [geo.kecamatan_of(k) for k in kelurahan.assign(lons, lats)] == ["73.71.15", "73.71.15", None, None]
    assert kecamatan.distance_m("73.71.15", *points[0]) == pytest.approx(300, abs=2)
    # Tolerance 0: only points inside count.
    assert kecamatan.assign(lons, lats, tolerance_m=0) == [None, None, None, None]


def test_mainland_coast_300_m_out_goes_to_the_coastal_kecamatan_2_km_to_none(kecamatan):
    # Tanjung Bunga: the westernmost vertex of Tamalate, on the open sea.
    tamalate = shapely.get_coordinates(kecamatan.geometry("73.71.10"))
    lon0, lat0 = tamalate[tamalate[:, 0].argmin()]
    near, far = west_of(lon0, lat0, 300), west_of(lon0, lat0, 2000)
    assert kecamatan.assign([near[0], far[0]], [near[1], far[1]]) == ["73.71.10", None]


def test_missing_coordinates_give_none_and_bad_shapes_are_refused(kecamatan):
    h = hospitals()["RS TK.II PELAMONIA"]
    assert kecamatan.assign([float("nan"), h[0], None], [0.0, h[1], -5.1]) == [None, "73.71.04", None]
    assert kecamatan.assign([], []) == []
    with pytest.raises(ValueError, match="2 longitudes but 1 latitudes"):
        kecamatan.assign([1.0, 2.0], [1.0])


def test_kecamatan_of():
    assert geo.kecamatan_of("73.71.01.1001") == "73.71.01"
    assert geo.kecamatan_of("73.71.01") == "73.71.01"
    assert geo.kecamatan_of("73.71") is None
    assert geo.kecamatan_of(None) is None


def test_metres_per_degree_at_minus_five():
    # Exact WGS84 radii of curvature at 5 degrees, computed independently of geo's series.
    a, e2, phi = 6378137.0, 0.00669437999014, math.radians(-5.0)
    w = math.sqrt(1 - e2 * math.sin(phi) ** 2)
    per_lon, per_lat = geo.metres_per_degree(-5.0)
    assert per_lon == pytest.approx(math.radians(1) * a * math.cos(phi) / w, abs=0.5)
    assert per_lat == pytest.approx(math.radians(1) * a * (1 - e2) / w ** 3, abs=0.5)
    assert round(per_lon) == 110_899 and round(per_lat) == 110_583


def test_mismatches_list_points_whose_code_disagrees(kelurahan, kecamatan):
    h = hospitals()
    wahidin, pelamonia, sinjai = (h["RSUP DR. WAHIDIN SUDIROHUSODO"], h["RS TK.II PELAMONIA"],
                                  h["RS UMUM DAERAH KABUPATEN SINJAI"])
    keys = ["ok-kel", "ok-kec", "empty", "wrong-kec", "wrong-kel-same-kec", "outside"]
    given = ["73.71.14.1003", "73.71.14", None, "73.71.02", "73.71.04.1001", "73.71.04"]
    pts = [wahidin, wahidin, wahidin, pelamonia, pelamonia, sinjai]
    lons, lats = zip(*pts)
    found = kelurahan.mismatches(keys, given, lons, lats)
    assert [(m.key, m.given, m.found) for m in found] == [
        ("wrong-kec", "73.71.02", "73.71.04"),
        ("wrong-kel-same-kec", "73.71.04.1001", "73.71.04.1005"),
        ("outside", "73.71.04", None),
    ]
    assert found[0].distance_m > 500 and found[2].distance_m > 80_000
    # Against kecamatan boundaries a kelurahan code is checked for its kecamatan only.
    by_kec = kecamatan.mismatches(keys, given, lons, lats)
    assert [m.key for m in by_kec] == ["wrong-kec", "outside"]
