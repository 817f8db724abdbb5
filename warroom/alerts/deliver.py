"""Messages to the people on call: one message per rule and per change (a wave of 15
kecamatan is one message), to every webhook, through the one guarded fetcher (warroom.net:
internal addresses refused unless WARROOM_ALERT_ALLOW lists their URL prefix).

- format "json": {"source", "city", "status" (firing|resolved|test), "rule", "severity",
  "title", "text", "alerts": [{rule, severity, object, object_kind, label, value, threshold,
  since, until, link}]};
- format "telegram": the Bot API sendMessage body {"chat_id", "text"}.

Retries: up to RETRIES attempts per webhook, waiting BACKOFF_S between them. After the last
attempt the alerts count as announced anyway (recorded with the error in alert_deliveries):
a webhook that is down must not make the others receive the same message again.
Silence window: after a "firing" message for a rule, newly firing objects of that rule wait
until `silence_minutes` have passed and then go together; "resolved" messages always go.
"""
from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import duckdb

from warroom import fmt, net
from warroom.alerts import store
from warroom.alerts.rules import SEVERITY_STYLE, Config, Rule, Webhook
from warroom.config import city
from warroom.i18n import catalogue, t

log = logging.getLogger("warroom.alerts")

RETRIES = 3
BACKOFF_S = (1.0, 3.0)
MAX_LINES = 20
MAX_TEXT = 3500          # Telegram takes 4096 characters at most
POLICY_ENV = "WARROOM_ALERT_ALLOW"


def policy() -> net.Policy:
    return net.Policy.from_env(POLICY_ENV, max_bytes=64_000)


def _number(value, lang: str) -> str:
    if value is None:
        return t("alerts.na", lang)
    if isinstance(value, float) and not value.is_integer():
        return fmt.number(value, lang, decimals=2)
    if isinstance(value, (int, float)):
        return fmt.number(value, lang)
    return str(value)


def describe(alert: dict, lang: str = "id") -> str:
    """What an alert says about its object, in words (value against threshold)."""
    detail = {k: ("–" if v is None else v) for k, v in (alert.get("detail") or {}).items()}
    if alert["kind"] == "data_terlambat" and "status" in detail:
        detail["status"] = t(f"freshness.{detail['status']}", lang)
    if alert["kind"] == "izin_menara" and isinstance(detail.get("izin_berakhir"), str):
        from datetime import date
        detail["izin_berakhir"] = fmt.long_date(date.fromisoformat(detail["izin_berakhir"]), lang)
        if isinstance(alert.get("value"), int) and alert["value"] < 0:
            return t("alerts.value.izin_menara.expired", lang, izin_berakhir=detail["izin_berakhir"],
                     days=fmt.number(-alert["value"], lang))
    key = f"alerts.value.{alert['kind']}"
    if alert.get("value") is None and f"{key}.na" in catalogue():
        key += ".na"      # "tidak tersedia", without a unit after it
    try:
        return t(key, lang, **{**detail, "value": _number(alert.get("value"), lang),
                                                           "threshold": _number(alert.get("threshold"), lang)})
    except (KeyError, IndexError):
        return f"{_number(alert.get('value'), lang)} / {_number(alert.get('threshold'), lang)}"


def public_link(path: str) -> str:
    """A page path, made absolute when WARROOM_PUBLIC_URL says where the app is reached."""
    base = os.environ.get("WARROOM_PUBLIC_URL", "").rstrip("/")
    return f"{base}{path}" if base else path


def _when(at: datetime, lang: str) -> str:
    return fmt.datetime_local(at, lang)


@dataclass
class Message:
    rule: str | None
    status: str                  # firing | resolved | test
    severity: str | None
    title: str
    text: str
    alerts: list[dict]
    ids: list[int]


def build(rule: Rule, status: str, alerts: list[dict], at: datetime, lang: str = "id") -> Message:
    colour_symbol = SEVERITY_STYLE.get(rule.severity, ("", "●"))[1]
    rule_title = t(f"alerts.rule.{rule.kind}", lang)
    if status == store.FIRING:
        title = t("alerts.msg.firing", lang, symbol=colour_symbol,
                  severity=t(f"alerts.severity.{rule.severity}", lang).upper(), rule=rule_title, n=len(alerts))
    else:
        title = t("alerts.msg.resolved", lang, rule=rule_title, n=len(alerts))
    lines = [title]
    for a in alerts[:MAX_LINES]:
        lines.append(f"• {a['label']} ({a['object']}): {describe(a, lang)}")
    if len(alerts) > MAX_LINES:
        lines.append(t("alerts.msg.more", lang, n=len(alerts) - MAX_LINES))
    links = sorted({a["link"] for a in alerts if a.get("link")})
    if links:
        lines.append(" ".join(public_link(link) for link in links[:3]))
    lines.append(t("alerts.msg.footer", lang, city=city().nama, when=_when(at, lang)))
    text = "\n".join(lines)
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT - 1] + "…"
    payload = [{"rule": a["rule"], "severity": a["severity"], "object": a["object"], "object_kind": a["object_kind"],
                "label": a["label"], "value": a["value"], "threshold": a["threshold"],
                "since": a["started_at"].isoformat() if a.get("started_at") else None,
                "until": a["ended_at"].isoformat() if a.get("ended_at") else None,
                "link": public_link(a["link"]) if a.get("link") else None} for a in alerts]
    return Message(rule.name, status, rule.severity, title, text, payload, [a["alert_id"] for a in alerts])


def body(message: Message, hook: Webhook) -> bytes:
    data: dict[str, Any]
    if hook.format == "telegram":
        data = {"chat_id": hook.chat_id, "text": message.text}
    else:
        data = {"source": "warroom", "city": city().kode, "status": message.status, "rule": message.rule,
                "severity": message.severity, "title": message.title, "text": message.text,
                "alerts": message.alerts}
    return json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")


Sender = Callable[[str, bytes], None]


def _post(url: str, data: bytes) -> None:
    net.request(url, policy(), method="POST", body=data,
                headers={"Content-Type": "application/json; charset=utf-8"})


def send(message: Message, hook: Webhook, *, sender: Sender = _post, sleep: Callable[[float], None] = time.sleep,
         retries: int = RETRIES) -> tuple[int, str | None]:
    """Post one message to one webhook, retrying; (attempts, error of the last attempt or None)."""
    data = body(message, hook)
    error = None
    for attempt in range(1, retries + 1):
        try:
            sender(hook.url, data)
            return attempt, None
        except net.Refused as exc:
            error = f"{exc.reason}: {exc.detail}" if exc.detail else exc.reason
            # an address the policy refuses will not become allowed by waiting
            if exc.reason in ("scheme", "bad_url", "internal", "redirect"):
                return attempt, error
        except Exception as exc:  # never let a webhook stop the evaluation
            error = f"{type(exc).__name__}: {exc}"
        if attempt < retries:
            sleep(BACKOFF_S[min(attempt - 1, len(BACKOFF_S) - 1)])
    log.warning("alerts: webhook %s failed after %s attempts: %s", hook.name, retries, error)
    return retries, error


def deliver_pending(con: duckdb.DuckDBPyConnection, config: Config, at: datetime, *, sender: Sender = _post,
                    sleep: Callable[[float], None] = time.sleep) -> list[Message]:
    """Announce what changed since the last announcement; returns the messages sent (per rule
    and status, each to every webhook)."""
    new, ended = store.pending(con)
    sent: list[Message] = []
    # An alert that ended before it was ever announced is not announced at all.
    never = [a["alert_id"] for a in ended if a["notified_firing_at"] is None]
    store.mark_notified(con, never, store.FIRING, at)
    store.mark_notified(con, never, store.RESOLVED, at)
    ended = [a for a in ended if a["notified_firing_at"] is not None]
    for status, alerts in ((store.FIRING, new), (store.RESOLVED, ended)):
        by_rule: dict[str, list[dict]] = {}
        for a in alerts:
            by_rule.setdefault(a["rule"], []).append(a)
        for rule_name, group in by_rule.items():
            rule = config.rule(rule_name)
            if rule is None:   # a rule taken out of the file: its alerts are closed quietly
                store.mark_notified(con, [a["alert_id"] for a in group], status, at)
                continue
            if status == store.FIRING and rule.silence_minutes > 0:
                last = store.last_firing_message(con, rule.name)
                if last is not None and at < last + timedelta(minutes=rule.silence_minutes):
                    continue   # silenced: they go together when the window has passed
            message = build(rule, status, group, at)
            for hook in config.webhooks:
                attempts, error = send(message, hook, sender=sender, sleep=sleep)
                store.record_delivery(con, hook.name, rule.name, status, message.ids, at, attempts,
                                      error is None, error)
            store.mark_notified(con, message.ids, status, at)
            if config.webhooks:
                sent.append(message)
    return sent


def send_test(con: duckdb.DuckDBPyConnection | None, hook: Webhook, at: datetime, *, sender: Sender = _post,
              sleep: Callable[[float], None] = time.sleep, lang: str = "id") -> tuple[int, str | None]:
    """The "kirim pesan uji" button: one test message to one webhook, recorded."""
    text = t("alerts.msg.test", lang, city=city().nama, webhook=hook.name, when=_when(at, lang))
    message = Message(None, "test", None, text, text, [], [])
    attempts, error = send(message, hook, sender=sender, sleep=sleep)
    if con is not None:
        store.ensure_tables(con)
        store.record_delivery(con, hook.name, None, "test", [], at, attempts, error is None, error)
    return attempts, error
