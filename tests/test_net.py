"""The one guarded fetcher (warroom.net): internal addresses in every spelling are refused
before any connection; requests are bounded and never follow a redirect."""
from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from warroom import net


@contextmanager
def loopback_listener():
    """Raw listeners on 127.0.0.1 and ::1 (same port when possible) that record every
    connection they accept; yields (port, accepted list)."""
    accepted: list[tuple] = []
    v4 = socket.socket(socket.AF_INET)
    v4.bind(("127.0.0.1", 0))
    port = v4.getsockname()[1]
    socks = [v4]
    try:
        v6 = socket.socket(socket.AF_INET6)
        v6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        v6.bind(("::1", port))
        socks.append(v6)
    except OSError:
        pass
    stop = threading.Event()

    def serve(sock):
        sock.listen(16)
        sock.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, addr = sock.accept()
            except (socket.timeout, OSError):
                continue
            accepted.append(addr)
            conn.close()

    threads = [threading.Thread(target=serve, args=(s,), daemon=True) for s in socks]
    for t in threads:
        t.start()
    try:
        yield port, accepted
    finally:
        stop.set()
        for t in threads:
            t.join()
        for s in socks:
            s.close()


FAST = net.Policy(connect_timeout_s=0.5, read_timeout_s=0.5, total_timeout_s=1.5)


@pytest.mark.parametrize("host", [
    "127.0.0.1", "localhost", "[::1]", "0.0.0.0", "[::]",
    "[::127.0.0.1]",            # IPv4-compatible loopback
    "[::7f00:1]",               # the same, in hex
    "[::ffff:127.0.0.1]",       # IPv4-mapped
    "[::ffff:7f00:1]",
    "[::ffff:0:7f00:1]",        # IPv4-translated (SIIT)
    "[64:ff9b::7f00:1]",        # NAT64 well-known prefix, embedding loopback
    "[64:ff9b::a9fe:a9fe]",     # NAT64 to the cloud metadata address
    "[64:ff9b:1::7f00:1]",      # NAT64 local-use prefix
    "[2002:7f00:1::]",          # 6to4 of 127.0.0.1
    "[2002:a9fe:a9fe::1]",      # 6to4 of 169.254.169.254
    "[2001:0:4136:e378:8000:63bf:80ff:fffe]",   # Teredo (embeds an obfuscated 127.0.0.1)
    "[::a9fe:a9fe]",            # compatible metadata address
    "[fec0::1]",                # site-local
    "[fd00::1]", "[fc00::1]",   # unique-local
    "[fe80::1]",                # link-local
    "[ff02::1]",                # multicast
    "[100::1]",                 # discard-only
    "[2001:db8::1]",            # documentation
    "169.254.169.254", "10.1.2.3", "172.16.0.1", "192.168.1.10", "100.64.0.1",
    "224.0.0.1", "240.0.0.1", "255.255.255.255",
    "2130706433",               # 127.0.0.1 as one number
    "0x7f.1",                   # and in another spelling
])
def test_every_spelling_of_an_internal_address_is_refused_without_a_connection(host):
    with loopback_listener() as (port, accepted):
        with pytest.raises(net.Refused) as err:
            net.request(f"http://{host}:{port}/x.jpg", FAST)
        with pytest.raises(net.Refused) as err2:
            net.check_url(f"http://{host}:{port}/x.jpg", FAST)
    assert (err.value.reason, err2.value.reason) == ("internal", "internal")
    assert accepted == []


@pytest.mark.parametrize("ip, internal", [
    ("8.8.8.8", False),
    ("2606:4700:4700::1111", False),
    ("::ffff:8.8.8.8", False),           # mapped public address: judged by the IPv4
    ("64:ff9b::808:808", False),         # NAT64 of a public address
    ("2002:808:808::1", False),          # 6to4 of a public address
    ("2002:c0a8:101::1", True),          # 6to4 of 192.168.1.1
    ("::808:808", True),                 # deprecated compatible form: never
    ("fe80::1%lo", True),
    ("not an address", True),
])
def test_is_internal_judges_embedded_ipv4(ip, internal):
    assert net.is_internal(ip) is internal


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _answer(self, status, body=b"", **headers):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.server.seen.append((self.command, self.path, dict(self.headers), b""))
        if self.path == "/ok":
            self._answer(200, b"hello", Content_Type="text/plain")
        elif self.path == "/redirect":
            self._answer(302, Location="http://127.0.0.1:1/elsewhere")
        elif self.path == "/big":
            self._answer(200, b"x" * 5000)
        elif self.path == "/trickle":
            self.send_response(200)
            self.end_headers()
            try:
                for _ in range(100):   # a byte well within the read timeout, forever
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            self._answer(404)

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.seen.append((self.command, self.path, dict(self.headers), body))
        self._answer(204)


@pytest.fixture
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.daemon_threads = True
    srv.seen = []
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{srv.server_address[1]}"
    yield srv, base
    srv.shutdown()
    srv.server_close()


def allowed(base: str, **kw) -> net.Policy:
    opts = dict(connect_timeout_s=0.5, read_timeout_s=0.5, total_timeout_s=1.0, max_bytes=1000,
                allow_internal=(base + "/",))
    opts.update(kw)
    return net.Policy(**opts)


def test_request_answers_with_status_lowercase_headers_and_body(server):
    srv, base = server
    answer = net.request(base + "/ok", allowed(base))
    assert (answer.status, answer.body, answer.headers["content-type"]) == (200, b"hello", "text/plain")


def test_post_sends_the_body_and_url_credentials_as_basic_auth(server):
    srv, base = server
    host = base.removeprefix("http://")
    answer = net.request(f"http://hook:pa%40ss@{host}/hook?x=1", allowed(base), method="POST",
                         body=b'{"a":1}', headers={"Content-Type": "application/json"})
    assert answer.status == 204
    method, path, headers, body = srv.seen[0]
    assert (method, path, body) == ("POST", "/hook?x=1", b'{"a":1}')
    assert headers["Authorization"] == "Basic aG9vazpwYUBzcw=="   # hook:pa@ss
    assert headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("path, reason", [("/redirect", "redirect"), ("/missing", "http_404"),
                                          ("/big", "too_large"), ("/trickle", "timeout")])
def test_failures_are_refusals_with_a_reason(server, path, reason):
    srv, base = server
    with pytest.raises(net.Refused) as err:
        net.request(base + path, allowed(base))
    assert err.value.reason == reason
    assert [p for _, p, _, _ in srv.seen] == [path]      # the redirect target is never fetched


def test_a_closed_port_is_a_connect_refusal():
    with loopback_listener() as (port, _):
        pass   # now closed
    with pytest.raises(net.Refused) as err:
        net.request(f"http://127.0.0.1:{port}/", net.Policy(allow_internal=(f"http://127.0.0.1:{port}/",)))
    assert err.value.reason == "connect"


@pytest.mark.parametrize("url, reason", [("ftp://example.org/x", "scheme"), ("file:///etc/passwd", "scheme"),
                                         ("http:///nohost", "bad_url"), ("http://example.org:99999/", "bad_url"),
                                         ("http://no-such-host.invalid/", "dns")])
def test_bad_urls_are_refused(url, reason):
    with pytest.raises(net.Refused) as err:
        net.check_url(url, net.Policy())
    assert err.value.reason == reason


def test_policy_from_env_adds_the_operator_prefixes(monkeypatch):
    monkeypatch.setenv("WARROOM_PULL_ALLOW", " http://10.0.0.5:8080/feeds/ , http://10.0.0.6/x/")
    policy = net.Policy.from_env("WARROOM_PULL_ALLOW", allow_internal=("http://127.0.0.1:1/a/",), max_bytes=5)
    assert policy.allow_internal == ("http://127.0.0.1:1/a/", "http://10.0.0.5:8080/feeds/", "http://10.0.0.6/x/")
    assert policy.max_bytes == 5
    assert net.check_url("http://10.0.0.5:8080/feeds/a.csv", policy)[3] == "10.0.0.5"
    with pytest.raises(net.Refused) as err:
        net.check_url("http://10.0.0.5:8080/feeds/../admin", policy)
    assert err.value.reason == "internal"
