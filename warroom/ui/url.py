"""Page options in the URL (?name=value), read and written in one place for every page.

A value outside the allowed ones reads as absent (a hand-edited or stale link never breaks a
page), and a value is written only when it changes, so a rerun does not rewrite the address."""
from __future__ import annotations

from collections.abc import Collection
from datetime import date

import streamlit as st


def get(name: str, allowed: Collection[str] | None = None, default: str | None = None) -> str | None:
    """The option `name` when present, non-empty and allowed; else `default`."""
    value = st.query_params.get(name)
    return value if value and (allowed is None or value in allowed) else default


def raw(name: str) -> str | None:
    """The option `name` as written, "" included (an empty list differs from no option); None when absent."""
    return st.query_params.get(name)


def everything() -> dict[str, str]:
    """Every option, for a reader that checks them itself (the audit log's filters)."""
    return dict(st.query_params)


def get_date(name: str) -> date | None:
    """The option `name` as an ISO date (YYYY-MM-DD); None when absent or not a date."""
    try:
        return date.fromisoformat(st.query_params.get(name, ""))
    except ValueError:
        return None


def get_int(name: str) -> int | None:
    """The option `name` as a whole number ≥ 0; None when absent or not one."""
    raw = st.query_params.get(name)
    return int(raw) if raw and raw.isdigit() else None


def put(name: str, value: str | None) -> None:
    """Write `value` to the URL when it differs; an empty value removes the option."""
    if value:
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


def get_list(name: str, allowed: Collection[str]) -> list[str]:
    """The option `name` as a comma-separated list, keeping only allowed values."""
    return [v for v in st.query_params.get(name, "").split(",") if v in allowed]
