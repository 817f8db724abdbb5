"""Shared pieces of the CCTV tests: cameras in a store, and a loopback camera server."""
from __future__ import annotations

import io
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image

from warroom import lineage


def jpeg(width: int = 64, height: int = 48, colour=(0, 114, 178)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buf, "JPEG", quality=80)
    return buf.getvalue()


# (kode, nama, kode_wilayah (a kelurahan of Mariso / Ujung Pandang ...), status, url path or full URL)
def add_cameras(con, cameras: list[tuple[str, str, str, str, str | None]], lat=-5.135, lon=119.41) -> None:
    upload = lineage.new_upload(con, dataset="cctv", kode_opd="DISHUB", username="test", file_name=None,
                                sha256=None, status="accepted", rows_total=len(cameras))
    for i, (kode, nama, wilayah, status, url) in enumerate(cameras):
        con.execute("INSERT INTO cctv (kode_cctv, nama_lokasi, latitude, longitude, kode_wilayah, status, "
                    "url_stream, terakhir_aktif, sumber_opd, upload_id) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, "
                    "'DISHUB', ?)", [kode, nama, lat + i * 0.001, lon + i * 0.001, wilayah, status, url, upload])


class _Handler(BaseHTTPRequestHandler):
    picture = jpeg()
    hang_s = 3.0

    def log_message(self, *args):  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, ctype: str = "image/jpeg", **headers) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the fetcher gave up first: expected
            pass

    def do_GET(self):
        self.server.hits.append(self.path)
        path = self.path.split("?")[0]
        if path == "/ok.jpg":
            self._send(200, self.picture)
        elif path == "/slow.jpg":
            time.sleep(self.hang_s)
            self._send(200, self.picture)
        elif path == "/garbage.jpg":
            self._send(200, b"<html>this is not a picture</html>")
        elif path == "/error.jpg":
            self._send(500, b"internal error", "text/plain")
        elif path == "/redirect.jpg":
            self._send(302, b"", "text/plain", Location="http://198.51.100.7/elsewhere.jpg")
        elif path == "/big.jpg":
            self._send(200, b"\xff\xd8\xff" + b"\0" * 400_000 + b"\xff\xd9")
        elif path == "/mjpeg":
            self.send_response(200)
            self.send_header("Content-Type", "multipart/x-mixed-replace; boundary=frame")
            self.end_headers()
            try:
                for _ in range(20):  # an endless stream, as far as the client can tell
                    self.wfile.write(b"--frame\r\nContent-Type: image/jpeg\r\n\r\n" + self.picture + b"\r\n")
                    self.wfile.flush()
                    time.sleep(0.05)
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            self._send(404, b"no such camera", "text/plain")


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the default backlog of 5 refuses a burst of concurrent fetches


@contextmanager
def camera_server():
    """A loopback HTTP server on a free port; yields its base URL ("http://127.0.0.1:PORT")."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
