"""Start the app as the README does (`streamlit run server.py`) in a subprocess, for the
browser tests and the benchmarks. No Streamlit import here: it is a separate process."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from warroom import ROOT

PYTHON = sys.executable
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def server_env(db_path: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a dev server: the live app runs on the real clock like the wall
    (WARROOM_NOW, a frozen instant, is dropped), but WARROOM_TODAY passes through: it pins
    the calendar date while the time of day keeps running (see warroom.config.now)."""
    env = dict(os.environ, WARROOM_DB=str(db_path), PYTHONUNBUFFERED="1", **(extra or {}))
    env.pop("WARROOM_NOW", None)
    return env


def build_demo_db(path: Path) -> None:
    env = server_env(path)
    subprocess.run([PYTHON, "-m", "warroom", "init", "--demo", "--db", str(path)], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=600)


class AppServer:
    """A running `streamlit run server.py` process (stop() kills it)."""

    # Every server started in this process, so the browser suite can read each one's log
    # for page errors after every test (tests/browser/conftest.py).
    started: list["AppServer"] = []

    def __init__(self, db_path: Path, log_path: Path, port: int | None = None,
                 env: dict[str, str] | None = None):
        if port is not None and not port_is_free(port):
            # Otherwise the health check could be answered by someone else's server.
            raise RuntimeError(f"port {port} is already in use by another process")
        self.db_path, self.port = db_path, port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.proc = subprocess.Popen(
            [PYTHON, "-m", "streamlit", "run", "server.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=server_env(db_path, env), stdout=self._log, stderr=subprocess.STDOUT)
        AppServer.started.append(self)
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 90) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"app exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/health", timeout=2) as r:
                    if r.status == 200 and self.proc.poll() is None:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"app did not answer /api/health in {timeout}s:\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-5000:]

    def log_size(self) -> int:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.stat().st_size

    def log_since(self, offset: int) -> str:
        """Everything the server logged after byte `offset` (see log_size)."""
        if not self._log.closed:
            self._log.flush()
        with open(self.log_path, "rb") as f:
            f.seek(offset)
            return f.read().decode(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()

    def rss_mb(self) -> float:
        """Resident memory of the server process (Linux /proc)."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def cpu_seconds(self) -> float:
        """User + system CPU time used by the server process so far."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
