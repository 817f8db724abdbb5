"""Reading a request body without letting a client hold the server: bounded in idle time, in
total time and (optionally) in size, and ended at once when the server is asked to stop.

Why: uvicorn's graceful stop waits, without a limit, for requests in progress. An upload whose
client sends slowly (or stops sending) kept the stopping process alive, and with it the lock on
the database file, so the next server answered 503 "locked" until the old one was killed.
With `read`, such a request is answered 408 (too slow) or 503 (stopping) and the stop goes on.

`watch_stop_signals()` (called by warroom.api.lifespan at start-up, in the server's main
thread) chains to the server's own SIGTERM/SIGINT handlers to learn about a stop as it begins.
"""
from __future__ import annotations

import asyncio
import signal
import threading

from starlette.requests import ClientDisconnect, Request

IDLE_S = 30.0      # no byte for this long: the client is gone or stalling
TOTAL_S = 900.0    # a whole upload (the web cap at a slow 100 kB/s fits with room to spare)
POLL_S = 0.25      # how often a waiting read looks whether the server is stopping

STOPPING = threading.Event()


class BodyRefused(Exception):
    """The body was not read: `status` is the HTTP answer, `reason` says why (English, for APIs)."""

    def __init__(self, status: int, reason: str):
        self.status, self.reason = status, reason
        super().__init__(f"{status} {reason}")


def watch_stop_signals() -> None:
    """Set STOPPING when the process gets SIGTERM or SIGINT, then let the server's own handler
    run (uvicorn starts its graceful stop). Only the main thread may install handlers."""
    STOPPING.clear()
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(sig)
        if getattr(previous, "_warroom_stop_watch", False):
            continue

        def handler(signum, frame, previous=previous):
            STOPPING.set()
            if callable(previous):
                previous(signum, frame)
            else:  # no server handler: behave as the default would
                signal.signal(signum, previous if previous is not None else signal.SIG_DFL)
                signal.raise_signal(signum)

        setattr(handler, "_warroom_stop_watch", True)   # the marker read back by getattr above
        signal.signal(sig, handler)


async def read(request: Request, *, max_bytes: int | None = None, idle_s: float = IDLE_S,
               total_s: float = TOTAL_S) -> bytes:
    """The whole body, or BodyRefused: 413 over max_bytes (when the client says so up front, before
    reading), 408 after idle_s without data or total_s in all, 503 when the server stops, 400 when
    the client disconnects."""
    declared = request.headers.get("content-length", "")
    if max_bytes is not None and declared.isdigit() and int(declared) > max_bytes:
        raise BodyRefused(413, f"body over {max_bytes} bytes")
    loop = asyncio.get_running_loop()
    started = last_data = loop.time()
    chunks = request.stream().__aiter__()
    buf = bytearray()
    pending: asyncio.Future | None = None
    try:
        while True:
            if STOPPING.is_set():
                raise BodyRefused(503, "server stopping; send again later")
            moment = loop.time()
            if moment - last_data > idle_s:
                raise BodyRefused(408, f"no data for {idle_s:g} s")
            if moment - started > total_s:
                raise BodyRefused(408, f"body not received within {total_s:g} s")
            if pending is None:
                pending = asyncio.ensure_future(chunks.__anext__())
            done, _ = await asyncio.wait({pending}, timeout=POLL_S)
            if not done:
                continue
            task, pending = pending, None
            try:
                chunk = task.result()
            except StopAsyncIteration:
                return bytes(buf)
            except ClientDisconnect:
                raise BodyRefused(400, "client disconnected")
            if chunk:
                last_data = loop.time()
                buf += chunk
                if max_bytes is not None and len(buf) > max_bytes:
                    raise BodyRefused(413, f"body over {max_bytes} bytes")
    finally:
        if pending is not None:
            pending.cancel()


class BoundedReceive:
    """ASGI middleware for every HTTP request of the app (Streamlit's own file upload included):
    while a request's body is incomplete, a client silent for `idle_s` or a stop of the server
    reads as a disconnect, so no handler waits on a body forever. After the body, receive
    passes through, except that a stop still reads as a disconnect."""

    def __init__(self, app, idle_s: float = IDLE_S):
        self.app, self.idle_s = app, idle_s

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        loop = asyncio.get_running_loop()
        state = {"body_done": False, "last": loop.time()}

        async def bounded_receive():
            task = asyncio.ensure_future(receive())
            try:
                while True:
                    done, _ = await asyncio.wait({task}, timeout=POLL_S)
                    if done:
                        message = task.result()
                        if message.get("type") == "http.request":
                            state["last"] = loop.time()
                            state["body_done"] = not message.get("more_body", False)
                        return message
                    if STOPPING.is_set() or (not state["body_done"]
                                             and loop.time() - state["last"] > self.idle_s):
                        return {"type": "http.disconnect"}
            finally:
                if not task.done():
                    task.cancel()

        return await self.app(scope, bounded_receive, send)
