"""One run of one source: fetch (warroom.net, the one guarded fetcher) -> bytes -> the gate.

Outcomes, each an upload-log entry by user `sumber:NAME`:
- accepted: the gate stored the file (rows replace the source's earlier rows by key);
- unchanged: the same sha256 as the source's last accepted run: logged, no rows written;
- refused: the gate refused the file (or its JSON could not be read): data as it was;
- fetch_failed: network, HTTP status, refused address, too large: data as it was.
A failure keeps the last good run and retries with back-off (Schedule.next_run).
"""
from __future__ import annotations

import csv
import io
import json
import os
import threading
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import duckdb

from warroom import db, lineage
from warroom.config import now as clock_now
from warroom.i18n import normalise_lang, t
from warroom.pull import sources as registry

# Per source, one run at a time in this process (the scheduler and "run now" may meet).
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()

CONTENT_TYPES = {
    "text/csv": "csv", "application/csv": "csv", "text/comma-separated-values": "csv",
    "application/json": "json", "text/json": "json",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}
EXTENSIONS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".json": "json", ".xlsx": "xlsx"}


def policy():
    """The guarded fetcher's limits for pulls: the upload cap, internal addresses only
    under a prefix listed in WARROOM_PULL_ALLOW. Timeouts can be lowered for tests."""
    from warroom import net
    from warroom.upload_service import MAX_UPLOAD_MB
    return net.Policy.from_env(
        "WARROOM_PULL_ALLOW",
        connect_timeout_s=float(os.environ.get("WARROOM_PULL_CONNECT_TIMEOUT_S", 5)),
        read_timeout_s=float(os.environ.get("WARROOM_PULL_READ_TIMEOUT_S", 15)),
        total_timeout_s=float(os.environ.get("WARROOM_PULL_TOTAL_TIMEOUT_S", 120)),
        max_bytes=MAX_UPLOAD_MB * 1024 * 1024)


@dataclass
class RunOutcome:
    source: str
    outcome: str                     # accepted | unchanged | refused | fetch_failed | error (ours)
    lang: str = "id"
    upload_id: int | None = None
    result: dict | None = None       # IngestResult.as_dict() when the gate answered
    error: str | None = None         # fetch_failed: the fetcher's reason code
    detail: str | None = None        # fetch_failed: the fetcher's detail (operator only)
    same_as: int | None = None       # unchanged: the accepted upload it repeats
    rows: int | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in registry.OK_RESULTS

    @property
    def exit_code(self) -> int:
        return {"accepted": 0, "unchanged": 0, "refused": 1}.get(self.outcome, 3)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "RunOutcome":
        return cls(**d)

    def render_text(self) -> str:
        """The command line's answer (the same whether run here or by the app)."""
        if self.outcome in ("accepted", "refused") and self.result:
            from warroom.ingest.report import IngestResult
            return IngestResult.from_dict(self.result).render_text()
        if self.outcome == "unchanged":
            return t("sumber.cli.unchanged", self.lang, name=self.source, upload_id=self.upload_id,
                     same_as=self.same_as)
        return t("sumber.cli.fetch_failed", self.lang, name=self.source, reason=error_text(self.error, self.lang),
                 upload_id=self.upload_id if self.upload_id is not None else "-")


def error_text(code: str | None, lang: str) -> str:
    """A failure reason in words (never the URL or the address it resolved to)."""
    if not code:
        return ""
    if code.startswith("http_"):
        return t("sumber.error.http", lang, status=code[5:])
    key = f"sumber.error.{code}"
    from warroom.i18n import catalogue
    return t(key, lang) if key in catalogue() else code


def choose_format(stored: str | None, content_type: str | None, url: str) -> str:
    """The stored format, else the Content-Type, else the URL's extension, else csv."""
    if stored:
        return stored
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime in CONTENT_TYPES:
        return CONTENT_TYPES[mime]
    return EXTENSIONS.get(PurePosixPath(urlsplit(url).path).suffix.lower(), "csv")


class NotRecords(ValueError):
    """JSON that is not a list of flat records (at the path given)."""


def json_to_csv(data: bytes, path: str | None) -> bytes:
    """A JSON list of records (at `path`, e.g. "data.items") as a UTF-8 CSV for the gate.
    Columns in order of first appearance; nested values are refused (not guessed)."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise NotRecords(f"not JSON: {exc}") from None
    for step in (path.split(".") if path else []):
        if isinstance(doc, dict) and step in doc:
            doc = doc[step]
        elif isinstance(doc, list) and step.isdigit() and int(step) < len(doc):
            doc = doc[int(step)]
        else:
            raise NotRecords(f"no {step!r} at the JSON path {path!r}")
    if not isinstance(doc, list) or not all(isinstance(r, dict) for r in doc):
        raise NotRecords("not a list of records")
    columns: dict[str, None] = {}
    for record in doc:
        columns.update(dict.fromkeys(record))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(list(columns))
    for record in doc:
        writer.writerow([_cell(record.get(c)) for c in columns])
    return out.getvalue().encode("utf-8")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    raise NotRecords("nested values in a record")


def _lock(name: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(name, threading.Lock())


def run_source(con: duckdb.DuckDBPyConnection, name: str, *, lang: str = "id", at: datetime | None = None,
               fetch=None) -> RunOutcome:
    """Fetch one source now and pass it to the gate; record the run. `fetch(url, headers)`
    -> net.Response is the guarded fetcher unless a test injects another."""
    lang = normalise_lang(lang)
    with _lock(name):
        source = registry.get(con, name)
        try:
            outcome = _fetch_and_ingest(con, source, lang, fetch or _guarded_fetch)
        except Exception as exc:
            # A fault of ours, not the source's: still back off (the scheduler must not retry
            # it every tick), then let it surface.
            _record(con, source, RunOutcome(name, "error", lang, error="crash", detail=repr(exc)[:500]),
                    at or clock_now())
            raise
        _record(con, source, outcome, at or clock_now())
    return outcome


def _guarded_fetch(url: str, headers: dict[str, str]):
    from warroom import net
    return net.request(url, policy(), headers=headers or None)


def _fetch_and_ingest(con, source: registry.Source, lang: str, fetch) -> RunOutcome:
    from warroom import net
    file_stub = PurePosixPath(urlsplit(source.url).path).name or source.name
    try:
        response = fetch(source.url, registry.auth_header_of(con, source.name))
    except net.Refused as refused:
        upload_id = _log(con, source, status="fetch_failed", file_name=file_stub, sha256=None,
                         report={"error": refused.reason})
        return RunOutcome(source.name, "fetch_failed", lang, upload_id=upload_id, error=refused.reason,
                          detail=refused.detail)
    fmt = choose_format(source.format, response.headers.get("content-type"), source.url)
    data = response.body
    file_name = f"{source.name}.{fmt}"
    if fmt == "json":
        try:
            data = json_to_csv(data, source.json_path)
        except NotRecords as exc:
            return _refused_json(con, source, lang, file_name, response.body, str(exc))
        file_name = f"{source.name}.csv"
    sha = lineage.sha256_bytes(data)
    last = con.execute("SELECT upload_id, sha256, rows_total FROM uploads WHERE username = ? AND status = 'accepted' "
                       "ORDER BY upload_id DESC LIMIT 1", [source.username]).fetchone()
    if last is not None and last[1] == sha:
        upload_id = _log(con, source, status="unchanged", file_name=file_name, sha256=sha,
                         report={"same_as": last[0]}, rows_total=last[2] or 0)
        return RunOutcome(source.name, "unchanged", lang, upload_id=upload_id, same_as=last[0], rows=last[2])
    from warroom.ingest import ingest_file
    result = ingest_file(con, source.dataset, data, kode_opd=source.kode_opd, username=source.username,
                         file_name=file_name, mapping=source.ingest_mapping(), lang=lang)
    return RunOutcome(source.name, "accepted" if result.accepted else "refused", lang, upload_id=result.upload_id,
                      result=result.as_dict(), rows=result.rows_total)


def _refused_json(con, source, lang, file_name, body: bytes, why: str) -> RunOutcome:
    """JSON the gate could not be given: refused like a file the gate refuses, with its report."""
    from warroom.ingest.report import IngestResult, Problem
    result = IngestResult(source.dataset, source.kode_opd, lang, file_name=file_name,
                          sha256=lineage.sha256_bytes(body))
    result.problems = [Problem(None, None, None, t("sumber.problem.json", lang, path=source.json_path or "-"),
                               None, "source.json")]
    result.problem_counts = {"source.json:": 1}
    result.accepted = False
    result.upload_id = _log(con, source, status="refused", file_name=file_name, sha256=result.sha256,
                            report={**result.log_report(), "detail": why})
    return RunOutcome(source.name, "refused", lang, upload_id=result.upload_id, result=result.as_dict())


def _log(con, source: registry.Source, *, status: str, file_name: str, sha256: str | None, report: dict,
         rows_total: int = 0) -> int:
    """An upload-log entry that writes no rows. Not a data change: the data version stays,
    so pages keep their caches (an unchanged source may run every minute)."""
    with db.WRITE_LOCK:
        con.execute("BEGIN TRANSACTION")
        try:
            upload_id = lineage.new_upload(con, dataset=source.dataset, kode_opd=source.kode_opd,
                                           username=source.username, file_name=file_name, sha256=sha256,
                                           status=status, rows_total=rows_total,
                                           rows_unchanged=rows_total if status == "unchanged" else 0,
                                           report=report)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return upload_id


def _record(con, source: registry.Source, outcome: RunOutcome, at: datetime) -> None:
    """The source's run state: last run and result, last good run, next run (back-off on failure)."""
    failures = 0 if outcome.ok else source.failures + 1
    next_run = source.schedule.next_run(at, outcome.ok, failures)
    error = None
    if outcome.outcome in ("fetch_failed", "error"):
        error = outcome.error
    elif outcome.outcome == "refused":
        error = "refused"
    with db.WRITE_LOCK:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(
                "UPDATE sources SET last_run_at = ?, last_result = ?, last_error = ?, last_error_detail = ?, "
                "last_upload_id = ?, failures = ?, next_run_at = ? WHERE name = ?",
                [at, outcome.outcome, error, outcome.detail, outcome.upload_id, failures, next_run, source.name])
            if outcome.ok:
                con.execute("UPDATE sources SET last_ok_at = ?, last_ok_upload_id = ?, last_rows = ? WHERE name = ?",
                            [at, outcome.same_as or outcome.upload_id, outcome.rows, source.name])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
