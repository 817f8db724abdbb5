"""One test for "no value": every module judges None, NaN, NA and NaT the same way."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from warroom import fmt
from warroom.missing import is_missing, or_none

MISSING = [None, float("nan"), np.float64("nan"), np.float32("nan"), pd.NA, pd.NaT, Decimal("NaN")]
PRESENT = [0, 0.0, -1, 2.5, np.int64(3), np.float32(1.5), Decimal("1.25"), "", "x", "<NA>", date(2026, 11, 1),
           pd.Timestamp("2026-11-01"), True, 10 ** 400]


@pytest.mark.parametrize("value", MISSING, ids=repr)
def test_missing_values(value):
    assert is_missing(value) is True
    assert or_none(value) is None
    assert fmt.number(value, "id") == "tidak tersedia"


@pytest.mark.parametrize("value", PRESENT, ids=repr)
def test_present_values_are_kept_as_they_are(value):
    assert is_missing(value) is False
    assert or_none(value) is value


def test_fmt_covid_and_the_map_ask_the_same_function():
    from warroom import covid, peta, ringkasan
    assert fmt.is_missing is is_missing
    assert covid.is_missing is is_missing and covid.or_none is or_none
    assert peta.or_none is or_none and ringkasan.or_none is or_none
