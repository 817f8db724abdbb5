"""Which area a point falls in: point-in-polygon over the boundaries stored in `batas_wilayah`.

DuckDB's spatial extension cannot be installed here, so this is shapely 2 (vectorised
STRtree queries). The rules, from the data standard:
- a point inside (or on the edge of) an area belongs to it; a point on a border shared by
  several areas goes to the one with the lowest code, so the answer never depends on order;
- a point outside every area but within 500 m of one (the boundaries' coastlines are
  simplified) goes to the nearest area; beyond 500 m it belongs to none (None).
Distances are measured in metres on a local equirectangular projection centred on the
city (at -5° latitude the error over the city's 50 km is far below a metre per 500 m).

No streamlit or pandas here: the ingest loader calls this on every upload of points.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import shapely

COAST_TOLERANCE_M = 500.0


def kecamatan_of(code: str | None) -> str | None:
    """The kecamatan code of a kelurahan (or kecamatan) code: Kemendagri codes nest by prefix,
    73.71.01.1001 -> 73.71.01. Codes above kecamatan level have no kecamatan (None)."""
    if not code:
        return None
    parts = str(code).split(".")
    return ".".join(parts[:3]) if len(parts) >= 3 else None


def metres_per_degree(lat: float) -> tuple[float, float]:
    """(metres per degree of longitude, of latitude) on the WGS84 ellipsoid at `lat`."""
    phi = math.radians(lat)
    per_lat = 111132.954 - 559.822 * math.cos(2 * phi) + 1.175 * math.cos(4 * phi)
    per_lon = 111412.84 * math.cos(phi) - 93.5 * math.cos(3 * phi)
    return per_lon, per_lat


@dataclass(frozen=True)
class Mismatch:
    """A stored point whose given kode_wilayah is not the area it falls in."""
    key: str
    given: str
    found: str | None          # at the level of `given`; None: outside every area (beyond 500 m)
    distance_m: float | None   # from the point to the given area; None when the code has no boundary
    longitude: float
    latitude: float


class Areas:
    """The areas of one level (kecamatan or kelurahan) with a spatial index."""

    def __init__(self, codes: Sequence[str], geometries: Sequence, tingkat: str,
                 origin_lat: float | None = None):
        order = sorted(range(len(codes)), key=lambda i: codes[i])
        # Sorted by code: the lowest tree index among candidates is the lowest code.
        self.codes: list[str] = [codes[i] for i in order]
        self.geometries = np.array([geometries[i] for i in order], dtype=object)
        self.tingkat = tingkat
        self._index = {c: i for i, c in enumerate(self.codes)}
        self._depth = _depth(self.codes[0]) if self.codes else 0
        self._tree = shapely.STRtree(self.geometries)
        if origin_lat is None:
            bounds = shapely.total_bounds(self.geometries) if len(self.codes) else (0, 0, 0, 0)
            origin_lat = (bounds[1] + bounds[3]) / 2
        self.origin_lat = origin_lat
        self._per_lon, self._per_lat = metres_per_degree(origin_lat)
        self._metric = shapely.transform(self.geometries, self._to_metres)
        self._metric_tree = shapely.STRtree(self._metric)

    @classmethod
    def from_db(cls, con, tingkat: str = "kelurahan") -> "Areas":
        rows = con.execute("SELECT kode_wilayah, geojson FROM batas_wilayah WHERE tingkat = ? ORDER BY kode_wilayah",
                           [tingkat]).fetchall()
        if not rows:
            raise LookupError(f"no boundaries of level {tingkat!r} in batas_wilayah")
        geoms = shapely.from_geojson([g for _, g in rows])
        return cls([c for c, _ in rows], list(geoms), tingkat)

    @classmethod
    def from_features(cls, features: Iterable[dict], code_property: str, tingkat: str) -> "Areas":
        features = list(features)
        geoms = shapely.from_geojson([json.dumps(f["geometry"]) for f in features])
        return cls([f["properties"][code_property] for f in features], list(geoms), tingkat)

    def __len__(self) -> int:
        return len(self.codes)

    def __contains__(self, code: str) -> bool:
        return code in self._index

    def geometry(self, code: str):
        return self.geometries[self._index[code]]

    def _to_metres(self, xy: np.ndarray) -> np.ndarray:
        out = np.empty_like(xy, dtype=float)
        out[:, 0] = xy[:, 0] * self._per_lon
        out[:, 1] = (xy[:, 1] - self.origin_lat) * self._per_lat
        return out

    def _points(self, lons, lats) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        lon = np.asarray(lons, dtype=float).reshape(-1)
        lat = np.asarray(lats, dtype=float).reshape(-1)
        if lon.shape != lat.shape:
            raise ValueError(f"{lon.size} longitudes but {lat.size} latitudes")
        valid = np.isfinite(lon) & np.isfinite(lat)
        return lon, lat, valid

    def assign_index(self, lons, lats, tolerance_m: float = COAST_TOLERANCE_M) -> np.ndarray:
        """Index into `codes` of each point's area, -1 for none. Vectorised."""
        lon, lat, valid = self._points(lons, lats)
        n = lon.size
        found = np.full(n, len(self.codes), dtype=np.int64)
        if n == 0 or not len(self.codes):
            return np.full(n, -1, dtype=np.int64)
        idx = np.flatnonzero(valid)
        pts = shapely.points(lon[idx], lat[idx])
        # "intersects" includes the edge, so a point on a shared border matches every area
        # sharing it; the minimum index (lowest code) wins.
        hit_pt, hit_area = self._tree.query(pts, predicate="intersects")
        np.minimum.at(found, idx[hit_pt], hit_area)
        outside = idx[found[idx] == len(self.codes)]
        if outside.size and tolerance_m > 0:
            xy = self._to_metres(np.column_stack([lon[outside], lat[outside]]))
            near_pt, near_area = self._metric_tree.query_nearest(
                shapely.points(xy), max_distance=tolerance_m, all_matches=True)
            np.minimum.at(found, outside[near_pt], near_area)
        found[found == len(self.codes)] = -1
        return found

    def assign(self, lons, lats, tolerance_m: float = COAST_TOLERANCE_M) -> list[str | None]:
        """The code of the area each (lon, lat) falls in, or None (see the module docstring)."""
        return [self.codes[i] if i >= 0 else None for i in self.assign_index(lons, lats, tolerance_m)]

    def distance_m(self, code: str, lon: float, lat: float) -> float:
        """Metres from a point to an area (0 inside)."""
        xy = self._to_metres(np.array([[lon, lat]], dtype=float))
        return float(shapely.distance(self._metric[self._index[code]], shapely.points(xy)[0]))

    def mismatches(self, keys: Sequence[str], given: Sequence[str | None], lons, lats,
                   tolerance_m: float = COAST_TOLERANCE_M, found: Sequence[str | None] | None = None) -> list[Mismatch]:
        """Stored points whose given kode_wilayah disagrees with the area they fall in.

        A given kelurahan code is compared with the kelurahan found (on the kelurahan level),
        a kecamatan code with the kecamatan of the area found; an empty code is no problem
        (the loader fills it). Points outside every area (beyond the tolerance) but carrying
        a code are mismatches with found=None. `found`: the result of assign() when the caller
        has it already."""
        if found is None:
            found = self.assign(lons, lats, tolerance_m)
        lon, lat, _ = self._points(lons, lats)
        out = []
        for i, (key, code, hit) in enumerate(zip(keys, given, found)):
            if not code:
                continue
            code = str(code)
            # Compare on the coarser of the two levels: a kelurahan code against kecamatan
            # boundaries is checked for its kecamatan only.
            depth = min(_depth(code), self._depth)
            if _ancestor(code, depth) == _ancestor(hit, depth):
                continue
            inside = [c for c in self.codes if c == code or c.startswith(code + ".")]
            dist = None
            if inside and math.isfinite(lon[i]) and math.isfinite(lat[i]):
                dist = round(min(self.distance_m(c, lon[i], lat[i]) for c in inside), 1)
            out.append(Mismatch(str(key), code, _ancestor(hit, depth), dist, float(lon[i]), float(lat[i])))
        return out


def _depth(code: str | None) -> int:
    return len(code.split(".")) if code else 0


def _ancestor(code: str | None, depth: int) -> str | None:
    if not code or _depth(code) < depth:
        return None
    return ".".join(code.split(".")[:depth])
