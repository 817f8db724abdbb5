"""Freshness of a dataset by its frequency and the date of its newest data (data standard)."""
from __future__ import annotations

from datetime import date

from warroom.config import THRESHOLDS
from warroom.kinerja_periods import due_date, next_period

FRESH, LATE, STALE, ON_CHANGE, NONE = "fresh", "late", "stale", "on_change", "none"
# Colour-blind-safe (Okabe-Ito) colour and a symbol for each status; always shown with a word.
STYLE = {FRESH: ("#009E73", "●"), LATE: ("#E69F00", "▲"), STALE: ("#D55E00", "■"),
         ON_CHANGE: ("#56B4E9", "◆"), NONE: ("#999999", "○")}


def status(frequency: str, newest: str | date | None, today: date) -> str:
    """frequency: daily | monthly | on_change; newest: a date, or a period (YYYY-MM, YYYY-Qn, YYYY)."""
    if frequency == "on_change":
        return ON_CHANGE
    if newest is None or newest == "":
        return NONE
    if frequency == "daily":
        d = newest if isinstance(newest, date) else date.fromisoformat(str(newest)[:10])
        age = (today - d).days
        if age <= THRESHOLDS.daily_fresh_days:
            return FRESH
        return LATE if age <= THRESHOLDS.daily_late_days else STALE
    if frequency == "monthly":
        due = due_date(next_period(str(newest)))
        if today <= due:
            return FRESH
        return LATE if (today - due).days <= THRESHOLDS.monthly_late_days else STALE
    raise ValueError(f"unknown frequency {frequency!r}")
