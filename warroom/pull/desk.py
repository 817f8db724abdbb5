"""What the Katalog and Admin pages show and do with sources, without Streamlit.

Nothing shown here carries a source's auth header, its URL's credentials or query, or the
address a failure named: failures are shown as a reason in words. Every action re-checks,
from the users table, that the acting account is an active admin.
"""
from __future__ import annotations

import json
from datetime import datetime

import duckdb

from warroom.admin_desk import require_admin
from warroom.config import city, now
from warroom.i18n import t
from warroom.pull import run, sources


def when_text(at: datetime | None, lang: str) -> str:
    """A moment in city time, as the datasets table writes it (2026-11-28 10:00)."""
    return at.astimezone(city().tz).strftime("%Y-%m-%d %H:%M") if at else t("fmt.na", lang)


def result_text(result: str | None, lang: str) -> str:
    return t(f"sumber.result.{result or 'none'}", lang)


def status_rows(con: duckdb.DuckDBPyConnection, lang: str) -> list[dict]:
    """One row per source: schedule, last run and result (with the reason of a failure),
    last good run, rows it last sent, next run."""
    out = []
    for s in sources.list_sources(con):
        out.append({
            "name": s.name, "result": s.last_result, "failing": s.last_result not in (None, *sources.OK_RESULTS),
            t("sumber.col.name", lang): s.name,
            t("sumber.col.dataset", lang): s.dataset,
            t("sumber.col.opd", lang): s.kode_opd,
            t("sumber.col.schedule", lang): s.schedule.describe(lang),
            t("sumber.col.last_run", lang): when_text(s.last_run_at, lang),
            t("sumber.col.result", lang): result_text(s.last_result, lang),
            t("sumber.col.error", lang): run.error_text(s.last_error, lang),
            t("sumber.col.last_ok", lang): (f"{when_text(s.last_ok_at, lang)} (#{s.last_ok_upload_id})"
                                            if s.last_ok_at else t("fmt.na", lang)),
            t("sumber.col.rows", lang): s.last_rows if s.last_rows is not None else 0,
            t("sumber.col.next_run", lang): when_text(s.next_run_at, lang),
        })
    return out


def history_rows(con: duckdb.DuckDBPyConnection, name: str, lang: str, limit: int = 20) -> list[dict]:
    """The source's runs from the upload log, newest first, a failure's reason in words."""
    rows = []
    for h in sources.history(con, name, limit):
        report = json.loads(h["report"] or "{}")
        reason = ""
        if h["status"] == "fetch_failed":
            reason = run.error_text(report.get("error"), lang)
        elif h["status"] == "refused":
            reason = "; ".join(p["reason"] for p in report.get("problems", [])[:3])
        rows.append({t("sumber.col.upload", lang): h["upload_id"],
                     t("sumber.col.when", lang): when_text(h["created_at"], lang),
                     t("sumber.col.result", lang): result_text(h["status"], lang),
                     t("sumber.col.rows", lang): h["rows_total"] or 0,
                     t("sumber.col.error", lang): reason})
    return rows


def registry_rows(con: duckdb.DuckDBPyConnection, lang: str) -> list[dict]:
    """The Admin's list: the URL without credentials or query; the auth header as yes/no."""
    return [{t("sumber.col.name", lang): s.name, t("sumber.col.dataset", lang): s.dataset,
             t("sumber.col.opd", lang): s.kode_opd, t("sumber.col.url", lang): sources.public_url(s.url),
             t("sumber.col.format", lang): s.format or t("sumber.format.auto", lang),
             t("sumber.col.schedule", lang): s.schedule.describe(lang),
             t("sumber.col.auth", lang): t("katalog.yes" if s.has_auth else "katalog.no", lang)}
            for s in sources.list_sources(con)]


def add_source(con: duckdb.DuckDBPyConnection, by: str | None, *, mapping_text: str = "", constants_text: str = "",
               every: int | None = None, daily: str = "", fmt_choice: str | None = None, json_path: str = "",
               auth_header: str = "", at: datetime | None = None, **fields) -> sources.Source:
    """The Admin form: mapping as JSON text, constants one FIELD=VALUE per line."""
    require_admin(con, by)
    mapping = None
    if mapping_text.strip():
        try:
            mapping = json.loads(mapping_text)
        except ValueError:
            raise sources.SourceError("sumber.admin.mapping_json") from None
    constants = [line.strip() for line in constants_text.splitlines() if line.strip()]
    return sources.add(con, at=at or now(), by=by, mapping=mapping, constants=constants,
                       every=None if daily.strip() else every, daily=daily.strip() or None, fmt=fmt_choice or None,
                       json_path=json_path.strip() or None, auth_header=auth_header.strip() or None, **fields)


def remove_source(con: duckdb.DuckDBPyConnection, by: str | None, name: str) -> None:
    require_admin(con, by)
    sources.remove(con, name, by)


def run_now(con: duckdb.DuckDBPyConnection, by: str | None, name: str, lang: str) -> run.RunOutcome:
    """"Jalankan sekarang": admin only, the same run as the scheduler's."""
    require_admin(con, by)
    return run.run_source(con, name, lang=lang)
