"""The one test for "no value here": None, NaN (of any float type), pandas' NA and NaT.

A figure that cannot be computed is missing and shows as "tidak tersedia", never 0. Every
module asks here (fmt.is_missing is this function), so a value from DuckDB, pandas or numpy
is judged the same way everywhere. No imports: the loader and the command line use it.
"""
from __future__ import annotations

import math


def is_missing(value) -> bool:
    if value is None:
        return True
    if type(value).__name__ in ("NAType", "NaTType"):   # pandas, recognised without importing it
        return True
    try:
        return math.isnan(value)
    except (TypeError, ValueError, OverflowError):     # text, dates, huge integers: present
        return False


def or_none(value):
    """The value, or None when it is missing (NaN, NA, NaT)."""
    return None if is_missing(value) else value
