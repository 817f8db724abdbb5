"""Reading an upload's body is bounded and a stop ends it (issue 15, item 14)."""
from __future__ import annotations

import asyncio
import os
import signal
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.requests import Request

from devtools.devserver import AppServer
from warroom import db, handoff, request_body


def _request(messages: list[dict] | None, headers: dict[str, str] | None = None) -> Request:
    """A request whose body arrives as `messages`; None: the client sends nothing, ever."""
    async def receive():
        if messages is None:
            await asyncio.Event().wait()       # a stalled client
        return messages.pop(0) if messages else {"type": "http.disconnect"}
    scope = {"type": "http", "method": "POST", "path": "/", "query_string": b"",
             "headers": [(k.encode(), v.encode()) for k, v in (headers or {}).items()]}
    return Request(scope, receive)


def run(coro_fn):
    with ThreadPoolExecutor(max_workers=1) as pool:   # playwright may hold this thread's loop
        return pool.submit(asyncio.run, coro_fn()).result()


def refused(coro_fn) -> tuple[int, str]:
    with pytest.raises(request_body.BodyRefused) as err:
        run(coro_fn)
    return err.value.status, err.value.reason


@pytest.fixture(autouse=True)
def not_stopping():
    request_body.STOPPING.clear()
    yield
    request_body.STOPPING.clear()


def test_the_body_in_chunks():
    msgs = [{"type": "http.request", "body": b"ab", "more_body": True},
            {"type": "http.request", "body": b"", "more_body": True},
            {"type": "http.request", "body": b"cd", "more_body": False}]
    assert run(lambda: request_body.read(_request(msgs))) == b"abcd"


def test_a_stalled_client_is_answered_408():
    assert refused(lambda: request_body.read(_request(None), idle_s=0.3)) == (408, "no data for 0.3 s")


def test_a_stop_ends_a_read_in_progress():
    async def go():
        asyncio.get_running_loop().call_later(0.3, request_body.STOPPING.set)
        return await request_body.read(_request(None))          # would wait IDLE_S (30 s) otherwise
    assert refused(go) == (503, "server stopping; send again later")


def test_size_cap_before_and_while_reading():
    big = {"content-length": "101"}
    assert refused(lambda: request_body.read(_request([], big), max_bytes=100)) == (413, "body over 100 bytes")
    msgs = [{"type": "http.request", "body": b"x" * 60, "more_body": True},
            {"type": "http.request", "body": b"x" * 60, "more_body": False}]
    assert refused(lambda: request_body.read(_request(msgs), max_bytes=100)) == (413, "body over 100 bytes")


def test_a_client_that_disconnects_is_400():
    msgs = [{"type": "http.request", "body": b"ab", "more_body": True}]
    assert refused(lambda: request_body.read(_request(msgs))) == (400, "client disconnected")


def test_sigterm_while_an_upload_is_read_stops_the_server_and_a_new_one_opens_the_database(store_file):
    con = db.connect(store_file)
    try:
        token = handoff.create_token(con, "DINKES", "uji")
    finally:
        con.close()
    server = AppServer(store_file, store_file.parent / "server1.log")
    client = socket.create_connection(("127.0.0.1", server.port))
    try:
        client.settimeout(60)
        # "Expect: 100-continue": the server says "100 Continue" once the app starts reading the body
        client.sendall(f"POST /api/ingest/covid19_harian HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       f"Authorization: Bearer {token}\r\nContent-Length: 10000000\r\n"
                       f"Expect: 100-continue\r\n\r\n".encode())
        assert client.recv(4096).startswith(b"HTTP/1.1 100 Continue")
        client.sendall(b"tanggal,kode_wilayah\n" * 50)           # then nothing more: a stalled upload
        os.kill(server.proc.pid, signal.SIGTERM)
        answer = b""
        while chunk := client.recv(4096):    # the server answers, then closes the connection
            answer += chunk
        answer = answer.decode(errors="replace")
        assert answer.startswith("HTTP/1.1 503") and "server stopping" in answer, answer
        # it stops instead of hanging (uvicorn re-raises the SIGTERM after its graceful stop)
        assert server.proc.wait(timeout=60) == -signal.SIGTERM, server.log()
        assert "War Room stopped" in server.log()
    finally:
        client.close()
        server.stop()
    again = AppServer(store_file, store_file.parent / "server2.log")   # raises unless /api/health is 200
    try:
        assert again.proc.poll() is None
    finally:
        again.stop()


def _through_middleware(messages: list[dict] | None, *, stop_after: float | None = None, idle_s: float = 30.0):
    """What an app behind BoundedReceive receives, message by message, until the body ends."""
    seen: list[dict] = []

    async def app(scope, receive, send):
        while True:
            message = await receive()
            seen.append(message)
            if message["type"] == "http.disconnect" or not message.get("more_body", False):
                return

    async def receive():
        if not messages:
            await asyncio.Event().wait()        # the client sends nothing more
        return messages.pop(0)

    async def go():
        if stop_after is not None:
            asyncio.get_running_loop().call_later(stop_after, request_body.STOPPING.set)
        await request_body.BoundedReceive(app, idle_s=idle_s)({"type": "http"}, receive, None)
        return seen

    return run(go)


def test_the_middleware_passes_a_body_through():
    body = [{"type": "http.request", "body": b"a", "more_body": True},
            {"type": "http.request", "body": b"b", "more_body": False}]
    assert _through_middleware(list(body)) == body


def test_the_middleware_turns_a_stop_into_a_disconnect():
    first = {"type": "http.request", "body": b"a", "more_body": True}
    assert _through_middleware([first], stop_after=0.3) == [first, {"type": "http.disconnect"}]


def test_the_middleware_turns_a_silent_client_into_a_disconnect():
    first = {"type": "http.request", "body": b"a", "more_body": True}
    assert _through_middleware([first], idle_s=0.3) == [first, {"type": "http.disconnect"}]


def test_websockets_are_not_touched():
    calls = []

    async def app(scope, receive, send):
        calls.append(receive)

    async def receive():
        return {}

    run(lambda: request_body.BoundedReceive(app)({"type": "websocket"}, receive, None))
    assert calls == [receive]
