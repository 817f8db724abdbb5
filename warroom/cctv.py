"""Road cameras: fetch one snapshot safely from a registered camera, and the measured status rule.

Only the server fetches, and only the `url_stream` registered for a camera in the `cctv`
table, looked up by `kode_cctv`: no caller can hand it an address. Each fetch is bounded
(connect/read/total timeouts, a size cap), follows no redirect at all, and refuses any
internal address (loopback, private, link-local, ...) except the URL prefixes explicitly
allowed (the app's own camera simulator, see `FetchPolicy`). DNS is resolved once and the
connection goes to the checked address, so a name cannot re-resolve to an internal one.
The answer must be a JPEG, or the first frame of an MJPEG (multipart) stream.

The background fetcher, cache and health records are in warroom.cctv_fetcher.
"""
from __future__ import annotations

import base64
import http.client
import io
import ipaddress
import os
import posixpath
import socket
import ssl
import time
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import unquote, urlsplit, urlunsplit

import duckdb

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


class Refused(Exception):
    """The server will not fetch this: `reason` is a short code (stored in cctv_checks.error)."""

    def __init__(self, reason: str, detail: str = ""):
        self.reason, self.detail = reason, detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


@dataclass(frozen=True)
class FetchPolicy:
    connect_timeout_s: float = THRESHOLDS.cctv_connect_timeout_s
    read_timeout_s: float = THRESHOLDS.cctv_read_timeout_s
    total_timeout_s: float = THRESHOLDS.cctv_total_timeout_s
    max_bytes: int = THRESHOLDS.cctv_max_bytes
    # URL prefixes (scheme://host:port/path/) that may be internal addresses: the simulator only.
    allow_internal: tuple[str, ...] = ()
    # (registered prefix, prefix actually fetched): the simulator marker -> the app's own address.
    rewrite: tuple[tuple[str, str], ...] = ()

    @classmethod
    def for_app(cls, own_base: str | None, **kw) -> "FetchPolicy":
        """The running app's policy: the simulator marker is served by the app itself at
        `own_base` (e.g. http://127.0.0.1:8671); WARROOM_CCTV_ALLOW adds comma-separated
        prefixes (e.g. an on-premises camera network) that may be internal."""
        allow = [p.strip() for p in os.environ.get("WARROOM_CCTV_ALLOW", "").split(",") if p.strip()]
        rewrite: tuple[tuple[str, str], ...] = ()
        if own_base:
            own = own_base.rstrip("/") + CAMSIM_PATH
            allow.append(own)
            rewrite = ((CAMSIM_MARKER, own),)
        return cls(allow_internal=tuple(allow), rewrite=rewrite, **kw)


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


def public_link(url: str | None) -> str | None:
    """The camera's address without user name and password, for showing RTSP/HLS links."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def registered_url(con: duckdb.DuckDBPyConnection, kode_cctv: str) -> str:
    """The url_stream registered for this camera; Refused('unregistered') when there is none."""
    row = con.execute("SELECT url_stream FROM cctv WHERE kode_cctv = ?", [kode_cctv]).fetchone()
    if row is None or not row[0]:
        raise Refused("unregistered", kode_cctv)
    return row[0]


def _rewritten(url: str, policy: FetchPolicy) -> str:
    for registered, actual in policy.rewrite:
        if url.startswith(registered):
            return actual + url[len(registered):]
    return url


def _origin_and_path(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}", parts.path or "/"


def _allowed_internal(url: str, policy: FetchPolicy) -> bool:
    """True when url lies under an allowed prefix, with no dot segments or encoded slashes
    that could climb out of it."""
    origin, path = _origin_and_path(url)
    decoded = unquote(path)
    if decoded != path or (posixpath.normpath(path) != path.rstrip("/") and path != "/"):
        return False
    for prefix in policy.allow_internal:
        p_origin, p_path = _origin_and_path(prefix)
        if origin == p_origin and path.startswith(p_path):
            return True
    return False


def _is_internal(ip: str) -> bool:
    addr = ipaddress.ip_address(ip)
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    return not addr.is_global or addr.is_multicast


def resolve_target(url: str, policy: FetchPolicy) -> tuple[str, str, int, str]:
    """(scheme, host, port, ip to connect to) for a registered URL, or Refused."""
    url = _rewritten(url.strip(), policy)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise Refused("scheme", parts.scheme)
    host = parts.hostname
    if not host:
        raise Refused("bad_url", url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Refused("bad_url", url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused("dns", str(exc))
    ips = list(dict.fromkeys(info[4][0] for info in infos))
    if any(_is_internal(ip) for ip in ips) and not _allowed_internal(url, policy):
        raise Refused("internal", host)
    return parts.scheme, host, port, ips[0]


def fetch_url(url: str, policy: FetchPolicy) -> FetchResult:
    """Fetch one picture from a registered camera URL. Never raises: failures are results."""
    started = time.monotonic()
    try:
        image = _fetch(url, policy, started)
        width, height = validate_jpeg(image)
        return FetchResult(True, _ms(started), None, image, width, height)
    except Refused as exc:
        return FetchResult(False, _ms(started), exc.reason, detail=exc.detail)
    except (socket.timeout, TimeoutError):
        return FetchResult(False, _ms(started), "timeout")
    except ssl.SSLError as exc:
        return FetchResult(False, _ms(started), "tls", detail=str(exc))
    except (OSError, http.client.HTTPException) as exc:
        return FetchResult(False, _ms(started), "connect", detail=f"{type(exc).__name__}: {exc}")


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


def _fetch(url: str, policy: FetchPolicy, started: float) -> bytes:
    scheme, host, port, ip = resolve_target(url, policy)
    parts = urlsplit(_rewritten(url.strip(), policy))
    sock = socket.create_connection((ip, port), timeout=policy.connect_timeout_s)
    try:
        sock.settimeout(policy.read_timeout_s)
        if scheme == "https":
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
        conn = http.client.HTTPConnection(host, port, timeout=policy.read_timeout_s)
        conn.sock = sock  # already connected to the checked address
        headers = {"User-Agent": "WarRoom-CCTV/1", "Accept": "image/jpeg, multipart/x-mixed-replace"}
        if parts.username:
            token = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(token).decode()
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", target, headers=headers)
        resp = conn.getresponse()
        if 300 <= resp.status < 400:
            raise Refused("redirect", resp.getheader("Location", ""))
        if resp.status != 200:
            raise Refused(f"http_{resp.status}")
        length = resp.getheader("Content-Length")
        if length and length.isdigit() and int(length) > policy.max_bytes:
            raise Refused("too_large", length)
        ctype = (resp.getheader("Content-Type") or "").lower()
        if ctype.startswith("multipart/"):
            return _first_mjpeg_frame(resp, ctype, policy, started)
        return _read_capped(resp, policy, started)
    finally:
        sock.close()


def _deadline_passed(policy: FetchPolicy, started: float) -> bool:
    return time.monotonic() - started > policy.total_timeout_s


def _read_capped(resp: http.client.HTTPResponse, policy: FetchPolicy, started: float) -> bytes:
    buf = bytearray()
    while True:
        chunk = resp.read1(65536)
        if not chunk:
            return bytes(buf)
        buf += chunk
        if len(buf) > policy.max_bytes:
            raise Refused("too_large", str(len(buf)))
        if _deadline_passed(policy, started):
            raise Refused("timeout", "total")


def _first_mjpeg_frame(resp: http.client.HTTPResponse, ctype: str, policy: FetchPolicy,
                       started: float) -> bytes:
    """The first JPEG of a multipart/x-mixed-replace stream (the stream itself never ends)."""
    boundary = None
    for param in ctype.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key == "boundary":
            boundary = value.strip('"')
    buf = bytearray()
    while True:
        frame = _frame_in(bytes(buf), boundary)
        if frame is not None:
            return frame
        chunk = resp.read1(65536)
        if not chunk:
            raise Refused("not_jpeg", "stream ended before a whole frame")
        buf += chunk
        if len(buf) > policy.max_bytes:
            raise Refused("too_large", str(len(buf)))
        if _deadline_passed(policy, started):
            raise Refused("timeout", "total")


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
