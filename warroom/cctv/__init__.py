"""Road cameras: fetch one snapshot safely from a registered camera, and the measured status rule.

Only the server fetches, and only the `url_stream` registered for a camera in the `cctv`
table, looked up by `kode_cctv`: no caller can hand it an address. Each fetch is bounded
(connect/read/total timeouts, a size cap), follows no redirect at all, and refuses any
internal address (loopback, private, link-local, ...) except the URL prefixes explicitly
allowed (the app's own camera simulator, see `FetchPolicy`). DNS is resolved once and the
connection goes to the checked address, so a name cannot re-resolve to an internal one.
The answer must be a JPEG, or the first frame of an MJPEG (multipart) stream.

The fetch itself goes through the app's one guarded fetcher, warroom.net.
The background fetcher, cache and health records are in warroom.cctv.fetcher.
"""
from __future__ import annotations

import dataclasses
import io
import ipaddress
import time
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import duckdb

from warroom import net
from warroom.config import THRESHOLDS

# What the demo data registers for simulated cameras; the fetcher maps it to the running
# app's own address (the app may listen on another port than 8501).
CAMSIM_MARKER = "http://127.0.0.1:8501/api/camsim/"
CAMSIM_PATH = "/api/camsim/"

LIVE, STALE, DARK, UNKNOWN, LINK = "live", "stale", "dark", "unknown", "link"
STATUSES = (LIVE, STALE, DARK, UNKNOWN, LINK)
# Okabe-Ito colour and a symbol per measured status; always shown with a word too.
STYLE = {LIVE: ("#009E73", "●"), STALE: ("#E69F00", "▲"), DARK: ("#D55E00", "■"),
         UNKNOWN: ("#999999", "○"), LINK: ("#56B4E9", "◆")}

MAX_PIXELS = 8192


# One guarded fetcher for the whole app (warroom.net); these names stay for callers.
Refused = net.Refused


@dataclass(frozen=True)
class FetchPolicy(net.Policy):
    connect_timeout_s: float = THRESHOLDS.cctv_connect_timeout_s
    read_timeout_s: float = THRESHOLDS.cctv_read_timeout_s
    total_timeout_s: float = THRESHOLDS.cctv_total_timeout_s
    max_bytes: int = THRESHOLDS.cctv_max_bytes

    @classmethod
    def for_app(cls, own_base: str | None, **kw) -> "FetchPolicy":
        """The running app's policy: the simulator marker is served by the app itself at
        `own_base` (e.g. http://127.0.0.1:8671); WARROOM_CCTV_ALLOW adds comma-separated
        prefixes (e.g. an on-premises camera network) that may be internal."""
        allow: tuple[str, ...] = ()
        rewrite: tuple[tuple[str, str], ...] = ()
        if own_base:
            own = own_base.rstrip("/") + CAMSIM_PATH
            allow = (own,)
            rewrite = ((CAMSIM_MARKER, own),)
        policy = cls.from_env("WARROOM_CCTV_ALLOW", rewrite=rewrite, **kw)
        # the app's own simulator prefix last (tests and operators read it there)
        return dataclasses.replace(policy, allow_internal=policy.allow_internal + allow)


@dataclass
class Snapshot:
    kode_cctv: str
    image: bytes
    fetched_at: datetime
    width: int
    height: int


@dataclass
class FetchResult:
    ok: bool
    latency_ms: float
    error: str | None = None
    image: bytes | None = None
    width: int = 0
    height: int = 0
    detail: str = field(default="", repr=False)


def is_fetchable(url: str | None) -> bool:
    """http(s) cameras giving pictures are fetched; RTSP and HLS (.m3u8) are shown as a link."""
    if not url:
        return False
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and not parts.path.lower().endswith(".m3u8")


# Query parameters that carry a secret: dropped from any link shown (names compared lower-case;
# any name containing one of SECRET_PARTS counts too).
SECRET_PARAMS = frozenset({"token", "key", "apikey", "api_key", "auth", "password", "pass", "pwd", "sig",
                           "signature", "secret", "access_token", "session", "sid", "user", "username",
                           "login", "code", "jwt", "credential", "credentials"})
SECRET_PARTS = ("token", "key", "auth", "pass", "pwd", "secret", "sig", "cred", "session", "jwt")
# Host names that only mean something inside a network (never shown).
LOCAL_SUFFIXES = (".local", ".localhost", ".internal", ".lan", ".intranet", ".corp", ".home", ".home.arpa",
                  ".localdomain", ".private")


def _secret_param(name: str) -> bool:
    name = name.strip().lower()
    return name in SECRET_PARAMS or any(part in name for part in SECRET_PARTS)


def _internal_host(host: str) -> bool:
    host = host.strip("[]").lower().rstrip(".")
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
        return net.is_internal(host)
    except ValueError:
        pass
    if host.replace(".", "").isdigit() or host.startswith("0x"):
        return True   # a number-spelled address (2130706433, 0x7f.1): never shown
    return host == "localhost" or "." not in host or host.endswith(LOCAL_SUFFIXES)


def public_link(url: str | None) -> str | None:
    """The one sanitiser for a camera address that may be shown to a person: without user name
    and password, without secret query parameters (token, key, sig, ...) and fragment, and
    None when the host is internal (private, loopback, documentation ranges, local names) or
    the URL cannot be read. Used for RTSP/HLS links; fetched cameras are shown through the
    app's own snapshot route instead (`viewer_link`)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return None
    if not parts.scheme or not host or _internal_host(host):
        return None
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{port}" if port else "")
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _secret_param(k)]
    return urlunsplit((parts.scheme, netloc, parts.path, urlencode(kept), ""))


def snapshot_route(kode_cctv: str) -> str:
    """The app's own picture of a camera (relative to the app's base path)."""
    return f"/api/cctv/{quote(kode_cctv, safe='')}/snapshot.jpg"


def viewer_link(kode_cctv: str, url: str | None) -> str | None:
    """What a screen may link to for a camera: the app's snapshot route for a fetched camera,
    the sanitised address for an RTSP/HLS one, or None. Never the stored URL."""
    if is_fetchable(url):
        return snapshot_route(kode_cctv)
    return public_link(url)


def registered_url(con: duckdb.DuckDBPyConnection, kode_cctv: str) -> str:
    """The url_stream registered for this camera; Refused('unregistered') when there is none."""
    row = con.execute("SELECT url_stream FROM cctv WHERE kode_cctv = ?", [kode_cctv]).fetchone()
    if row is None or not row[0]:
        raise Refused("unregistered", kode_cctv)
    return row[0]


def _is_internal(ip: str) -> bool:
    return net.is_internal(ip)


def resolve_target(url: str, policy: FetchPolicy) -> tuple[str, str, int, str]:
    """(scheme, host, port, ip to connect to) for a registered URL, or Refused."""
    return net.check_url(url, policy)


def fetch_url(url: str, policy: FetchPolicy) -> FetchResult:
    """Fetch one picture from a registered camera URL. Never raises: failures are results."""
    started = time.monotonic()
    try:
        image = _fetch(url, policy)
        width, height = validate_jpeg(image)
        return FetchResult(True, _ms(started), None, image, width, height)
    except Refused as exc:
        return FetchResult(False, _ms(started), exc.reason, detail=exc.detail)


def fetch_camera(con: duckdb.DuckDBPyConnection, kode_cctv: str, policy: FetchPolicy) -> FetchResult:
    """Fetch the camera registered as kode_cctv (the only way a caller names what to fetch)."""
    try:
        url = registered_url(con, kode_cctv)
    except Refused as exc:
        return FetchResult(False, 0.0, exc.reason, detail=exc.detail)
    if not is_fetchable(url):
        return FetchResult(False, 0.0, "not_http")
    return fetch_url(url, policy)


def _ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)


def _fetch(url: str, policy: FetchPolicy) -> bytes:
    headers = {"User-Agent": "WarRoom-CCTV/1", "Accept": "image/jpeg, multipart/x-mixed-replace"}
    with net.stream(url, policy, headers=headers) as answer:
        ctype = answer.headers.get("content-type", "").lower()
        if ctype.startswith("multipart/"):
            return _first_mjpeg_frame(answer, ctype)
        return answer.read()


def _first_mjpeg_frame(answer: net.Stream, ctype: str) -> bytes:
    """The first JPEG of a multipart/x-mixed-replace stream (the stream itself never ends)."""
    boundary = None
    for param in ctype.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key == "boundary":
            boundary = value.strip('"')
    buf = bytearray()
    for chunk in answer.chunks():
        buf += chunk
        frame = _frame_in(bytes(buf), boundary)
        if frame is not None:
            return frame
    raise Refused("not_jpeg", "stream ended before a whole frame")


def _frame_in(buf: bytes, boundary: str | None) -> bytes | None:
    start = buf.find(b"\xff\xd8\xff")
    if start < 0:
        return None
    head = buf[:start].lower()
    marker = b"content-length:"
    if marker in head:
        line = head[head.rindex(marker) + len(marker):].split(b"\r\n", 1)[0]
        if line.strip().isdigit():
            size = int(line.strip())
            return buf[start:start + size] if len(buf) >= start + size else None
    if boundary:
        end = buf.find(b"--" + boundary.encode(), start)
        return buf[start:end].rstrip(b"\r\n") if end >= 0 else None
    end = buf.find(b"\xff\xd9", start)
    return buf[start:end + 2] if end >= 0 else None


def validate_jpeg(data: bytes) -> tuple[int, int]:
    """(width, height) of a whole JPEG, else Refused('not_jpeg')."""
    if len(data) < 4 or not data.startswith(b"\xff\xd8\xff") or not data.rstrip(b"\x00\r\n ").endswith(b"\xff\xd9"):
        raise Refused("not_jpeg", f"{len(data)} bytes")
    from PIL import Image
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format != "JPEG":
                raise Refused("not_jpeg", str(img.format))
            width, height = img.size
            img.verify()
    except Refused:
        raise
    except Exception as exc:  # Pillow raises many kinds for a broken header
        raise Refused("not_jpeg", str(exc))
    if not (0 < width <= MAX_PIXELS and 0 < height <= MAX_PIXELS):
        raise Refused("not_jpeg", f"{width}x{height}")
    return width, height


def measured_status(*, url: str | None, last_check_at: datetime | None, last_ok: bool | None,
                    last_ok_at: datetime | None, now: datetime, live_s: float,
                    dark_s: float = THRESHOLDS.cctv_dark_s) -> str:
    """live: the last check succeeded and is recent; dark: no success for dark_s (or ever);
    stale in between; unknown before any check; link for cameras we do not fetch.
    queries/cctv_health.sql applies the same rule to the recorded checks."""
    if not is_fetchable(url):
        return LINK
    if last_check_at is None:
        return UNKNOWN
    if last_ok_at is None or (now - last_ok_at).total_seconds() > dark_s:
        return DARK
    if last_ok and (now - last_check_at).total_seconds() <= live_s:
        return LIVE
    return STALE


# In the database a camera's last check can be up to one record interval plus one flush old
# while it is being fetched every few seconds, so "live" there allows for that delay.
DB_LIVE_S = THRESHOLDS.cctv_record_s + THRESHOLDS.cctv_flush_s + 2 * THRESHOLDS.cctv_refresh_s


def health_params(now: datetime, *, live_s: float = DB_LIVE_S) -> dict:
    """Parameters of queries/cctv_health.sql."""
    return {"now": now, "live_s": live_s, "dark_s": THRESHOLDS.cctv_dark_s,
            "valid_s": THRESHOLDS.cctv_check_valid_s}


def health(con: duckdb.DuckDBPyConnection, now: datetime, *, live_s: float = DB_LIVE_S) -> list[dict]:
    """Every registered camera with its measured status and uptime (see queries/cctv_health.sql)."""
    from warroom.db import load_query, rows_as_dicts
    return rows_as_dicts(con.execute(load_query("cctv_health"), health_params(now, live_s=live_s)))


def dark_cameras(con: duckdb.DuckDBPyConnection, now: datetime) -> list[dict]:
    """Cameras measured dark (no picture for cctv_dark_s), for the Ringkasan and freshness checks."""
    return [row for row in health(con, now) if row["measured_status"] == DARK]
