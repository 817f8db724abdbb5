"""A loopback HTTP server for the pull tests: each path answers what the test set for it
(a file, a status, a redirect, or nothing for a while), and every request is recorded."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    hold: bool = False    # wait (until the server closes) before answering: slower than any read timeout


class Handler(BaseHTTPRequestHandler):
    server: "PullServer"

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.server.requests.append((self.path, dict(self.headers)))
        answer = self.server.answers.get(self.path, Answer(404, b"not here"))
        if answer.hold:
            self.server.released.wait(30)
            return
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    def log_message(self, *args):
        pass


class PullServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.answers: dict[str, Answer] = {}
        self.requests: list[tuple[str, dict]] = []
        self.released = threading.Event()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def serve(self, path: str, body: bytes = b"", status: int = 200, **headers) -> str:
        self.answers[path] = Answer(status, body, {k.replace("_", "-"): v for k, v in headers.items()})
        return self.base + path

    def hold(self, path: str) -> str:
        self.answers[path] = Answer(hold=True)
        return self.base + path

    def close(self) -> None:
        self.released.set()
        self.shutdown()
        self.server_close()
