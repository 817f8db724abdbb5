"""Reporting periods of kinerja_opd: YYYY-MM, YYYY-Qn or YYYY, and their due dates."""
from __future__ import annotations

import re
from datetime import date, timedelta

from warroom.config import THRESHOLDS

_PERIOD = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$")


def parse(period: str) -> tuple[int, str, int]:
    """'2026-03' -> (2026, 'M', 3); '2026-Q1' -> (2026, 'Q', 1); '2026' -> (2026, 'Y', 1)."""
    m = _PERIOD.match(period)
    if not m:
        raise ValueError(f"not a period: {period!r} (YYYY-MM, YYYY-Qn or YYYY)")
    year, month, quarter = m.groups()
    if month:
        return int(year), "M", int(month)
    if quarter:
        return int(year), "Q", int(quarter)
    return int(year), "Y", 1


def end(period: str) -> date:
    """Last day of the period."""
    year, kind, n = parse(period)
    last_month = {"M": n, "Q": 3 * n, "Y": 12}[kind]
    first_of_next = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
    return first_of_next - timedelta(days=1)


def due_date(period: str) -> date:
    """A report is due by the 10th day (configurable) after its period ends."""
    return end(period) + timedelta(days=THRESHOLDS.kinerja_due_days)


def next_period(period: str) -> str:
    year, kind, n = parse(period)
    if kind == "M":
        return f"{year + 1}-01" if n == 12 else f"{year}-{n + 1:02d}"
    if kind == "Q":
        return f"{year + 1}-Q1" if n == 4 else f"{year}-Q{n + 1}"
    return str(year + 1)
