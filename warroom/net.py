"""The one guarded fetcher: every outbound request of the app goes through here.

Cameras (warroom.cctv), pulled sources and alert webhooks all fetch with `request` (or
`stream` for a body that never ends, such as an MJPEG camera). Each request:

- accepts http and https only;
- resolves the name once, refuses it when ANY resolved address is internal (loopback, private,
  link-local, site-local, unique-local, multicast, reserved, documentation ranges, and every
  IPv6 form that embeds an internal IPv4: compatible ``::127.0.0.1``, mapped ``::ffff:…``,
  translated ``::ffff:0:…``, 6to4 ``2002::/16``, Teredo ``2001::/32``, NAT64 ``64:ff9b::/96``
  and ``64:ff9b:1::/48``), unless the URL lies under a prefix the operator allowed;
- connects to the checked address itself, so a name cannot re-resolve elsewhere;
- is bounded: connect, read and total timeouts (the total one is enforced by a watchdog that
  shuts the socket), and a cap on the body;
- never follows a redirect.

No caller can loosen this except through `Policy.allow_internal`, which the operator sets by
environment (WARROOM_CCTV_ALLOW, WARROOM_PULL_ALLOW, WARROOM_ALERT_ALLOW).
"""
from __future__ import annotations

import base64
import http.client
import ipaddress
import os
import posixpath
import socket
import ssl
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator, Self
from urllib.parse import unquote, urlsplit

USER_AGENT = "WarRoom/1"


class Refused(Exception):
    """The server will not fetch this (or the fetch failed): `reason` is a short code."""

    def __init__(self, reason: str, detail: str = ""):
        self.reason, self.detail = reason, detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


@dataclass(frozen=True)
class Policy:
    connect_timeout_s: float = 2.0
    read_timeout_s: float = 3.0
    total_timeout_s: float = 6.0
    max_bytes: int = 3_000_000
    # URL prefixes (scheme://host:port/path/) that may resolve to internal addresses.
    allow_internal: tuple[str, ...] = ()
    # (registered prefix, prefix actually fetched), e.g. the camera simulator marker -> the app.
    rewrite: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_env(cls, var: str, **kw) -> Self:
        """A policy whose allow_internal adds the comma-separated prefixes of env `var`
        (WARROOM_CCTV_ALLOW, WARROOM_PULL_ALLOW, WARROOM_ALERT_ALLOW) to those given."""
        env = tuple(p.strip() for p in os.environ.get(var, "").split(",") if p.strip())
        kw["allow_internal"] = tuple(kw.get("allow_internal", ())) + env
        return cls(**kw)


@dataclass
class Response:
    status: int
    headers: dict[str, str]   # lower-case names
    body: bytes


# --- which addresses are internal ---------------------------------------------------------------

_NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")    # RFC 6052: embeds a public IPv4
_SIXTOFOUR = ipaddress.ip_network("2002::/16")              # RFC 3056: embeds an IPv4
_GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")
# Inside 2000::/3 but never a camera or a webhook on the internet.
_IPV6_NEVER = tuple(ipaddress.ip_network(n) for n in (
    "2001::/32",        # Teredo (embeds an obfuscated IPv4 and a relay)
    "2001::/23",        # IETF protocol assignments
    "2001:db8::/32",    # documentation
    "3fff::/20",        # documentation (RFC 9637)
    "2002::/16",        # 6to4: judged by its embedded IPv4 below, never on its own
))


def _ipv4_internal(addr: ipaddress.IPv4Address) -> bool:
    return not addr.is_global or addr.is_multicast or addr.is_reserved or addr.is_unspecified


def is_internal(ip: str) -> bool:
    """True unless `ip` is a public unicast address (IPv6 forms embedding an IPv4 are judged by
    that IPv4; anything unparsable counts as internal)."""
    try:
        addr = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return True
    if isinstance(addr, ipaddress.IPv4Address):
        return _ipv4_internal(addr)
    if addr.ipv4_mapped is not None:                  # ::ffff:a.b.c.d
        return _ipv4_internal(addr.ipv4_mapped)
    if addr in _NAT64_WELL_KNOWN:                     # 64:ff9b::a.b.c.d
        return _ipv4_internal(ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF))
    if addr.sixtofour is not None:                    # 2002:aabb:ccdd::
        return _ipv4_internal(addr.sixtofour)
    # Everything else outside global unicast is internal: ::/8 (compatible ::a.b.c.d, ::1, ::),
    # ::ffff:0:0:0/96 (translated), 64:ff9b:1::/48 (local NAT64), 100::/64, fc00::/7 (unique
    # local), fe80::/10 (link-local), fec0::/10 (site-local), ff00::/8 (multicast).
    if addr not in _GLOBAL_UNICAST or any(addr in net for net in _IPV6_NEVER):
        return True
    return not addr.is_global or addr.is_multicast or addr.is_site_local or addr.is_link_local


def _rewritten(url: str, policy: Policy) -> str:
    for registered, actual in policy.rewrite:
        if url.startswith(registered):
            return actual + url[len(registered):]
    return url


def _origin_and_path(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}", parts.path or "/"


def _allowed_internal(url: str, policy: Policy) -> bool:
    """True when url lies under an allowed prefix, with no dot segments or encoded characters
    in its path that could climb out of it."""
    if not policy.allow_internal:
        return False
    origin, path = _origin_and_path(url)
    decoded = unquote(path)
    if decoded != path or (posixpath.normpath(path) != path.rstrip("/") and path != "/"):
        return False
    for prefix in policy.allow_internal:
        p_origin, p_path = _origin_and_path(prefix)
        if origin == p_origin and path.startswith(p_path):
            return True
    return False


def check_url(url: str, policy: Policy) -> tuple[str, str, int, str]:
    """(scheme, host, port, ip to connect to) for `url` (after the policy's rewrite), or
    Refused. Resolves the name; no connection is made."""
    url = _rewritten(url.strip(), policy)
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise Refused("bad_url", str(exc))
    if parts.scheme not in ("http", "https"):
        raise Refused("scheme", parts.scheme)
    host = parts.hostname
    if not host:
        raise Refused("bad_url", "no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Refused("bad_url", "port")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise Refused("dns", str(exc))
    ips = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not ips:
        raise Refused("dns", host)
    if any(is_internal(ip) for ip in ips) and not _allowed_internal(url, policy):
        raise Refused("internal", host)
    return parts.scheme, host, port, ips[0]


# --- one bounded request ------------------------------------------------------------------------

@dataclass
class Stream:
    """An answered request whose body is read in bounded chunks (see `stream`)."""
    status: int
    headers: dict[str, str]
    _resp: http.client.HTTPResponse = field(repr=False)
    _sock: socket.socket = field(repr=False)
    _policy: Policy = field(repr=False)
    _deadline: float = field(repr=False)
    _expired: threading.Event = field(repr=False)
    received: int = 0

    def chunks(self) -> Iterator[bytes]:
        """The body, chunk by chunk; Refused('too_large') past max_bytes, Refused('timeout')
        past the total deadline."""
        while True:
            self._sock.settimeout(max(0.01, min(self._policy.read_timeout_s, self._deadline - time.monotonic())))
            chunk = self._resp.read1(65536)
            if self._expired.is_set() or time.monotonic() > self._deadline:
                raise Refused("timeout", "total")
            if not chunk:
                return
            self.received += len(chunk)
            if self.received > self._policy.max_bytes:
                raise Refused("too_large", str(self.received))
            yield chunk

    def read(self) -> bytes:
        return b"".join(self.chunks())


@contextmanager
def stream(url: str, policy: Policy, *, method: str = "GET", body: bytes | None = None,
           headers: dict[str, str] | None = None) -> Iterator[Stream]:
    """Open one request to the checked address and yield its answer, body unread. The same
    rules as `request`; for bodies that never end (MJPEG), read only what is needed."""
    scheme, host, port, ip = check_url(url, policy)
    parts = urlsplit(_rewritten(url.strip(), policy))
    started = time.monotonic()
    deadline = started + policy.total_timeout_s
    expired = threading.Event()
    sock: socket.socket | None = None

    def _expire() -> None:  # the total deadline holds even against a server that trickles bytes
        expired.set()
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    watchdog = threading.Timer(policy.total_timeout_s, _expire)
    watchdog.daemon = True
    try:
        try:
            sock = socket.create_connection((ip, port), timeout=min(policy.connect_timeout_s, policy.total_timeout_s))
            watchdog.start()
            sock.settimeout(policy.read_timeout_s)
            if scheme == "https":
                sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
            conn = http.client.HTTPConnection(host, port, timeout=policy.read_timeout_s)
            conn.sock = sock  # already connected to the checked address
            sent = {"User-Agent": USER_AGENT}
            sent.update(headers or {})
            if parts.username is not None:
                token = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
                sent["Authorization"] = "Basic " + base64.b64encode(token).decode()
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            conn.request(method, target, body=body, headers=sent)
            resp = conn.getresponse()
            if expired.is_set():
                raise Refused("timeout", "total")
            if 300 <= resp.status < 400:
                raise Refused("redirect", resp.getheader("Location", "") or "")
            if not 200 <= resp.status < 300:
                raise Refused(f"http_{resp.status}")
            length = resp.getheader("Content-Length")
            if length and length.strip().isdigit() and int(length) > policy.max_bytes:
                raise Refused("too_large", length)
            answer = Stream(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp, sock,
                            policy, deadline, expired)
            yield answer
        except Refused:
            raise
        except (socket.timeout, TimeoutError):
            raise Refused("timeout", "read" if not expired.is_set() else "total")
        except ssl.SSLError as exc:
            raise Refused("tls", str(exc))
        except (OSError, http.client.HTTPException) as exc:
            if expired.is_set():
                raise Refused("timeout", "total")
            raise Refused("connect", f"{type(exc).__name__}: {exc}")
    finally:
        watchdog.cancel()
        if sock is not None:
            sock.close()


def request(url: str, policy: Policy, *, method: str = "GET", body: bytes | None = None,
            headers: dict[str, str] | None = None) -> Response:
    """One bounded request to the checked address. Never follows a redirect (3xx ->
    Refused('redirect')); a status other than 2xx -> Refused(f'http_{status}'); the body is
    capped at max_bytes (Refused('too_large')); socket timeouts -> Refused('timeout'), TLS ->
    'tls', other OSError -> 'connect'. Credentials in the URL become a Basic Authorization
    header (they are never sent in the request line)."""
    with stream(url, policy, method=method, body=body, headers=headers) as answer:
        return Response(answer.status, answer.headers, answer.read())
