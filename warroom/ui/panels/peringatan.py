"""Peringatan (alerts) on screen: the wall panel, the critical ticker under every wall panel,
the section on Ringkasan and the pieces of the Peringatan page.

Firing alerts are read from the alert history the alert service keeps (warroom.alerts).
When no service runs in this process (WARROOM_ALERTS_RUN=0, tests) the rules are evaluated
and recorded here, at most once per data version and minute, without sending anything.
Text from the data (names, notes) is always escaped.
"""
from __future__ import annotations

import html
import logging
import threading
from datetime import datetime

import streamlit as st
from streamlit.errors import StreamlitAPIException

from warroom import db, fmt
from warroom.alerts import rules, service, store
from warroom.alerts.deliver import describe
from warroom.alerts.rules import RESOLVED_STYLE, SEVERITIES, SEVERITY_STYLE
from warroom.config import now
from warroom.i18n import t
from warroom.ui import data

log = logging.getLogger("warroom.alerts")

WALL_ITEMS = 4            # objects named per rule on the wall (the page lists them all)
_synced: dict[str, tuple[int, str]] = {}
_sync_lock = threading.Lock()

CSS = """
<style>
.wr-al-wall {display: flex; flex-direction: column; gap: 1.1vh; height: 78vh; overflow: hidden;}
.wr-al-counts {display: flex; gap: 1.2vw; align-items: center;}
.wr-al-count {font-size: 3.4vh; font-weight: 800; padding: .5vh 1.2vw; border-radius: 1vh; color: #000;}
.wr-al-count.zero {background: #2a3245 !important; color: #c9d1e0;}
.wr-al-rule {border-left: 1.2vh solid #2a3245; background: #141a26; border-radius: 1vh; padding: .9vh 1.2vw;}
.wr-al-head {display: flex; align-items: baseline; gap: 1.2vw; white-space: nowrap;}
.wr-al-chip {font-size: 2.8vh; font-weight: 800; padding: .2vh .8vw; border-radius: .8vh; color: #000;}
.wr-al-title {font-size: 3.6vh; font-weight: 800; flex: 1 1 auto; overflow: hidden; text-overflow: ellipsis;}
.wr-al-n {font-size: 4.4vh; font-weight: 800; font-variant-numeric: tabular-nums;}
.wr-al-since {font-size: 2.6vh; color: #c9d1e0;}
.wr-al-items {font-size: 2.7vh; color: #e6ebf3; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
    margin-top: .3vh;}
.wr-al-none {font-size: 5vh; font-weight: 800; color: #009E73; padding: 4vh 0;}
.wr-al-ticker {position: fixed; left: 0; right: 0; bottom: 0; z-index: 20; background: #D55E00; color: #000;
    font-size: 2.8vh; font-weight: 800; padding: .6vh 1.2vw; white-space: nowrap; overflow: hidden;
    text-overflow: ellipsis;}
.wr-al-list .wr-al-chip {font-size: .9rem;}
</style>
"""


# --- what is firing ------------------------------------------------------------------------

def _refresh_if_no_service() -> None:
    """Evaluate and record (nothing sent) when no alert service runs in this process."""
    svc = service.service()
    if svc is not None and svc.runs > 0:
        return   # the service keeps the history current (it may not have run yet just after start)
    path, version = str(data.db_path()), data.data_version()
    minute = now().strftime("%Y-%m-%dT%H:%M")
    with _sync_lock:
        if _synced.get(path) == (version, minute):
            return
        try:
            config = rules.load_config()
        except rules.AlertsConfigError as exc:
            log.error("alerts: %s", exc.text("en"))
            return
        service.run_once(data.cursor(), config, send=False)
        _synced[path] = (version, minute)


def firing(*, refresh: bool = True) -> list[dict]:
    """Firing alerts, most severe first, then by rule and object. refresh=False only reads
    what is recorded (the ticker: it must not write in the middle of a wall tick)."""
    if refresh:
        _refresh_if_no_service()
    rows = store.firing(data.cursor())
    order = {s: i for i, s in enumerate(SEVERITIES)}
    rows.sort(key=lambda r: (order.get(r["severity"], 9), r["rule"], r["object"]))
    return rows


def _by_rule(rows: list[dict]) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["rule"], []).append(r)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(groups.items(), key=lambda kv: (order.get(kv[1][0]["severity"], 9), -len(kv[1]), kv[0]))


def severity_chip(severity: str, lang: str) -> str:
    colour, symbol = SEVERITY_STYLE.get(severity, ("#999999", "○"))
    return (f"<span class='wr-al-chip' style='background:{colour}' data-severity='{html.escape(severity)}'>"
            f"{symbol} {html.escape(t(f'alerts.severity.{severity}', lang))}</span>")


def state_chip(state: str, severity: str, lang: str) -> str:
    if state == store.RESOLVED:
        colour, symbol = RESOLVED_STYLE
        return (f"<span class='wr-al-chip' style='background:{colour}'>{symbol} "
                f"{html.escape(t('alerts.state.resolved', lang))}</span>")
    return severity_chip(severity, lang)


def _rule_title(row: dict, lang: str) -> str:
    try:
        return t(f"alerts.rule.{row['kind']}", lang)
    except KeyError:
        return row["rule"]


def _when(value: datetime | None, lang: str) -> str:
    return fmt.datetime_local(value, lang) if value else "–"


# --- the wall ------------------------------------------------------------------------------

def wall_html(rows: list[dict], lang: str) -> str:
    counts = {s: sum(1 for r in rows if r["severity"] == s) for s in SEVERITIES}
    chips = []
    for s in SEVERITIES:
        colour, symbol = SEVERITY_STYLE[s]
        zero = " zero" if counts[s] == 0 else ""
        chips.append(f"<span class='wr-al-count{zero}' style='background:{colour}' data-count='{s}'>{symbol} "
                     f"{fmt.number(counts[s], lang)} {html.escape(t(f'alerts.severity.{s}', lang))}</span>")
    parts = [f"<div class='wr-al-counts'>{''.join(chips)}</div>"]
    if not rows:
        parts.append(f"<div class='wr-al-none'>{html.escape(t('alerts.panel.none', lang))}</div>")
    for rule, group in _by_rule(rows):
        first = group[0]
        colour, _ = SEVERITY_STYLE.get(first["severity"], ("#999999", "○"))
        since = min(r["started_at"] for r in group)
        names = [f"{r['label']} ({r['object']})" for r in group[:WALL_ITEMS]]
        more = t("alerts.msg.more", lang, n=len(group) - WALL_ITEMS) if len(group) > WALL_ITEMS else ""
        items = " · ".join(html.escape(n) for n in names) + (f" {html.escape(more)}" if more else "")
        parts.append(
            f"<div class='wr-al-rule' style='border-left-color:{colour}' data-rule='{html.escape(rule)}'>"
            f"<div class='wr-al-head'>{severity_chip(first['severity'], lang)}"
            f"<span class='wr-al-title'>{html.escape(_rule_title(first, lang))}</span>"
            f"<span class='wr-al-since'>{html.escape(t('alerts.panel.since', lang, when=_when(since, lang)))}</span>"
            f"<span class='wr-al-n'>{fmt.number(len(group), lang)}</span></div>"
            f"<div class='wr-al-items'>{items}</div></div>")
    return f"<div class='wr-al-wall' data-panel-body='peringatan'>{''.join(parts)}</div>"


def ticker_html(lang: str) -> str:
    """One line at the bottom of every wall panel while a critical alert fires ('' otherwise).
    Never fails: the wall must keep running whatever the alerts do."""
    try:
        rows = [r for r in firing(refresh=False) if r["severity"] == "kritis"]
    except Exception as exc:  # the store is unavailable: the wall says so itself
        log.debug("alerts ticker: %s", exc)
        return ""
    if not rows:
        return ""
    pieces = []
    for _, group in _by_rule(rows):
        names = ", ".join(r["label"] for r in group[:3]) + (" …" if len(group) > 3 else "")
        pieces.append(f"{_rule_title(group[0], lang)} ({len(group)}): {names}")
    text = f"{t('alerts.ticker', lang)} · " + " · ".join(pieces)
    return f"<div class='wr-al-ticker' role='alert' data-ticker='kritis'>{html.escape(text)}</div>"


def render(ctx, *, wall: bool = False) -> None:
    st.markdown(CSS, unsafe_allow_html=True)
    st.markdown(wall_html(firing(), ctx.lang), unsafe_allow_html=True)


# --- Ringkasan -------------------------------------------------------------------------------

def ringkasan_section(ctx) -> None:
    """The "Peringatan" section of Ringkasan: what fires, per rule, with a link to the page."""
    st.markdown(CSS, unsafe_allow_html=True)
    st.subheader(t("alerts.ringkasan.title", ctx.lang))
    rows = firing()
    if not rows:
        st.markdown(f"<div data-section='peringatan'>{html.escape(t('alerts.page.none', ctx.lang))}</div>",
                    unsafe_allow_html=True)
    else:
        lines = []
        for rule, group in _by_rule(rows):
            names = ", ".join(html.escape(r["label"]) for r in group[:5]) + (" …" if len(group) > 5 else "")
            lines.append(f"<li data-rule='{html.escape(rule)}'>{severity_chip(group[0]['severity'], ctx.lang)} "
                         f"<b>{html.escape(_rule_title(group[0], ctx.lang))}</b>: "
                         f"{fmt.number(len(group), ctx.lang)} · {names}</li>")
        st.markdown(f"<ul class='wr-al-list' data-section='peringatan'>{''.join(lines)}</ul>",
                    unsafe_allow_html=True)
    try:
        st.page_link("pages/peringatan.py", label=t("alerts.ringkasan.more", ctx.lang),
                     icon=":material/notifications_active:")
    except StreamlitAPIException:  # a page run on its own (AppTest) has no sibling to link to
        pass


# --- the page ---------------------------------------------------------------------------------

def table_rows(rows: list[dict], lang: str) -> list[dict]:
    """Alerts as table rows for the page and its download (words, not colours alone)."""
    out = []
    for r in rows:
        _, symbol = (RESOLVED_STYLE if r["state"] == store.RESOLVED
                     else SEVERITY_STYLE.get(r["severity"], ("", "○")))
        severity_word = t(f"alerts.severity.{r['severity']}", lang)
        state_word = t(f"alerts.state.{r['state']}", lang)
        out.append({
            "#": r["alert_id"],
            t("alerts.col.severity", lang): f"{SEVERITY_STYLE.get(r['severity'], ('', '○'))[1]} {severity_word}",
            t("alerts.col.state", lang): f"{symbol} {state_word}",
            t("alerts.col.rule", lang): _rule_title(r, lang),
            t("alerts.col.object", lang): r["object"],
            t("alerts.col.label", lang): r["label"],
            t("alerts.col.what", lang): describe(r, lang),
            t("alerts.col.since", lang): _when(r["started_at"], lang),
            t("alerts.col.until", lang): _when(r["ended_at"], lang) if r["ended_at"] else "",
            t("alerts.col.ack", lang): (t("alerts.ack.by", lang, user=r["acked_by"], when=_when(r["acked_at"], lang))
                                        + (f" · {r['ack_note']}" if r["ack_note"] else "")) if r["acked_by"] else "",
            t("alerts.col.link", lang): r["link"] or "",
        })
    return out


def filtered(rows: list[dict], *, rules_: list[str], severities: list[str], states: list[str], search: str) -> list[dict]:
    needle = (search or "").strip().lower()
    return [r for r in rows
            if (not rules_ or r["rule"] in rules_) and (not severities or r["severity"] in severities)
            and (not states or r["state"] in states)
            and (not needle or needle in r["object"].lower() or needle in (r["label"] or "").lower())]


def history() -> list[dict]:
    _refresh_if_no_service()
    return store.history(data.cursor(), limit=2000)


def acknowledge(alert_id: int, username: str, note: str) -> bool:
    with db.WRITE_LOCK:
        return store.acknowledge(data.cursor(), alert_id, username, note, now())
