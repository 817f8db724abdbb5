"""Handing work to the running app, which holds the database (DuckDB allows one process).

At start-up the app writes `<db>.server.json` (mode 0600: port and a per-start secret)
next to the database; the command line, finding the database locked, posts the file to
the app's /api/ingest/{dataset} with that secret and prints the verdict it gets back.
Agencies' own systems use the same endpoint with a per-OPD API token
(`python -m warroom tokens add --opd KODE`; only its sha256 is stored).
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from warroom.config import now

LOCAL_HEADER = "X-Warroom-Local"
_local_secret: str | None = None


def server_file(db_path: str | os.PathLike) -> Path:
    return Path(str(db_path) + ".server.json")


def write_server_file(db_path: str | os.PathLike, port: int, host: str = "127.0.0.1") -> str:
    """Called by the app at start-up; returns the secret it will accept."""
    global _local_secret
    _local_secret = secrets.token_urlsafe(32)
    path = server_file(db_path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"host": host, "port": port, "secret": _local_secret, "pid": os.getpid()}, fh)
    os.chmod(path, 0o600)
    return _local_secret


def remove_server_file(db_path: str | os.PathLike) -> None:
    try:
        info = json.loads(server_file(db_path).read_text(encoding="utf-8"))
        if info.get("pid") == os.getpid():
            server_file(db_path).unlink()
    except (OSError, ValueError):
        pass


def is_local_secret(value: str | None) -> bool:
    if not value or _local_secret is None:
        return False
    return secrets.compare_digest(value, _local_secret)


class HandoffFailed(Exception):
    pass


def send_ingest(db_path, dataset: str, data: bytes, *, file_name: str | None, kode_opd: str, username: str,
                mapping: dict | None, dry_run: bool, lang: str, timeout: float = 600) -> dict:
    """Post a file to the running app; returns the result dict (IngestResult.as_dict)."""
    try:
        info = json.loads(server_file(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise HandoffFailed(f"no running app found ({server_file(db_path)}): {exc}")
    params = {"opd": kode_opd, "user": username, "lang": lang, "dry_run": "1" if dry_run else "0"}
    if file_name:
        params["file_name"] = file_name
    if mapping:
        params["mapping"] = json.dumps(mapping)
    url = f"http://{info['host']}:{info['port']}/api/ingest/{dataset}?{urllib.parse.urlencode(params)}"
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={LOCAL_HEADER: info["secret"], "Content-Type": "application/octet-stream"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return json.loads(resp.read())["result"]
    except urllib.error.HTTPError as exc:
        body = exc.read()
        try:
            payload = json.loads(body)
        except ValueError:
            raise HandoffFailed(f"HTTP {exc.code}: {body[:200]!r}")
        if "result" in payload:
            return payload["result"]
        raise HandoffFailed(f"HTTP {exc.code}: {payload}")
    except (urllib.error.URLError, OSError) as exc:
        raise HandoffFailed(f"the app at {info['host']}:{info['port']} did not answer: {exc}")


def send_local(db_path, method: str, path: str, params: dict | None = None, data: bytes | None = None,
               timeout: float = 600) -> tuple[int, bytes]:
    """Another operator command (export, backup, rollback) run by the app that holds the
    database: (HTTP status, body)."""
    try:
        info = json.loads(server_file(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise HandoffFailed(f"no running app found ({server_file(db_path)}): {exc}")
    query = f"?{urllib.parse.urlencode(params)}" if params else ""
    req = urllib.request.Request(f"http://{info['host']}:{info['port']}{path}{query}", data=data, method=method,
                                 headers={LOCAL_HEADER: info["secret"]})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, OSError) as exc:
        raise HandoffFailed(f"the app at {info['host']}:{info['port']} did not answer: {exc}")


# --- per-OPD API tokens -------------------------------------------------------------

def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(con, kode_opd: str, label: str | None = None, walidata: bool = False) -> str:
    """A new token for an OPD; only its hash is kept, so this is the one time it is seen.
    `walidata`: the token may send on behalf of other senders (data standard v2); only for an
    OPD that is a walidata (the city's, or a dataset's x-walidata)."""
    from warroom.db import write_transaction
    token = "wr_" + secrets.token_urlsafe(32)
    if walidata and kode_opd not in walidata_opds():
        raise KeyError(f"{kode_opd} is not a walidata ({', '.join(sorted(walidata_opds()))})")
    with write_transaction(con):
        if not con.execute("SELECT count(*) FROM opd WHERE kode_opd = ?", [kode_opd]).fetchone()[0]:
            raise KeyError(f"unknown OPD {kode_opd!r}")
        con.execute("INSERT INTO api_tokens (token_sha256, kode_opd, label, created_at, revoked, walidata) "
                    "VALUES (?, ?, ?, ?, FALSE, ?)", [token_hash(token), kode_opd, label, now(), walidata])
    return token


def walidata_opds() -> set[str]:
    """Every OPD that is a walidata of some dataset."""
    from warroom import datasets
    from warroom.config import city
    out = set(city().walidata)
    for ds in datasets.all_datasets():
        out |= set(ds.spec.get("x-walidata", []))
    return out


def token_info(con, token: str) -> tuple[str, bool] | None:
    """(kode_opd, created with the walidata right) of an active token, else None."""
    row = con.execute("SELECT kode_opd, coalesce(walidata, FALSE) FROM api_tokens "
                      "WHERE token_sha256 = ? AND NOT revoked", [token_hash(token)]).fetchone()
    return (row[0], bool(row[1])) if row else None


def opd_for_token(con, token: str) -> str | None:
    info = token_info(con, token)
    return info[0] if info else None


def revoke_token(con, prefix_hash: str) -> int:
    from warroom.db import write_transaction
    with write_transaction(con):
        n = con.execute("SELECT count(*) FROM api_tokens WHERE starts_with(token_sha256, ?) AND NOT revoked",
                        [prefix_hash]).fetchone()[0]
        con.execute("UPDATE api_tokens SET revoked = TRUE WHERE starts_with(token_sha256, ?)", [prefix_hash])
    return n
