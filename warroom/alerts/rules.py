"""The rule file and one evaluator per kind of rule.

Each evaluator asks the area's own rule for what is wrong (warroom.covid.transmission,
warroom.cctv.health, warroom.freshness via ringkasan.freshness_rows, warroom.kinerja's
reporting status, queries/ringkasan_aplikasi.sql, the map's BOR) and turns the answer into
Findings: one per rule and object, with the object's code, its value and the threshold.
"""
from __future__ import annotations

import logging
import math
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from warroom.config import DATA_DIR, THRESHOLDS, city

log = logging.getLogger("warroom.alerts")

DEFAULT_FILE = DATA_DIR / "alerts.toml"
MAX_FILE_BYTES = 256_000
SEVERITIES = ("kritis", "peringatan", "info")          # most severe first
# Okabe-Ito colour and symbol per severity, always shown with the word.
SEVERITY_STYLE = {"kritis": ("#D55E00", "■"), "peringatan": ("#E69F00", "▲"), "info": ("#56B4E9", "●")}
RESOLVED_STYLE = ("#009E73", "✔")
FORMATS = ("json", "telegram")


class AlertsConfigError(ValueError):
    """The rule file cannot be used; `problems` are (i18n key, params) pairs."""

    def __init__(self, path: Path, problems: list[tuple[str, dict]]):
        self.path, self.problems = path, problems
        super().__init__(self.text("en"))

    def text(self, lang: str = "id") -> str:
        from warroom.i18n import t
        lines = [t(key, lang, **params) for key, params in self.problems]
        return t("alerts.config.bad", lang, path=str(self.path)) + "\n" + "\n".join(f"- {line}" for line in lines)


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    threshold_setting: Any            # a number, or the name of a THRESHOLDS field / a word
    severity: str
    silence_minutes: float = 30.0

    @property
    def threshold(self):
        """The number (or word) the rule compares with: a THRESHOLDS field is read from there."""
        if isinstance(self.threshold_setting, str) and hasattr(THRESHOLDS, self.threshold_setting):
            return getattr(THRESHOLDS, self.threshold_setting)
        return self.threshold_setting


@dataclass(frozen=True)
class Webhook:
    name: str
    url: str
    format: str = "json"
    chat_id: str | None = None


@dataclass(frozen=True)
class Config:
    rules: tuple[Rule, ...]
    webhooks: tuple[Webhook, ...]
    path: Path | None = None

    def rule(self, name: str) -> Rule | None:
        return next((r for r in self.rules if r.name == name), None)

    def webhook(self, name: str) -> Webhook | None:
        return next((w for w in self.webhooks if w.name == name), None)


@dataclass
class Finding:
    """One rule firing for one object."""
    rule: str
    kind: str
    severity: str
    object: str                 # the object's own code: kode_menara, kode_aplikasi, kode_wilayah, ...
    object_kind: str            # which code it is: "kode_menara", "kode_aplikasi", "dataset", ...
    label: str                  # its name, from the data (escaped wherever it is shown)
    value: Any
    threshold: Any
    link: str
    since: str | None = None    # when the data says it started, if it says (ISO)
    detail: dict = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        return self.rule, self.object


def config_path() -> Path:
    return Path(os.environ.get("WARROOM_ALERTS") or DEFAULT_FILE)


def load_config(path: str | Path | None = None) -> Config:
    """Read and check the rule file (bounded in size); AlertsConfigError says what is wrong."""
    path = Path(path) if path else config_path()
    try:
        with open(path, "rb") as fh:
            raw_bytes = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise AlertsConfigError(path, [("alerts.config.unreadable", {"error": exc.strerror or str(exc)})])
    if len(raw_bytes) > MAX_FILE_BYTES:
        raise AlertsConfigError(path, [("alerts.config.too_large", {"limit": MAX_FILE_BYTES})])
    try:
        raw = tomllib.loads(raw_bytes.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AlertsConfigError(path, [("alerts.config.not_toml", {"error": str(exc)})])
    problems: list[tuple[str, dict]] = []
    rules: list[Rule] = []
    for i, r in enumerate(raw.get("rule", []) or [], start=1):
        name = str(r.get("name") or "").strip()
        kind = str(r.get("kind") or name).strip()
        severity = str(r.get("severity") or "").strip()
        where = name or f"#{i}"
        if not name:
            problems.append(("alerts.config.no_name", {"n": i}))
        elif any(x.name == name for x in rules):
            problems.append(("alerts.config.duplicate", {"name": name}))
        if kind not in EVALUATORS:
            problems.append(("alerts.config.kind", {"rule": where, "kind": kind, "known": ", ".join(EVALUATORS)}))
        if severity not in SEVERITIES:
            problems.append(("alerts.config.severity", {"rule": where, "severity": severity,
                                                        "known": ", ".join(SEVERITIES)}))
        if "threshold" not in r:
            problems.append(("alerts.config.threshold", {"rule": where}))
        silence = r.get("silence_minutes", 30)
        if not isinstance(silence, (int, float)) or isinstance(silence, bool) or silence < 0:
            problems.append(("alerts.config.silence", {"rule": where, "value": silence}))
            silence = 30
        rules.append(Rule(name, kind, r.get("threshold"), severity, float(silence)))
    hooks: list[Webhook] = []
    for i, w in enumerate(raw.get("webhook", []) or [], start=1):
        name = str(w.get("name") or "").strip() or f"webhook{i}"
        url = str(w.get("url") or "").strip()
        fmt_ = str(w.get("format") or "json").strip()
        if not url.lower().startswith(("http://", "https://")):
            problems.append(("alerts.config.url", {"webhook": name}))
        if fmt_ not in FORMATS:
            problems.append(("alerts.config.format", {"webhook": name, "format": fmt_}))
        chat = w.get("chat_id")
        if fmt_ == "telegram" and chat in (None, ""):
            problems.append(("alerts.config.chat_id", {"webhook": name}))
        if any(h.name == name for h in hooks):
            problems.append(("alerts.config.duplicate", {"name": name}))
        hooks.append(Webhook(name, url, fmt_, None if chat is None else str(chat)))
    if problems:
        raise AlertsConfigError(path, problems)
    return Config(tuple(rules), tuple(hooks), path)


# --- evaluation ---------------------------------------------------------------------------

@dataclass
class Context:
    """What every evaluator may use: the clock, the city date, and whether it may write
    (the command line's check opens the store read-only)."""
    now: datetime
    read_only: bool = False
    cctv_rows: list[dict] | None = None     # the camera service's latest health rows, when it runs

    @property
    def today(self) -> date:
        return self.now.astimezone(city().tz).date()


def _num(value):
    if value is None:
        return None
    try:
        return None if math.isnan(value) else value
    except TypeError:
        return value


def _round(value, places: int = 2):
    from warroom.kinerja import round_half_away
    r = round_half_away(_num(value), places)
    return None if r is None else float(r)


def covid_level_naik(con: duckdb.DuckDBPyConnection, rule: Rule, ctx: Context) -> list[Finding]:
    """An area (city or kecamatan) whose transmission level on the latest day is higher
    than `threshold` days before (warroom.covid.transmission on the stored weekly rates)."""
    from warroom import covid, db
    if not ctx.read_only:
        covid.ensure_daily(con)
    elif not covid._table_exists(con):
        return []
    days = int(rule.threshold)
    cur = con.execute(db.load_query("alerts_covid_level"), {"kota": city().kode, "hari": days})
    names = [d[0] for d in cur.description]
    out = []
    for row in (dict(zip(names, r)) for r in cur.fetchall()):
        level, _ = covid.transmission(row["kasus_7hari_per_100rb"], row["rawat_inap_7hari_per_100rb"],
                                      row["meninggal_7hari_per_100rb"])
        before, _ = covid.transmission(row["kasus_sebelum"], row["rawat_inap_sebelum"], row["meninggal_sebelum"])
        if level is None or before is None or level <= before:
            continue
        out.append(Finding(rule.name, rule.kind, rule.severity, row["kode_wilayah"], "kode_wilayah",
                           row["nama"] or row["kode_wilayah"], level, before,
                           f"/covid?wilayah={row['kode_wilayah']}",
                           since=str(row["tanggal"]),
                           detail={"tanggal": str(row["tanggal"]), "level_sebelum": before, "hari": days,
                                   "tingkat": row["tingkat"]}))
    return out


def bor_tinggi(con: duckdb.DuckDBPyConnection, rule: Rule, ctx: Context) -> list[Finding]:
    """The city's bed occupancy (covid_bor_series, all beds) and each facility's latest report
    (the map's BOR, warroom.peta.bor) at or above the high-occupancy setting."""
    from warroom import datasets, db, peta
    limit = float(rule.threshold)
    producer = datasets.get("fasyankes").producer
    out = []
    cur = con.execute(db.load_query("covid_bor_series"), {"dari": ctx.today, "sampai": ctx.today,
                                                          "kode": city().kode, "produsen": producer})
    names = [d[0] for d in cur.description]
    for row in (dict(zip(names, r)) for r in cur.fetchall()):
        value = _num(row["bor_persen"])
        if value is not None and value >= limit:
            out.append(Finding(rule.name, rule.kind, rule.severity, city().kode, "kode_wilayah", city().nama,
                               _round(value), limit, "/covid", since=str(ctx.today),
                               detail={"tt_terisi": row["tt_terisi"], "tt_total": row["tt_total"]}))
    cur = con.execute(db.load_query("peta_fasyankes"), {"produsen": producer, "tanggal": ctx.today})
    names = [d[0] for d in cur.description]
    for row in (dict(zip(names, r)) for r in cur.fetchall()):
        value = peta.bor(row["tt_terisi"], row["tt_total"])
        if value is not None and value >= limit:
            out.append(Finding(rule.name, rule.kind, rule.severity, row["kode_faskes"], "kode_faskes",
                               row["nama"] or row["kode_faskes"], _round(value), limit,
                               "/peta?ukuran=bor&lapisan=wilayah,label,faskes",
                               since=str(row["tanggal"]),
                               detail={"tt_terisi": row["tt_terisi"], "tt_total": row["tt_total"],
                                       "tanggal": str(row["tanggal"])}))
    return out


def kamera_gelap(con: duckdb.DuckDBPyConnection, rule: Rule, ctx: Context) -> list[Finding]:
    """Cameras measured dark (warroom.cctv's measured status, not DISHUB's uploaded status)
    for at least `threshold` minutes: since their last picture, or since their first check."""
    from warroom import cctv, db
    rows = ctx.cctv_rows if ctx.cctv_rows is not None else cctv.health(con, ctx.now)
    dark = [r for r in rows if r["measured_status"] == cctv.DARK]
    if not dark:
        return []
    first = dict(con.execute(db.load_query("alerts_kamera_cek_pertama"), {"now": ctx.now}).fetchall())
    minutes = float(rule.threshold)
    out = []
    for r in dark:
        start = r.get("last_ok_at") or first.get(r["kode_cctv"])
        if start is None:
            continue
        dark_min = (ctx.now - start).total_seconds() / 60
        if dark_min >= minutes:
            out.append(Finding(rule.name, rule.kind, rule.severity, r["kode_cctv"], "kode_cctv",
                               r.get("nama_lokasi") or r["kode_cctv"], round(dark_min), minutes,
                               f"/cctv?kamera={r['kode_cctv']}", since=start.isoformat(),
                               detail={"status_opd": r.get("status_opd"), "kecamatan": r.get("kecamatan")}))
    return out


def izin_menara(con: duckdb.DuckDBPyConnection, rule: Rule, ctx: Context) -> list[Finding]:
    """Official towers whose permit ends on or before today + `threshold` days (city date,
    inclusive, already expired included), whatever their status_izin."""
    from warroom import datasets, db
    days = int(rule.threshold)
    cur = con.execute(db.load_query("alerts_izin_menara"), {"produsen": datasets.get("menara_bts").producer,
                                                            "hari_ini": ctx.today, "hari": days})
    names = [d[0] for d in cur.description]
    out = []
    for r in (dict(zip(names, row)) for row in cur.fetchall()):
        starts = r["izin_berakhir"] - timedelta(days=days)
        out.append(Finding(rule.name, rule.kind, rule.severity, r["kode_menara"], "kode_menara",
                           r["operator"] or r["kode_menara"], int(r["sisa_hari"]), days,
                           "/peta?ukuran=menara&lapisan=wilayah,label,menara",
                           since=str(starts),
                           detail={"izin_berakhir": str(r["izin_berakhir"]), "status_izin": r["status_izin"],
                                   "kode_wilayah": r["kode_wilayah"]}))
    return out


def aplikasi_mati(con: duckdb.DuckDBPyConnection, rule: Rule, ctx: Context) -> list[Finding]:
    """Apps down by the Ringkasan's rule (queries/ringkasan_aplikasi.sql, DISKOMINFO's rows):
    `nonaktif`, or `aktif` with availability under the minimum."""
    from warroom import datasets, db
    minimum = float(rule.threshold)
    cur = con.execute(db.load_query("ringkasan_aplikasi"), {"produsen": datasets.get("aplikasi").producer,
                                                            "minimum": minimum})
    names = [d[0] for d in cur.description]
    out = []
    for r in (dict(zip(names, row)) for row in cur.fetchall()):
        out.append(Finding(rule.name, rule.kind, rule.severity, r["kode_aplikasi"], "kode_aplikasi",
                           r["nama_aplikasi"] or r["kode_aplikasi"], _round(r["ketersediaan_persen"]), minimum,
                           "/ringkasan", since=str(r["tanggal_cek"]) if r["tanggal_cek"] else None,
                           detail={"status": r["status"], "opd": r["opd"]}))
    return out


def data_terlambat(con: duckdb.DuckDBPyConnection, rule: Rule, ctx: Context) -> list[Finding]:
    """Datasets late or stale by the freshness rule (warroom.freshness through the Ringkasan's
    freshness rows). threshold "late" fires on late and stale, "stale" on stale only."""
    from warroom import freshness, ringkasan
    wanted = {freshness.LATE, freshness.STALE} if rule.threshold != freshness.STALE else {freshness.STALE}
    out = []
    for r in ringkasan.freshness_rows(con, ctx.today):
        if r.status in wanted:
            out.append(Finding(rule.name, rule.kind, rule.severity, r.dataset, "dataset", r.title, r.age_days,
                               rule.threshold, "/ringkasan", since=None,
                               detail={"status": r.status, "data_terbaru": r.newest}))
    return out


def kinerja_terlambat(con: duckdb.DuckDBPyConnection, rule: Rule, ctx: Context) -> list[Finding]:
    """Agencies with indicators not reported for the latest month past its due date
    (warroom.kinerja.reporting_status), more than `threshold` days late."""
    from warroom import kinerja, kinerja_periods
    month = kinerja.latest_due_month(ctx.today)
    rows = kinerja.reporting_status(con, month, ctx.today)
    out = []
    for r in rows.itertuples(index=False):
        late = _num(r.hari_lewat)
        if r.n_belum > 0 and late is not None and late > float(rule.threshold):
            out.append(Finding(rule.name, rule.kind, rule.severity, r.kode_opd, "kode_opd", str(r.singkatan),
                               int(late), rule.threshold, "/kinerja",
                               since=str(kinerja_periods.due_date(month) + timedelta(days=1)),
                               detail={"bulan": month, "n_belum": int(r.n_belum), "n_wajib": int(r.n_wajib)}))
    return out


EVALUATORS: dict[str, Callable[[duckdb.DuckDBPyConnection, Rule, Context], list[Finding]]] = {
    "covid_level_naik": covid_level_naik,
    "bor_tinggi": bor_tinggi,
    "kamera_gelap": kamera_gelap,
    "izin_menara": izin_menara,
    "aplikasi_mati": aplikasi_mati,
    "data_terlambat": data_terlambat,
    "kinerja_terlambat": kinerja_terlambat,
}
# Rules whose answer changes with the clock alone (evaluated every minute, not only after a write).
TIME_BASED = frozenset({"kamera_gelap", "izin_menara", "data_terlambat", "kinerja_terlambat", "bor_tinggi"})


@dataclass
class Evaluation:
    findings: list[Finding]
    evaluated: set[str]                    # rule names that answered
    failed: dict[str, str]                 # rule name -> error


def evaluate(con: duckdb.DuckDBPyConnection, config: Config, ctx: Context, *,
             kinds: frozenset[str] | None = None) -> Evaluation:
    """Every rule now (or those of `kinds`). A rule that fails is logged and left out (its
    alerts stay as they were, as do those of rules not evaluated)."""
    findings: list[Finding] = []
    evaluated: set[str] = set()
    failed: dict[str, str] = {}
    for rule in config.rules:
        if kinds is not None and rule.kind not in kinds:
            continue
        try:
            found = EVALUATORS[rule.kind](con, rule, ctx)
        except Exception as exc:  # one broken rule must not silence the others
            log.exception("alerts: rule %s failed", rule.name)
            failed[rule.name] = f"{type(exc).__name__}: {exc}"
            continue
        evaluated.add(rule.name)
        findings.extend(found)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: (order.get(f.severity, 9), f.rule, f.object))
    return Evaluation(findings, evaluated, failed)
