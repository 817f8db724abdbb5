"""The walidata's view of the store: every dataset with its producer, size, last upload and
freshness; the audit log with filters; what a rollback would change. No Streamlit here."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb

from warroom import datasets, db, freshness
from warroom.config import city, now, today
from warroom.i18n import t

AUDIT_LIMIT = 500


def producer_label(ds: datasets.Dataset, lang: str) -> str:
    return t("katalog.producer.owner", lang) if ds.producer == "*owner" else ds.producer


def dataset_overview(con: duckdb.DuckDBPyConnection, lang: str, on: date | None = None) -> list[dict]:
    """One row per dataset, in the standard's order. `status` is a freshness status key."""
    stored = {r["dataset"]: r for r in db.query_df(con, "dataset_status").to_dict("records")}
    on = on or today()
    rows = []
    for ds in datasets.all_datasets():
        s = stored.get(ds.name, {})
        newest = s.get("data_terbaru")
        newest = None if newest is None or newest != newest else newest  # NaN from pandas
        last = s.get("unggahan_terakhir")
        last = None if last is None or last != last else last
        rows.append({
            "dataset": ds.name,
            "title": ds.title,
            "producer": producer_label(ds, lang),
            "cosenders": ", ".join(ds.cosenders),
            "frequency": t(f"katalog.freq.{ds.frequency}", lang),
            "rows": int(s.get("baris") or 0),
            "newest": newest,
            "last_upload": last.astimezone(city().tz).strftime("%Y-%m-%d %H:%M") if last is not None else None,
            "by": None if last is None else f"{s.get('oleh')} ({s.get('opd_pengirim')})",
            "status": freshness.status(ds.frequency, newest, on),
        })
    return rows


def status_text(status: str, lang: str) -> str:
    """Symbol and word together, never the colour alone."""
    return f"{freshness.STYLE[status][1]} {t(f'freshness.{status}', lang)}"


def status_colour(status: str) -> str:
    return freshness.STYLE[status][0]


@dataclass(frozen=True)
class AuditFilter:
    actions: tuple[str, ...] = ()
    username: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def params(self, limit: int = AUDIT_LIMIT, exact_user: bool = False) -> dict:
        return {"actions": ",".join(self.actions), "username": self.username.strip(), "exact": exact_user,
                "date_from": self.date_from, "date_to": self.date_to, "tz": city().timezone, "limit": limit}


def audit_entries(con: duckdb.DuckDBPyConnection, flt: AuditFilter, lang: str, limit: int = AUDIT_LIMIT,
                  exact_user: bool = False) -> list[dict]:
    """Newest first. Read without the data-version cache: sign-in failures do not bump it.
    exact_user: the user name must match exactly (staff see their own entries only)."""
    rows = db.query_rows(con, "audit_log", flt.params(limit, exact_user))
    return [{"audit_id": audit_id, "when": when.strftime("%Y-%m-%d %H:%M:%S"), "username": user,
             "action": action, "action_label": action_label(action, lang), "detail": detail_text(detail)}
            for audit_id, when, user, action, detail in rows]


def audit_count(con: duckdb.DuckDBPyConnection, flt: AuditFilter, exact_user: bool = False) -> int:
    params = flt.params(exact_user=exact_user)
    params.pop("limit")
    return db.query_rows(con, "audit_log_count", params)[0][0]


def audit_actions(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in db.query_rows(con, "audit_actions")]


def action_label(action: str, lang: str) -> str:
    return label(f"katalog.action.{action}", lang, action)


def detail_text(detail: str | None) -> str:
    """`key=value` pairs of the JSON detail, short enough for a table cell."""
    if not detail:
        return ""
    try:
        parsed = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(parsed, dict):
        return str(parsed)
    return ", ".join(f"{k}={v}" for k, v in parsed.items() if v not in (None, "", [], {}))


def uploads(con: duckdb.DuckDBPyConnection, username: str = "", limit: int = 50) -> list[dict]:
    cols = ["upload_id", "when", "dataset", "kode_opd", "username", "file_name", "rows_total", "rows_inserted",
            "rows_updated", "rows_unchanged", "status", "rolled_back_at", "rolled_back_by"]
    rows = db.query_rows(con, "audit_uploads", {"username": username, "limit": limit, "tz": city().timezone})
    return [dict(zip(cols, r)) for r in rows]


def users(con: duckdb.DuckDBPyConnection) -> list[dict]:
    cols = ["username", "role", "kode_opd", "disabled", "locked_until", "created_at"]
    return [dict(zip(cols, r)) for r in db.query_rows(con, "users_list", {"now": now(), "tz": city().timezone})]


# --- rollback plan -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RollbackPlan:
    upload_id: int
    dataset: str
    kode_opd: str
    username: str
    when: str
    status: str
    removed: int              # rows of this upload that will go
    restored: int             # rows it replaced that come back
    later: tuple[int, ...]    # uploads that replaced its rows since: they block the rollback
    removed_sample: list[dict]
    restored_sample: list[dict]


def rollback_plan(con: duckdb.DuckDBPyConnection, upload_id: int, sample: int = 10) -> RollbackPlan | None:
    """What rolling back `upload_id` would change, read before anything is done."""
    head = con.execute("SELECT dataset, kode_opd, username, created_at, status FROM uploads WHERE upload_id = ?",
                       [upload_id]).fetchone()
    if head is None:
        return None
    dataset, kode_opd, username, created, status = head
    table = datasets.get(dataset).name          # a known dataset name, never user text
    cols = ", ".join(datasets.get(dataset).columns + ["sumber_opd"])

    def rows(sql: str) -> list[dict]:
        return db.rows_as_dicts(con.execute(sql, [upload_id]))

    removed = db.scalar(con, f"SELECT count(*) FROM {table} WHERE upload_id = ?", [upload_id])
    restored = db.scalar(con, f"SELECT count(*) FROM {table}__replaced WHERE replaced_by = ?", [upload_id])
    later = tuple(r[0] for r in con.execute(
        f"SELECT DISTINCT replaced_by FROM {table}__replaced WHERE upload_id = ? ORDER BY 1", [upload_id]).fetchall())
    return RollbackPlan(
        upload_id, dataset, kode_opd, username, created.astimezone(city().tz).strftime("%Y-%m-%d %H:%M"), status,
        removed, restored, later,
        rows(f"SELECT {cols} FROM {table} WHERE upload_id = ? LIMIT {int(sample)}"),
        rows(f"SELECT {cols} FROM {table}__replaced WHERE replaced_by = ? LIMIT {int(sample)}"))


def opd_codes(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in db.query_rows(con, "katalog_opd")]


def upload_table(rows: list[dict], lang: str) -> list[dict]:
    """Uploads for display: the status as a word in the user's language."""
    return [{t("unggah.col.id", lang): r["upload_id"],
             t("unggah.col.when", lang): r["when"].strftime("%Y-%m-%d %H:%M"),
             t("unggah.col.dataset", lang): r["dataset"],
             t("unggah.col.opd", lang): r["kode_opd"],
             t("unggah.col.user", lang): r["username"],
             t("unggah.col.file", lang): r["file_name"],
             t("unggah.col.rows", lang): r["rows_total"],
             t("unggah.col.inserted", lang): r["rows_inserted"],
             t("unggah.col.updated", lang): r["rows_updated"],
             t("unggah.col.unchanged", lang): r["rows_unchanged"],
             t("unggah.col.status", lang): label(f"unggah.status.{r['status']}", lang, r["status"])} for r in rows]


def label(key: str, lang: str, fallback: str) -> str:
    try:
        return t(key, lang)
    except KeyError:
        return fallback


# --- conflicts -----------------------------------------------------------------------------------


class NotAllowed(Exception):
    """The account, as stored now, may not do this (catalogue key in .key)."""

    def __init__(self, key: str):
        self.key = key
        super().__init__(key)


def conflict_table(rows: list[dict], lang: str) -> list[dict]:
    """Open conflicts for display: both values, both senders, the uploads involved."""
    return [{t("katalog.col.dataset", lang): c["dataset"],
             t("katalog.conflict.where", lang): c["kunci"],
             t("katalog.conflict.column", lang): c["kolom"],
             t("katalog.conflict.sender", lang): c["sumber_opd"],
             t("katalog.conflict.value", lang): c["nilai"],
             t("katalog.conflict.official_sender", lang): c["sumber_resmi"],
             t("katalog.conflict.official_value", lang): c["nilai_resmi"],
             t("katalog.conflict.kind", lang): label(f"katalog.conflict.kind.{c['jenis']}", lang, c["jenis"]),
             t("katalog.conflict.uploads", lang): ", ".join(f"#{u}" for u in c["uploads"])} for c in rows]


def conflict_label(c: dict) -> str:
    return f"{c['dataset']} · {c['kunci']} · {c['kolom']} · {c['sumber_opd']} {c['nilai']} ≠ {c['sumber_resmi']} {c['nilai_resmi']}"


def resolve_conflict(con: duckdb.DuckDBPyConnection, username: str | None, key: str, reason: str) -> int:
    """Only the walidata resolves; the role is read from the database, not from the page."""
    from warroom import auth, conflicts
    user = auth.get_user(con, username) if username else None
    if user is None or user.disabled or user.role != "admin":
        raise NotAllowed("katalog.resolve_not_allowed")
    if not reason or not reason.strip():
        raise NotAllowed("katalog.resolve_need_reason")
    return conflicts.resolve(con, key, user.username, reason)


def resolution_table(con: duckdb.DuckDBPyConnection, lang: str, limit: int = 20) -> list[dict]:
    from warroom import conflicts
    rows = conflicts.resolutions(con)[-limit:][::-1]
    return [{t("katalog.col.when", lang): r["resolved_at"].astimezone(city().tz).strftime("%Y-%m-%d %H:%M"),
             t("katalog.col.user", lang): r["resolved_by"],
             t("katalog.col.dataset", lang): r["dataset"],
             t("katalog.resolution.key", lang): r["conflict_key"],
             t("katalog.resolution.reason", lang): r["reason"]} for r in rows]


# --- the audit filter in the URL (?aksi=upload,rollback&pengguna=budi&dari=2026-11-01&sampai=2026-11-28) ---


def audit_filter_from_url(params: dict, known_actions: list[str], on: date) -> AuditFilter:
    """Unknown actions and unreadable dates are ignored: a shared link never breaks the page."""
    def day(key: str, default: date) -> date:
        try:
            return date.fromisoformat(str(params.get(key, "")))
        except ValueError:
            return default
    actions = tuple(a for a in str(params.get("aksi", "")).split(",") if a in known_actions)
    return AuditFilter(actions, str(params.get("pengguna", "")), day("dari", on - timedelta(days=30)), day("sampai", on))


def audit_filter_to_url(flt: AuditFilter, staff: bool = False) -> dict[str, str]:
    out = {"aksi": ",".join(flt.actions), "dari": flt.date_from.isoformat() if flt.date_from else "",
           "sampai": flt.date_to.isoformat() if flt.date_to else ""}
    if not staff:
        out["pengguna"] = flt.username
    return out
