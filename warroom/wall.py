"""The wall display's rules, without Streamlit: URL settings, rotation, playlists, freshness stamps.

A wall is set up once with one URL, e.g.
`/layar?embed=true&panels=ringkasan,peta,covid,kinerja&rotate=30&refresh=60&lang=id&size=4k`,
or `/layar?playlist=NAME` for settings the admin saved. A TV restarted unattended must
come back showing something sensible, so every bad value falls back to a safe default
(and the correction is logged); saving a playlist, on the other hand, is strict and
says exactly what is wrong.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Mapping
from urllib.parse import parse_qs, urlencode

from warroom import freshness
from warroom.i18n import LANGS, normalise_lang

# Panels the wall knows, in their usual order; ui/panels/<name>.py draws each one.
PANELS = ("ringkasan", "peta", "covid", "kinerja", "cctv", "peringatan")
DEFAULT_PANELS = ("ringkasan", "peta", "covid", "kinerja")
# The datasets each panel shows: its stamp carries the worst freshness among them. The one
# list (the panels' modules keep none): ringkasan shows Covid, kinerja, cameras, towers and apps.
PANEL_DATASETS = {
    "ringkasan": ("covid19_harian", "kinerja_opd", "cctv", "menara_bts", "aplikasi"),
    "peta": ("covid19_harian", "cctv", "menara_bts", "fasyankes"),
    "covid": ("covid19_harian", "fasyankes"),
    "kinerja": ("kinerja_opd",),
    "cctv": ("cctv",),
    "peringatan": ("covid19_harian", "fasyankes", "menara_bts", "aplikasi", "kinerja_opd"),
}

ROTATE_DEFAULT, ROTATE_MIN, ROTATE_MAX = 30, 5, 3600
REFRESH_DEFAULT, REFRESH_MIN, REFRESH_MAX = 60, 5, 3600
SIZES = ("auto", "hd", "4k")
# Plotly/pydeck need a height in CSS pixels: the panel area's height for each size hint.
CHART_HEIGHT_PX = {"auto": 720, "hd": 720, "4k": 1440}
SETTING_KEYS = ("panels", "rotate", "refresh", "lang", "size")
PLAYLIST_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@dataclass(frozen=True)
class WallSettings:
    panels: tuple[str, ...] = DEFAULT_PANELS
    rotate: int = ROTATE_DEFAULT      # seconds each panel stays on screen
    refresh: int = REFRESH_DEFAULT    # seconds between data checks
    lang: str = "id"
    size: str = "auto"                # screen hint: auto | hd (1920x1080) | 4k (3840x2160)
    playlist: str | None = None
    # What was wrong in the input and what was used instead: [(key, given, used)].
    corrections: tuple[tuple[str, str, str], ...] = field(default=(), compare=False)

    @property
    def chart_height(self) -> int:
        return CHART_HEIGHT_PX[self.size]

    @property
    def tick_seconds(self) -> int:
        """The wall redraws every tick: each rotation, or each refresh when that is shorter."""
        return min(self.rotate, self.refresh) if len(self.panels) > 1 else self.refresh

    @property
    def ticks_per_panel(self) -> int:
        """A panel stays for this many ticks (rotate rounded to whole refresh intervals)."""
        if len(self.panels) <= 1 or self.rotate <= self.refresh:
            return 1
        return max(1, round(self.rotate / self.refresh))

    def query_string(self) -> str:
        """The canonical URL parameters for these settings (what a playlist stores)."""
        return urlencode({"panels": ",".join(self.panels), "rotate": self.rotate,
                          "refresh": self.refresh, "lang": self.lang, "size": self.size}, safe=",")


def _first(value) -> str | None:
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else None
    return None if value is None else str(value)


def parse_panels(raw: str | None) -> tuple[tuple[str, ...], list[str]]:
    """'ringkasan, PETA,foo,peta' -> (('ringkasan', 'peta'), ['foo']): unknown dropped, duplicates once."""
    if raw is None:
        return DEFAULT_PANELS, []
    chosen: list[str] = []
    unknown: list[str] = []
    for part in raw.split(","):
        name = part.strip().lower()
        if not name:
            continue
        if name in PANELS:
            if name not in chosen:
                chosen.append(name)
        else:
            unknown.append(part.strip())
    return (tuple(chosen) or DEFAULT_PANELS), unknown


def parse_seconds(raw: str | None, default: int, low: int, high: int) -> tuple[int, str | None]:
    """Seconds from a URL value. Missing, non-numeric, zero or negative -> default;
    outside [low, high] -> clamped. Returns (seconds, problem or None)."""
    if raw is None or str(raw).strip() == "":
        return default, None
    try:
        value = float(str(raw).strip().replace(",", "."))
    except ValueError:
        return default, "not_a_number"
    if not math.isfinite(value):
        return (high, "too_large") if value > 0 else (default, "not_positive")
    if value <= 0:
        return default, "not_positive"
    seconds = int(round(value))
    if seconds < low:
        return low, "too_small"
    if seconds > high:
        return high, "too_large"
    return seconds, None


def parse(params: Mapping[str, object], base: WallSettings | None = None) -> WallSettings:
    """Settings from URL parameters, never failing: bad values -> safe defaults (see corrections).
    `base` (a playlist's settings) supplies what the URL does not set."""
    base = base or WallSettings()
    got = {k: _first(params.get(k)) for k in (*SETTING_KEYS, "playlist")}
    corrections: list[tuple[str, str, str]] = list(base.corrections)

    panels = base.panels
    if got["panels"] is not None:
        panels, unknown = parse_panels(got["panels"])
        if unknown:
            corrections.append(("panels", got["panels"], ",".join(panels)))
    rotate, refresh = base.rotate, base.refresh
    if got["rotate"] is not None:
        rotate, problem = parse_seconds(got["rotate"], ROTATE_DEFAULT, ROTATE_MIN, ROTATE_MAX)
        if problem:
            corrections.append(("rotate", got["rotate"], str(rotate)))
    if got["refresh"] is not None:
        refresh, problem = parse_seconds(got["refresh"], REFRESH_DEFAULT, REFRESH_MIN, REFRESH_MAX)
        if problem:
            corrections.append(("refresh", got["refresh"], str(refresh)))
    lang = base.lang
    if got["lang"] is not None:
        lang = normalise_lang(got["lang"].strip().lower())
        if got["lang"].strip().lower() not in LANGS:
            corrections.append(("lang", got["lang"], lang))
    size = base.size
    if got["size"] is not None:
        wanted = got["size"].strip().lower()
        size = wanted if wanted in SIZES else "auto"
        if wanted not in SIZES:
            corrections.append(("size", got["size"], size))
    playlist = base.playlist
    if got["playlist"]:
        playlist = got["playlist"].strip().lower()
    return WallSettings(panels, rotate, refresh, lang, size, playlist, tuple(corrections))


def settings_for(params: Mapping[str, object], playlists: Mapping[str, str]) -> WallSettings:
    """URL parameters on top of the named playlist (if any); an unknown playlist is a correction."""
    name = (_first(params.get("playlist")) or "").strip().lower()
    if not name:
        return parse(params)
    stored = playlists.get(name)
    if stored is None:
        settings = parse(params)
        return WallSettings(settings.panels, settings.rotate, settings.refresh, settings.lang, settings.size,
                            None, settings.corrections + (("playlist", name, ""),))
    base = parse(parse_qs(stored))
    return parse({k: v for k, v in params.items() if k != "playlist"},
                 WallSettings(base.panels, base.rotate, base.refresh, base.lang, base.size, name))


# --- rotation ------------------------------------------------------------------------

def panel_index(tick: int, settings: WallSettings) -> int:
    """Which panel shows at the `tick`-th redraw (0-based): advances every ticks_per_panel, wraps."""
    return (max(tick, 0) // settings.ticks_per_panel) % len(settings.panels)


# --- freshness stamps --------------------------------------------------------------

# Worst first: a panel's stamp is the most severe status among its datasets.
SEVERITY = (freshness.STALE, freshness.LATE, freshness.NONE, freshness.FRESH, freshness.ON_CHANGE)


@dataclass(frozen=True)
class Stamp:
    status: str
    dataset: str | None        # the dataset that set the status (the worst one)
    newest: str | None         # its newest data date/period, as stored


def panel_stamp(datasets_of_panel: tuple[str, ...], newest_by_dataset: Mapping[str, str | None],
                frequency_by_dataset: Mapping[str, str], today: date) -> Stamp:
    """The worst freshness among the panel's datasets (by the data's own date, per its frequency)."""
    worst: Stamp | None = None
    for name in datasets_of_panel:
        newest = newest_by_dataset.get(name)
        if newest is not None and not isinstance(newest, str):
            newest = None if newest != newest else str(newest)   # NaN/NaT -> None
        state = freshness.status(frequency_by_dataset[name], newest, today)
        stamp = Stamp(state, name, newest)
        if worst is None or SEVERITY.index(state) < SEVERITY.index(worst.status):
            worst = stamp
    return worst or Stamp(freshness.NONE, None, None)


# --- playlists (rows of wall_playlists) -------------------------------------------

class PlaylistRefused(ValueError):
    """A playlist that cannot be saved; `problems` are (key, given, reason) for the message."""

    def __init__(self, problems: list[tuple[str, str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{k}={v!r}: {r}" for k, v, r in problems))


def strict_settings(name: str, query_string: str) -> WallSettings:
    """Settings for a playlist to be saved: anything the lenient URL parser would correct is refused."""
    problems: list[tuple[str, str, str]] = []
    if not PLAYLIST_NAME.match(name or ""):
        problems.append(("name", name, "name"))
    raw = parse_qs(query_string.lstrip("?"), keep_blank_values=True)
    for key in raw:
        if key not in SETTING_KEYS and key != "embed":
            problems.append((key, raw[key][-1], "unknown_key"))
    settings = parse(raw)
    for key, given, _used in settings.corrections:
        problems.append((key, given, key))
    if problems:
        raise PlaylistRefused(problems)
    return WallSettings(settings.panels, settings.rotate, settings.refresh, settings.lang, settings.size, name)


def save_playlist(con, name: str, query_string: str, actor: str | None) -> WallSettings:
    """Store (or replace) a named playlist in its canonical form; refuses bad input, changing nothing."""
    from warroom import db, lineage
    from warroom.config import now
    settings = strict_settings((name or "").strip().lower(), query_string)
    with db.write_transaction(con):
        con.execute("INSERT OR REPLACE INTO wall_playlists VALUES (?, ?, ?, ?)",
                    [settings.playlist, settings.query_string(), actor, now()])
        lineage.audit(con, "wall_playlist_saved", actor, name=settings.playlist, query=settings.query_string())
    return settings


def delete_playlist(con, name: str, actor: str | None) -> bool:
    from warroom import db, lineage
    with db.write_transaction(con):
        found = con.execute("SELECT count(*) FROM wall_playlists WHERE name = ?", [name]).fetchone()[0]
        con.execute("DELETE FROM wall_playlists WHERE name = ?", [name])
        if found:
            lineage.audit(con, "wall_playlist_deleted", actor, name=name)
    return bool(found)


def playlists(con) -> dict[str, str]:
    """{name: query string} of every saved playlist."""
    return dict(con.execute("SELECT name, query_string FROM wall_playlists ORDER BY name").fetchall())


def problem_text(exc: PlaylistRefused, lang: str) -> str:
    """What is wrong with a playlist, one clause per problem, in the user's language."""
    from warroom.i18n import t
    limits = {"rotate": (ROTATE_MIN, ROTATE_MAX), "refresh": (REFRESH_MIN, REFRESH_MAX)}
    parts = []
    for key, given, reason in exc.problems:
        low, high = limits.get(reason, (0, 0))
        parts.append(f"{key}={given!r}: " + t(f"layar.problem.{reason}", lang, known=", ".join(PANELS),
                                              low=low, high=high))
    return "; ".join(parts)
